"""Forms of the ledger's pages: paying, opening accounts, limits, freezing, creating units.
They parse input only; the services hold the rules.

People type amounts as decimals in the unit ("12.50"); the ledger counts integer minor
units. The conversion is exact (``Decimal``), and an amount with more decimals than the
unit has is refused rather than rounded.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from minga.common.forms import AmountField, ModelChoice, preselect_only_choice, to_minor_units
from minga.registry.selectors import organization_picker

from ..models import Account, Unit, UnitKind


def new_client_id() -> str:
    """The ledger's idempotency key for one form: a double submit posts once."""
    return f"web-{uuid.uuid4().hex}"


class PaymentForm(forms.Form):
    """Pay another organization from an account: the payee (found by name), amount, memo."""

    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    amount = AmountField(label=_("Amount"))
    memo = forms.CharField(label=_("What it is for"), required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        account: Account,
        recipients: QuerySet[Account],
        payees: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        """``recipients``: the accounts the payer may pay; ``payees``: their organizations
        that the person paying may see (the ones they can choose)."""
        kwargs.setdefault("initial", {}).setdefault("client_id", new_client_id())
        super().__init__(*args, **kwargs)
        self.account = account
        self.recipients = recipients
        unit = account.unit
        amount = cast(AmountField, self.fields["amount"])
        amount.scale, amount.minimum = unit.scale, 1
        amount.help_text = _("In %(unit)s, for example %(example)s.") % {
            "unit": unit.code,
            "example": unit.format(
                12 * 10**unit.scale + (5 * 10 ** (unit.scale - 1) if unit.scale else 0)
            ),
        }
        self.fields["recipient"] = organization_picker(
            label=_("Pay to"),
            queryset=payees,
            network=unit.network,
            help_text=_("Type part of the organization's name or its short code."),
        )
        self.order_fields(["recipient", "amount", "memo"])

    def clean_recipient(self) -> Account:
        organization = self.cleaned_data["recipient"]
        recipient = self.recipients.filter(organization=organization).first()
        if recipient is None:
            raise forms.ValidationError(
                _("No other account in %(unit)s belongs to this organization.")
                % {"unit": self.account.unit.code}
            )
        return recipient


class OpenAccountForm(forms.Form):
    """Open an account in a unit for a member organization of the issuing network."""

    def __init__(self, *args: Any, candidates: QuerySet[Any], network: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_picker(
            label=_("Organization"), queryset=candidates, network=network
        )


class LimitsForm(forms.Form):
    credit_limit = AmountField(
        label=_("Credit limit"),
        help_text=_("How far below zero the balance may go."),
    )
    upper_limit = AmountField(
        label=_("Upper limit"),
        required=False,
        help_text=_("The most the balance may reach; empty for no limit."),
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("credit_limit", "upper_limit"):
            field = cast(AmountField, self.fields[name])
            field.scale, field.minimum = unit.scale, 0

    @staticmethod
    def initial_for(account: Account) -> dict[str, str]:
        unit = account.unit
        return {
            "credit_limit": plain_amount(-account.lowest_balance, unit.scale),
            "upper_limit": ""
            if account.highest_balance is None
            else plain_amount(account.highest_balance, unit.scale),
        }


class FreezeForm(forms.Form):
    frozen = forms.TypedChoiceField(
        choices=[("1", _("Freeze")), ("0", _("Unfreeze"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("frozen") and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the account is frozen."))
        return data


class UnitForm(forms.Form):
    network: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Issuing network"), queryset=None, to_field_name="slug"
    )
    code = forms.CharField(
        label=_("Code"), max_length=16, help_text=_("Letters and digits, such as MINGA.")
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    scale = forms.TypedChoiceField(
        label=_("Decimals"),
        choices=[(str(n), str(n)) for n in range(7)],
        coerce=int,
        initial="2",
        help_text=_("2 counts in hundredths, like cents; 0 in whole units."),
    )
    default_credit_limit = forms.CharField(
        label=_("Credit limit of new accounts"),
        max_length=40,
        initial="0",
        help_text=_("How far below zero a new account may go."),
    )
    default_upper_limit = forms.CharField(
        label=_("Upper limit of new accounts"),
        max_length=40,
        required=False,
        help_text=_("Empty for no limit."),
    )

    def __init__(self, *args: Any, networks: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks  # type: ignore[attr-defined]
        preselect_only_choice(self.fields["network"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scale = data.get("scale")
        if scale is None:
            return data
        for name in ("default_credit_limit", "default_upper_limit"):
            text = data.get(name) or ""
            try:
                data[name] = to_minor_units(text, scale) if text.strip() else None
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            if data[name] is not None and data[name] < 0:
                self.add_error(name, _("Enter zero or a positive amount."))
        return data


def plain_amount(amount: int, scale: int) -> str:
    """Minor units as the decimal a person would type back (no unit code)."""
    sign = "-" if amount < 0 else ""
    whole, minor = divmod(abs(amount), 10**scale)
    return f"{sign}{whole}.{minor:0{scale}d}" if scale else f"{sign}{whole}"

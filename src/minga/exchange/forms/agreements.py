"""Forms of trade agreements: proposing one, and a reason to cancel."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.common.forms import ModelChoice, preselect_only_choice
from minga.core.ledger import MAX_AMOUNT
from minga.registry.selectors import organization_picker

from ..models import PaymentMethod, Unit


def amount_in_minor_units(text: str, unit: Unit) -> int:
    """'12.50' in a unit with 2 decimals is 1250; more decimals than the unit has is an error."""
    cleaned = text.strip().replace(",", ".")
    # Digits and a point only: no exponent ("1e999999999" would make a huge number).
    if not cleaned or not all(c.isdigit() or c in ".-+" for c in cleaned):
        raise forms.ValidationError(_("Write an amount such as 12.50."))
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise forms.ValidationError(_("Write an amount such as 12.50.")) from None
    if not value.is_finite() or value <= 0:
        raise forms.ValidationError(_("The amount must be above zero."))
    minor = value.scaleb(unit.scale)
    if minor != minor.to_integral_value():
        raise forms.ValidationError(
            _("%(unit)s has %(scale)d decimal places.") % {"unit": unit.code, "scale": unit.scale}
        )
    if minor > MAX_AMOUNT:
        raise forms.ValidationError(_("This amount is too large."))
    return int(minor)


class ProposeForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = ModelChoice(
        label=gettext_lazy("Your organization"), queryset=None, to_field_name="slug"
    )
    role = forms.ChoiceField(
        label=gettext_lazy("You"),
        choices=[
            ("receive", gettext_lazy("receive this (and pay)")),
            ("supply", gettext_lazy("supply this (and are paid)")),
        ],
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(label=gettext_lazy("What changes hands"), max_length=300)
    quantity = forms.CharField(label=gettext_lazy("How much"), max_length=60, required=False)
    payment = forms.ChoiceField(label=gettext_lazy("Payment"), choices=PaymentMethod.choices)
    unit = ModelChoice(
        label=gettext_lazy("Unit of account"),
        queryset=Unit.objects.all(),
        to_field_name="code",
        required=False,
    )
    amount = forms.CharField(label=gettext_lazy("Price"), max_length=30, required=False)

    def __init__(self, *args: Any, managed: Any, counterparts: Any, **kwargs: Any) -> None:
        """``managed``: the organizations the person speaks for (few); ``counterparts``:
        those they may trade with, chosen by typing (any number)."""
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = managed  # type: ignore[attr-defined]
        preselect_only_choice(self.fields["organization"])
        self.fields["counterpart"] = organization_picker(
            label=gettext_lazy("The other organization"), queryset=counterparts
        )
        self.order_fields(
            ["organization", "role", "counterpart", "title", "description", "quantity"]
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        payment = data.get("payment")
        if payment and payment != PaymentMethod.BARTER:
            unit = data.get("unit")
            if unit is None:
                self.add_error("unit", _("Choose the unit the price is in."))
            else:
                try:
                    data["amount_minor"] = amount_in_minor_units(data.get("amount") or "", unit)
                except forms.ValidationError as error:
                    self.add_error("amount", error)
        else:
            data["amount_minor"] = 0
        if data.get("organization") and data.get("organization") == data.get("counterpart"):
            self.add_error("counterpart", _("Choose another organization."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, required=False)

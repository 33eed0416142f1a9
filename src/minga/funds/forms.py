"""Forms of the funds' pages. They parse input only; the services hold the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minga.common.forms import AmountField, DatePicker, ModelChoice, preselect_only_choice
from minga.registry.selectors import organization_picker

from .types import ApprovalRuleChoice, RecurrenceChoice, Transparency


def _in_unit(field: forms.Field, unit: Any) -> None:
    amount = cast(AmountField, field)
    amount.scale, amount.minimum = unit.scale, 1
    amount.help_text = _("In %(unit)s.") % {"unit": unit.code}


OWNER_BODY_HELP = _(
    "A Congress, assembly or commission of the network: the fund is then the body's, and "
    "its money stays in the network's accounts."
)


class FundForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = ModelChoice(label=_("Organization"), queryset=None)
    owner_body: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Body that owns the fund"),
        queryset=None,
        required=False,
        empty_label=_("None: the organization itself"),
        help_text=OWNER_BODY_HELP,
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("What the fund is for"), widget=forms.Textarea)
    unit: forms.ModelChoiceField[Any] = ModelChoice(label=_("Unit"), queryset=None)
    transparency = forms.ChoiceField(
        label=_("Who may see the fund"), choices=Transparency.choices, initial="public"
    )
    approval_rule = forms.ChoiceField(
        label=_("Approval of spending"),
        # Empty: the service's default (the owning body's vote, else two managers).
        choices=[
            ("", _("A vote of the owning body; without one, two managers")),
            *ApprovalRuleChoice.choices,
        ],
        required=False,
        initial="",
        help_text=_("Spending beyond the budget needs the next stricter rule."),
    )
    body: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Body that votes on spending"),
        queryset=None,
        required=False,
        help_text=_(
            "Needed when a vote decides, and for spending beyond the budget; the owning body "
            "when none is chosen."
        ),
    )
    receipts_public = forms.BooleanField(
        label=_("Show receipts to the fund's readers"), required=False
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Any],
        units: QuerySet[Any],
        bodies: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["body"]).queryset = bodies
        cast("forms.ModelChoiceField[Any]", self.fields["owner_body"]).queryset = bodies
        org_field = cast("forms.ModelChoiceField[Any]", self.fields["organization"])
        org_field.queryset = organizations
        unit_field = cast("forms.ModelChoiceField[Any]", self.fields["unit"])
        unit_field.queryset = units
        preselect_only_choice(org_field)
        preselect_only_choice(unit_field)


class PledgeForm(forms.Form):
    amount = AmountField(label=_("Amount"))
    recurrence = forms.ChoiceField(
        label=_("How often"), choices=RecurrenceChoice.choices, initial="once"
    )
    starts_on = forms.DateField(label=_("First payment on"), widget=DatePicker())
    named = forms.BooleanField(
        label=_("Show my name on the fund's page"),
        required=False,
        help_text=_("The fund's managers always see who gave."),
    )

    def __init__(self, *args: Any, unit: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("starts_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _in_unit(self.fields["amount"], unit)


class ReceiveForm(forms.Form):
    pledge: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Pledge"),
        queryset=None,
        required=False,
        empty_label=_("No pledge"),
    )
    amount = AmountField(label=_("Amount received"))
    received_on = forms.DateField(label=_("Received on"), widget=DatePicker())
    category = forms.SlugField(label=_("Category"), initial="contributions", max_length=40)
    description = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, unit: Any, pledges: QuerySet[Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _in_unit(self.fields["amount"], unit)
        field = cast("forms.ModelChoiceField[Any]", self.fields["pledge"])
        field.queryset = pledges


class SpendingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("grant", _("Grant to an organization")), ("expense", _("Expense"))],
        initial="expense",
    )
    amount = AmountField(label=_("Amount"))
    category = forms.SlugField(label=_("Category"), max_length=40)
    description = forms.CharField(label=_("What the money is for"), max_length=300)
    payee = forms.CharField(label=_("Paid to (outside Minga)"), required=False, max_length=200)

    def __init__(self, *args: Any, unit: Any, recipients: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _in_unit(self.fields["amount"], unit)
        self.fields["recipient"] = organization_picker(
            label=_("Organization receiving a grant"),
            queryset=recipients,
            network=unit.network,
            required=False,
        )
        self.order_fields(["kind", "amount", "category", "description", "recipient", "payee"])


class BudgetForm(forms.Form):
    category = forms.SlugField(label=_("Category"), max_length=40)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)
    amount = AmountField(label=_("Budget"))

    def __init__(self, *args: Any, unit: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        _in_unit(self.fields["amount"], unit)
        cast(AmountField, self.fields["amount"]).minimum = 0


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)


class FundSettingsForm(forms.Form):
    """A fund's settings; one purpose field per language of the site besides the purpose
    as written, and the organizations it is shown to: those already chosen (untick to
    remove) and one more, picked by name."""

    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("What the fund is for"), widget=forms.Textarea)
    transparency = forms.ChoiceField(label=_("Who may see the fund"), choices=Transparency.choices)
    keep: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Organizations whose members see the fund"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    receipts_public = forms.BooleanField(
        label=_("Show receipts to the fund's readers"), required=False
    )

    def __init__(
        self,
        *args: Any,
        fund: Any,
        chosen: QuerySet[Any],
        organizations: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        from django.conf import settings

        purposes = fund.purposes if isinstance(fund.purposes, dict) else {}
        initial = {
            "name": fund.name,
            "purpose": fund.purpose,
            "transparency": fund.transparency,
            "keep": list(chosen),
            "receipts_public": fund.receipts_public,
            **{f"purpose_{code}": purposes.get(code, "") for code, _name in settings.LANGUAGES},
        }
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        cast("forms.ModelMultipleChoiceField[Any]", self.fields["keep"]).queryset = chosen
        if not chosen.exists():
            del self.fields["keep"]
        self.languages = [code for code, _name in settings.LANGUAGES]
        for code, name in settings.LANGUAGES:
            self.fields[f"purpose_{code}"] = forms.CharField(
                label=_("What the fund is for, in %(language)s") % {"language": name},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["add"] = organization_picker(
            label=_("Also show it to the members of"),
            queryset=organizations,
            required=False,
            help_text=_("When members of chosen organizations may see the fund."),
        )
        self.order_fields(
            ["name", "purpose", *[f"purpose_{code}" for code in self.languages], "transparency"]
        )

    def purposes(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"purpose_{code}", "") for code in self.languages}

    def organizations(self) -> list[Any]:
        chosen = list(self.cleaned_data.get("keep") or [])
        if self.cleaned_data.get("add") is not None:
            chosen.append(self.cleaned_data["add"])
        return chosen


class ManagerForm(forms.Form):
    username = forms.CharField(label=_("User name of the new manager"), max_length=150)


class OwnerForm(forms.Form):
    owner_body: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Body that owns the fund"),
        queryset=None,
        required=False,
        empty_label=_("None: the organization itself"),
        help_text=OWNER_BODY_HELP,
    )

    def __init__(self, *args: Any, bodies: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["owner_body"]).queryset = bodies


class ApprovalForm(forms.Form):
    approval_rule = forms.ChoiceField(
        label=_("Approval of spending"),
        choices=ApprovalRuleChoice.choices,
        help_text=_("Spending beyond the budget needs the next stricter rule."),
    )
    body: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Body that votes on spending"),
        queryset=None,
        required=False,
        help_text=_("Needed when a vote decides, and for spending beyond the budget."),
    )

    def __init__(self, *args: Any, bodies: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["body"]).queryset = bodies

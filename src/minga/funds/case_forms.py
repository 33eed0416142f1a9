"""Forms of the legal cases' pages. They parse input only; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minga.common.forms import AmountField, CountryChoices, DatePicker

from .forms import _in_unit
from .types import CaseDateKind, CaseKind, CaseRole, CaseStatus


class CaseForm(forms.Form):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=100,
        help_text=_("How the team calls the person here; not their real name."),
    )
    kind = forms.ChoiceField(label=_("Kind of case"), choices=CaseKind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices, initial="open")
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = CountryChoices("—")  # type: ignore[attr-defined]


class IdentityForm(forms.Form):
    legal_name = forms.CharField(label=_("Name on their papers"), max_length=500)
    born_on = forms.CharField(label=_("Date of birth"), max_length=500, required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=500, required=False)
    contact = forms.CharField(label=_("How to reach them"), max_length=500, required=False)
    papers = forms.CharField(
        label=_("Papers and their numbers"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TeamMemberForm(forms.Form):
    username = forms.CharField(label=_("User name of the person"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=CaseRole.choices, initial="lawyer")


class CaseDateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseDateKind.choices, initial="hearing")
    on = forms.DateField(label=_("Day"), widget=DatePicker())
    time = forms.CharField(label=_("Time"), max_length=20, required=False)
    what = forms.CharField(label=_("What"), max_length=500)
    where = forms.CharField(label=_("Where"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File (PDF, document or picture, up to 10 MB)"))


class CaseExpenseForm(forms.Form):
    amount = AmountField(label=_("Amount"))
    category = forms.SlugField(label=_("Category"), initial="legal-fees", max_length=40)
    paid_to = forms.CharField(label=_("Paid to"), max_length=200)
    what_for = forms.CharField(label=_("What for"), max_length=500)

    def __init__(self, *args: Any, unit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _in_unit(self.fields["amount"], unit)


class DeleteCaseForm(forms.Form):
    reference = forms.CharField(label=_("Type the case's reference to confirm"), max_length=16)

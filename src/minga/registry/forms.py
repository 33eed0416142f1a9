from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from minga.common.forms import (
    CountryChoices,
    DatePicker,
    LongSelect,
    ModelChoice,
    ModelMultipleChoice,
    TextLanguageField,
    preselect_only_choice,
)
from minga.common.models import Visibility

from .models import (
    ContactKind,
    Language,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Region,
)
from .selectors import DirectoryFilters
from .services import OrganizationData


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)
    region = forms.ChoiceField(label=_("Region"), required=False, widget=LongSelect)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *OrganizationKind.choices], required=False
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *OrganizationStatus.choices],
        required=False,
    )

    def __init__(
        self, *args: Any, countries_present: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only countries that have organizations: a short list is quicker to use and to render.
        names = dict(countries)
        present = sorted(
            ((code, names.get(code, code)) for code in countries_present or []),
            key=lambda choice: str(choice[1]),
        )
        self.fields["country"].choices = [("", _("All countries")), *present]  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", _("All regions"))] + [  # type: ignore[attr-defined]
            (region.code, str(region)) for region in Region.objects.all()
        ]
        self.fields["language"].choices = [("", _("All languages"))] + [  # type: ignore[attr-defined]
            (language.code, language.name) for language in Language.objects.all()
        ]

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DirectoryFilters(
            **{key: data.get(key) or "" for key in DirectoryFilters.__annotations__}
        )


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_language = TextLanguageField(label=_("Language of the name"))
    kind = forms.ChoiceField(label=_("Type"), choices=OrganizationKind.choices)
    # No country is preselected: the first of the alphabet would be a silent wrong answer.
    country = LazyTypedChoiceField(
        widget=LongSelect,
        label=_("Country"),
        choices=CountryChoices(_("Choose a country")),
    )
    region = ModelChoice(label=_("Region"), queryset=Region.objects.all(), to_field_name="code")
    area = forms.CharField(label=_("State, province or area"), max_length=120, required=False)
    languages = ModelMultipleChoice(
        label=_("Languages its people use"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("You can use Markdown: **bold**, lists, links."),
    )
    founded_on = forms.DateField(label=_("Founded"), required=False, widget=DatePicker())
    registry_number = forms.CharField(label=_("External registry number"), required=False)
    contact_email = forms.EmailField(label=_("Public email"), required=False)
    contact_phone = forms.CharField(
        label=_("Phone (seen only by members)"), required=False, max_length=40
    )
    logo = forms.ImageField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG or WebP, under 512 KB.")
    )

    def __init__(self, *args: Any, organization: Organization | None = None, **kwargs: Any) -> None:
        if organization is not None and "initial" not in kwargs:
            contacts = {c.kind: c.value for c in organization.contact_channels.all()}
            kwargs["initial"] = {
                "name": organization.name,
                "name_language": organization.name_language,
                "kind": organization.kind,
                "country": str(organization.country),
                "region": organization.region.code,
                "area": organization.area,
                "languages": list(organization.languages.all()),
                "description": organization.description,
                "founded_on": organization.founded_on,
                "registry_number": organization.registry_number,
                "contact_email": contacts.get(ContactKind.EMAIL, ""),
                "contact_phone": contacts.get(ContactKind.PHONE, ""),
            }
        super().__init__(*args, **kwargs)
        # No country is chosen for the reader (the first in the alphabet would be): an empty
        # line first, names in the reader's language.
        self.fields["country"].choices = CountryChoices(_("Choose a country"))  # type: ignore[attr-defined]

    def to_data(self, organization: Organization | None = None) -> OrganizationData:
        data = self.cleaned_data
        contacts: list[tuple[str, str, str]] = []
        if data.get("contact_email"):
            contacts.append((ContactKind.EMAIL, data["contact_email"], Visibility.PUBLIC))
        if data.get("contact_phone"):
            contacts.append((ContactKind.PHONE, data["contact_phone"], Visibility.ORGANIZATIONS))
        return OrganizationData(
            slug=organization.slug if organization else "",
            name=data["name"],
            name_language=data["name_language"],
            names=dict(organization.names) if organization else {},
            kind=data["kind"],
            country=data["country"],
            region=data["region"].code,
            area=data.get("area", ""),
            latitude=organization.latitude if organization else None,
            longitude=organization.longitude if organization else None,
            languages=[language.code for language in data.get("languages", [])],
            description=data.get("description", ""),
            description_language=data["name_language"],
            founded_on=data.get("founded_on"),
            registry_number=data.get("registry_number", ""),
            status=organization.status if organization else OrganizationStatus.ACTIVE,
            contacts=contacts,
        )


class JoinRequestForm(OrganizationForm):
    network = ModelChoice(
        label=_("Network to join"), queryset=Organization.objects.none(), to_field_name="slug"
    )
    motivation = forms.CharField(
        label=_("Why does your organization want to join?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )

    field_order = ["network", "name", "name_language", "kind", "country", "region", "area"]

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["logo"]  # added once the organization is accepted, from its page
        self.fields["network"].queryset = networks  # type: ignore[attr-defined]
        preselect_only_choice(self.fields["network"])


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("suspend", _("Suspend")),
            ("reinstate", _("Reinstate")),
            ("withdraw", _("Withdraw")),
        ]
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=4000)
    # Withdrawing is confirmed on its own page (``relation_withdraw``) before it is done.
    confirm = forms.BooleanField(required=False)

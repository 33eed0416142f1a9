"""Forms of the network's pages. They parse input only; the services hold the rules."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minga.common.forms import CountryChoices, DatePicker, DateTimePicker, LongSelect, ModelChoice
from minga.common.models import Visibility

from .models import Campaign, Programme
from .services import BulletinData, CampaignData, EventData, MaterialData, ProgrammeData
from .types import BulletinKind, DigestFrequency, EventKind, MaterialKind

TIME_ZONES = [(name, name) for name in sorted(zoneinfo.available_timezones())]
LANGUAGE_CHOICES = list(settings.LANGUAGES)
VISIBILITIES = [
    (Visibility.PUBLIC, Visibility.PUBLIC.label),
    (Visibility.SERVER, Visibility.SERVER.label),
]


class OrganizationChoice(ModelChoice):
    """The organizations the person acts for (a handful): the only one is preselected."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def _organization_field(organizations: QuerySet[Any], label: Any) -> OrganizationChoice:
    return OrganizationChoice(queryset=organizations, label=label, empty_label=None)


class BulletinForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = ModelChoice(queryset=None, label=_("Organization"))
    kind = forms.ChoiceField(label=_("Kind"), choices=BulletinKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), help_text=_("Markdown.")
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=LANGUAGE_CHOICES)
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Words separated by commas.")
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)
    campaign = ModelChoice(queryset=Campaign.objects.none(), label=_("Campaign"), required=False)
    programme = ModelChoice(
        queryset=Programme.objects.none(), label=_("Radio programme"), required=False
    )
    video_links = forms.CharField(
        label=_("Video links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("https addresses, one a line."),
    )
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=VISIBILITIES)

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Any],
        campaigns: QuerySet[Campaign],
        programmes: QuerySet[Programme],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _organization_field(organizations, _("Organization"))
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["country"].choices = CountryChoices("—")  # type: ignore[attr-defined]

    def to_data(self) -> BulletinData:
        data = self.cleaned_data
        return BulletinData(
            title=data["title"],
            body=data["body"],
            language=data["language"],
            kind=data["kind"],
            summary=data["summary"],
            tags=[tag for tag in data["tags"].split(",") if tag.strip()],
            country=data["country"],
            campaign=data["campaign"],
            programme=data["programme"],
            video_links=[line.strip() for line in data["video_links"].splitlines() if line.strip()],
            visibility=data["visibility"],
            region=getattr(data["organization"], "region", None),
        )


class MediaForm(forms.Form):
    file = forms.FileField(label=_("Image, audio or document"))
    alt_text = forms.CharField(
        label=_("Description of the image (for people who cannot see it)"),
        max_length=1000,
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Publish at (leave empty to publish now)"),
        required=False,
        widget=DateTimePicker(),
    )


class TranslationRequestForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )


class TranslationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))


class VolunteerForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("I can translate into"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    frequency = forms.ChoiceField(
        label=_("How often"), choices=DigestFrequency.choices, initial=DigestFrequency.WEEKLY
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)


class CampaignForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = ModelChoice(queryset=None, label=_("Promoted by"))
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Short code"), max_length=80, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    goals = forms.CharField(
        label=_("Goals"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    starts_on = forms.DateField(label=_("Starts"), widget=DatePicker())
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DatePicker())
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=VISIBILITIES)

    def __init__(self, *args: Any, organizations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _organization_field(organizations, _("Promoted by"))

    def to_data(self) -> CampaignData:
        data = self.cleaned_data
        return CampaignData(
            title=data["title"],
            slug=data.get("slug") or "",
            summary=data["summary"],
            description=data["description"],
            goals=data["goals"],
            language=data["language"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            visibility=data["visibility"],
            region=getattr(data["organization"], "region", None),
        )


class ParticipationForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = ModelChoice(queryset=None, label=_("Organization"))

    def __init__(self, *args: Any, organizations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _organization_field(organizations, _("Organization"))


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), required=False)
    link = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https")
    alt_text = forms.CharField(label=_("Description of the image"), max_length=1000, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)

    def to_data(self) -> MaterialData:
        data = self.cleaned_data
        return MaterialData(
            kind=data["kind"],
            title=data["title"],
            link=data["link"] or "",
            alt_text=data["alt_text"],
            language=data["language"],
        )


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Short code"), max_length=80, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    category = forms.CharField(label=_("Podcast category"), max_length=80, initial="News")

    def to_data(self) -> ProgrammeData:
        return ProgrammeData(**self.cleaned_data)


class EventForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = ModelChoice(queryset=None, label=_("Organized by"))
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    starts = forms.DateTimeField(
        label=_("Starts (local time where it happens)"),
        widget=DateTimePicker(),
    )
    ends = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        widget=DateTimePicker(),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONES)
    all_day = forms.BooleanField(label=_("All day"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6
    )
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    campaign = ModelChoice(queryset=Campaign.objects.none(), label=_("Campaign"), required=False)
    yearly = forms.BooleanField(label=_("Every year on this date"), required=False)
    recurrence_until = forms.DateField(
        label=_("Repeats until"), required=False, widget=DatePicker()
    )
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=VISIBILITIES)

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Any],
        campaigns: QuerySet[Campaign],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _organization_field(organizations, _("Organized by"))
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        self.fields["country"].choices = CountryChoices("—")  # type: ignore[attr-defined]

    def _aware(self, moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        zone = zoneinfo.ZoneInfo(self.cleaned_data["time_zone"])
        # Parsed with UTC as the current zone (see the views): the wall time typed is kept.
        naive = moment.astimezone(UTC).replace(tzinfo=None) if timezone.is_aware(moment) else moment
        return naive.replace(tzinfo=zone)

    def to_data(self) -> EventData:
        data = self.cleaned_data
        organization = data["organization"]
        starts = self._aware(data["starts"])
        if starts is None:  # the field is required: the form is valid only with a start
            raise ValueError("to_data() needs a valid form")
        return EventData(
            title=data["title"],
            kind=data["kind"],
            description=data["description"],
            language=data["language"],
            starts_at=starts,
            ends_at=self._aware(data["ends"]),
            time_zone=data["time_zone"],
            all_day=data["all_day"],
            place=data["place"],
            address=data["address"],
            country=data["country"] or str(getattr(organization, "country", "") or ""),
            region=getattr(organization, "region", None),
            latitude=data["latitude"],
            longitude=data["longitude"],
            online_url=data["online_url"] or "",
            campaign=data["campaign"],
            yearly=data["yearly"],
            recurrence_until=data["recurrence_until"],
            visibility=data["visibility"],
        )


class CalendarFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False, widget=LongSelect)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)
    campaign = forms.CharField(label=_("Campaign (short code)"), required=False, max_length=80)
    organization = forms.CharField(
        label=_("Organization (short code)"), required=False, max_length=80
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=LongSelect)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All")), *regions]  # type: ignore[attr-defined]
        self.fields["country"].choices = CountryChoices(_("All"))  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("All")), *EventKind.choices]  # type: ignore[attr-defined]

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}

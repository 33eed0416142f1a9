"""Forms of the seed bank's pages. They parse input only; the services hold the rules."""

from __future__ import annotations

import datetime
import re
import uuid as uuid_lib
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minga.common.forms import DatePicker, ModelChoice, preselect_only_choice, to_minor_units
from minga.common.models import Visibility

from .models import Lot, SampleStatus, Settlement
from .services import AccessionData, AccessionEdit, BankData, LotData, RequestData, TestData

MAX_COUNT = 10**9
UUID_IN_TEXT = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
VISIBILITY_CHOICES = [
    (Visibility.PUBLIC, _("Everyone")),
    (Visibility.SERVER, _("People signed in to this server")),
    (Visibility.ORGANIZATIONS, _("Members of our organization only")),
]


def _date(**kwargs: Any) -> forms.DateField:
    return forms.DateField(widget=DatePicker(), **kwargs)


class BankForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Organization"), queryset=None, to_field_name="slug"
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    instcode = forms.CharField(
        label=_("Institute code"),
        max_length=16,
        help_text=_("Three letters of the country and three digits, such as PER001."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    first_test_months = forms.IntegerField(
        label=_("First germination test within (months)"), min_value=1, max_value=120, initial=12
    )
    minimum_initial_germination = forms.IntegerField(
        label=_("Lowest initial germination (%)"), min_value=1, max_value=99, initial=85
    )
    regeneration_fraction = forms.IntegerField(
        label=_("Regenerate below this share of the initial viability (%)"),
        min_value=1,
        max_value=99,
        initial=85,
    )
    seeds_per_sowing = forms.IntegerField(
        label=_("Seeds for one sowing"), min_value=1, max_value=MAX_COUNT, initial=100
    )
    minimum_sowings = forms.IntegerField(
        label=_("Keep at least this many sowings"), min_value=1, max_value=100, initial=3
    )
    monitoring_months = forms.IntegerField(
        label=_("Test again every (months)"), min_value=1, max_value=240, initial=60
    )

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
            preselect_only_choice(self.fields["organization"])

    def to_data(self) -> BankData:
        values = {k: v for k, v in self.cleaned_data.items() if k != "organization"}
        return BankData(**values)


class AccessionForm(forms.Form):
    accenumb = forms.CharField(label=_("Accession number"), max_length=64)
    genus = forms.CharField(label=_("Genus"), max_length=64, help_text=_("Such as Zea."))
    species = forms.CharField(
        label=_("Species"), max_length=64, required=False, help_text=_("Such as mays.")
    )
    cropname = forms.CharField(label=_("Crop"), max_length=200, required=False)
    accename = forms.CharField(label=_("Variety name"), max_length=200, required=False)
    local_names = forms.CharField(
        label=_("Local names"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line: the language tag, a colon, the name (qu: kulli sara)."),
    )
    sampstat = forms.TypedChoiceField(
        label=_("Biological status"),
        choices=SampleStatus.choices,
        coerce=int,
        initial=SampleStatus.LANDRACE,
    )
    acqdate = forms.CharField(
        label=_("Acquisition date"),
        max_length=8,
        required=False,
        help_text=_("YYYYMMDD; unknown month or day as hyphens: 2019----."),
    )
    origcty = forms.CharField(
        label=_("Country of origin"),
        max_length=3,
        required=False,
        help_text=_("Three letters, such as PER or HTI."),
    )
    collsite = forms.CharField(label=_("Collecting site"), max_length=500, required=False)
    declatitude = forms.CharField(label=_("Latitude (decimal)"), max_length=20, required=False)
    declongitude = forms.CharField(label=_("Longitude (decimal)"), max_length=20, required=False)
    elevation = forms.CharField(label=_("Elevation (m)"), max_length=10, required=False)
    duplsite = forms.CharField(
        label=_("Safety duplicates at"),
        max_length=200,
        required=False,
        help_text=_("Institute codes separated by semicolons."),
    )
    custodian = forms.CharField(
        label=_("Custodian family or community"), max_length=200, required=False
    )
    story = forms.CharField(label=_("Story and uses"), widget=forms.Textarea, required=False)
    sharing_conditions = forms.CharField(
        label=_("Sharing conditions"), widget=forms.Textarea, required=False
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=VISIBILITY_CHOICES, initial=Visibility.PUBLIC
    )

    def clean_local_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for number, line in enumerate((self.cleaned_data.get("local_names") or "").splitlines(), 1):
            if not line.strip():
                continue
            tag, colon, name = line.partition(":")
            if not colon or not tag.strip() or not name.strip():
                raise forms.ValidationError(
                    _("Line %(line)d: the language tag, a colon, then the name (qu: kulli sara).")
                    % {"line": number}
                )
            names[tag.strip().lower()] = name.strip()
        return names

    MCPD: tuple[str, ...] = (
        "accenumb", "genus", "species", "cropname", "accename", "acqdate", "origcty",
        "collsite", "declatitude", "declongitude", "elevation", "duplsite",
    )  # fmt: skip

    def to_data(self) -> AccessionData:
        data = self.cleaned_data
        mcpd = {name.upper(): str(data.get(name) or "") for name in self.MCPD}
        mcpd["SAMPSTAT"] = str(data["sampstat"])
        mcpd["ORIGCTY"] = mcpd["ORIGCTY"].upper()
        local = data.get("local_names") or {}
        return AccessionData(
            mcpd=mcpd,
            local_names=local,
            custodian=data.get("custodian") or "",
            story=data.get("story") or "",
            sharing_conditions=data.get("sharing_conditions") or "",
            visibility=data["visibility"],
        )


def _text(label: Any, max_length: int = 200, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


class AccessionEditForm(AccessionForm):
    """The passport data of a registered accession, prefilled: the registration's fields
    and the rest a keeper corrects later (taxon authors, collecting, donor, storage,
    safety duplicate institution, remarks)."""

    spauthor = _text(_("Species author"))
    subtaxa = _text(_("Subtaxon"), help_text=_("Such as var. amylacea."))
    colldate = _text(
        _("Collecting date"), 8, help_text=_("YYYYMMDD; unknown month or day as hyphens.")
    )
    collnumb = _text(_("Collecting number"), 64)
    collname = _text(_("Collecting institute or collector"), 500)
    collsrc = _text(
        _("Collecting source (MCPD code)"), 3, help_text=_("Such as 20 for a farm or garden.")
    )
    ancest = _text(_("Pedigree"), 500)
    donorname = _text(_("Donor"))
    donorcode = _text(_("Donor institute code"), 16)
    donornumb = _text(_("Donor's accession number"), 64)
    othernumb = _text(_("Other numbers"), 500, help_text=_("Separated by semicolons."))
    duplinstname = _text(_("Safety duplicate institution"), 500)
    storage = _text(
        _("Type of storage (MCPD codes)"), 64, help_text=_("Such as 13 for long-term seed.")
    )
    remarks = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    MCPD = (
        *AccessionForm.MCPD, "spauthor", "subtaxa", "colldate", "collnumb", "collname",
        "collsrc", "ancest", "donorname", "donorcode", "donornumb", "othernumb",
        "duplinstname", "storage", "remarks",
    )  # fmt: skip

    sampstat = forms.TypedChoiceField(
        label=_("Biological status"),
        choices=[("", "—"), *SampleStatus.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, accession: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self.initial_of(accession))
        super().__init__(*args, **kwargs)
        field = self.fields["sampstat"]
        code = accession.sampstat
        if code is not None and code not in SampleStatus.values:
            # A finer MCPD code (such as 410) imported from a file stays choosable.
            field.choices = [*field.choices, (code, accession.sample_status_label)]  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, accession: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: "" if getattr(accession, name) is None else getattr(accession, name)
            for name in cls.MCPD
        }
        initial["sampstat"] = accession.sampstat
        initial["local_names"] = "\n".join(
            f"{tag}: {name}" for tag, name in accession.local_names.items()
        )
        for name in ("custodian", "story", "sharing_conditions", "visibility"):
            initial[name] = getattr(accession, name)
        return initial

    def to_edit(self) -> AccessionEdit:
        data = self.to_data()
        mcpd = dict(data.mcpd)
        if self.cleaned_data.get("sampstat") is None:
            mcpd["SAMPSTAT"] = ""
        mcpd["COLLSRC"] = mcpd["COLLSRC"].strip()
        return AccessionEdit(
            mcpd=mcpd,
            local_names=data.local_names,
            custodian=data.custodian,
            story=data.story,
            sharing_conditions=data.sharing_conditions,
            visibility=data.visibility,
        )


class LotForm(forms.Form):
    code = forms.CharField(label=_("Lot code"), max_length=64)
    seeds = forms.IntegerField(label=_("Seeds"), min_value=0, max_value=MAX_COUNT, required=False)
    grams = forms.DecimalField(
        label=_("Or weight (g)"),
        min_value=Decimal("0.001"),
        max_digits=12,
        decimal_places=3,
        required=False,
    )
    hundred_seed_weight_mg = forms.IntegerField(
        label=_("Weight of 100 seeds (mg)"), min_value=1, max_value=MAX_COUNT, required=False
    )
    harvested_on = _date(label=_("Harvest date"), required=False)
    received_on = _date(label=_("Received on"), initial=timezone.localdate)
    storage_temperature = forms.DecimalField(
        label=_("Storage temperature (°C)"), max_digits=4, decimal_places=1, initial=Decimal(5)
    )
    moisture_percent = forms.DecimalField(
        label=_("Seed moisture content (%)"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=Decimal("99.9"),
    )
    room = forms.CharField(label=_("Room"), max_length=64, required=False)
    shelf = forms.CharField(label=_("Shelf"), max_length=64, required=False)
    container = forms.CharField(label=_("Container"), max_length=64, required=False)
    distributable = forms.BooleanField(label=_("May be shared"), required=False, initial=True)
    parent: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Parent lot"), queryset=None, required=False, to_field_name="code"
    )

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parents is None:
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def to_data(self) -> LotData:
        data = dict(self.cleaned_data)
        parent: Lot | None = data.pop("parent", None)
        return LotData(parent=parent, **data)


class TestForm(forms.Form):
    tested_on = _date(label=_("Test date"), initial=timezone.localdate)
    sown = forms.IntegerField(label=_("Seeds sown"), min_value=1, max_value=MAX_COUNT, initial=100)
    germinated = forms.IntegerField(label=_("Normal seedlings"), min_value=0, max_value=MAX_COUNT)
    abnormal = forms.IntegerField(
        label=_("Abnormal seedlings"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    dead = forms.IntegerField(label=_("Dead seeds"), min_value=0, max_value=MAX_COUNT, initial=0)
    replicates = forms.IntegerField(label=_("Replicates"), min_value=1, max_value=100, initial=4)
    method = forms.CharField(
        label=_("Method"),
        max_length=200,
        required=False,
        help_text=_("Such as between paper, 20 °C."),
    )

    def to_data(self) -> TestData:
        return TestData(**self.cleaned_data)


class RegenerationForm(forms.Form):
    grower: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Commune that grows it"), queryset=None, to_field_name="slug"
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    sow_on = _date(label=_("Sowing date"))
    plants = forms.IntegerField(label=_("Plants"), min_value=1, max_value=MAX_COUNT)
    seeds_used = forms.IntegerField(label=_("Seeds to sow"), min_value=1, max_value=MAX_COUNT)

    def __init__(self, *args: Any, growers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grower"].queryset = growers  # type: ignore[attr-defined]
        preselect_only_choice(self.fields["grower"])


class RequestForm(forms.Form):
    requester: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("For"), queryset=None, to_field_name="slug"
    )
    seeds = forms.IntegerField(label=_("Seeds"), min_value=1, max_value=MAX_COUNT)
    settlement = forms.ChoiceField(
        label=_("Settled by"), choices=Settlement.choices, initial=Settlement.GIFT
    )
    barter_offer = forms.CharField(label=_("Offered in exchange"), max_length=500, required=False)
    unit: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Unit of account"),
        queryset=None,
        to_field_name="code",
        required=False,
        help_text=_("For a payment through the exchange, made when the seeds are shipped."),
    )
    amount = forms.CharField(label=_("Amount"), max_length=40, required=False)
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    conditions_accepted = forms.BooleanField(
        label=_("We accept the sharing conditions"), required=False
    )

    def __init__(self, *args: Any, requesters: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = requesters  # type: ignore[attr-defined]
        preselect_only_choice(self.fields["requester"])
        if units.exists():
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
            only = list(units[:2])
            if len(only) == 1:  # optional (gift and barter need none), but the only one shown
                self.fields["unit"].initial = only[0]
            self.fields["amount"].widget.attrs.update({"inputmode": "decimal"})
        else:  # no unit to pay in: no payment through the exchange on this form
            del self.fields["unit"], self.fields["amount"]
            self.fields["settlement"].choices = [  # type: ignore[attr-defined]
                choice for choice in Settlement.choices if choice[0] != Settlement.EXCHANGE
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["minor_amount"] = None
        text = (data.get("amount") or "").strip()
        unit = data.get("unit")
        if data.get("settlement") == Settlement.EXCHANGE and text and unit is not None:
            try:
                data["minor_amount"] = to_minor_units(text, unit.scale)
            except forms.ValidationError as error:
                self.add_error("amount", error)
        return data

    def to_data(self) -> RequestData:
        data = self.cleaned_data
        return RequestData(
            seeds=data["seeds"],
            conditions_accepted=bool(data.get("conditions_accepted")),
            settlement=data["settlement"],
            barter_offer=data.get("barter_offer") or "",
            purpose=data.get("purpose") or "",
            unit=data.get("unit"),
            amount=data.get("minor_amount"),
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=2000, required=False)


def today() -> datetime.date:
    return timezone.localdate()


MAX_IMPORT_BYTES = 64 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("MCPD file (CSV)"),
        help_text=_(
            "UTF-8, comma-separated, with a header row of MCPD v2.1 column names (ACCENUMB, "
            "GENUS, …). If a line is wrong, nothing is imported."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see these accessions"),
        choices=VISIBILITY_CHOICES,
        initial=Visibility.PUBLIC,
    )


class LibraryLinkForm(forms.Form):
    item = forms.CharField(
        label=_("Library item"),
        max_length=500,
        help_text=_("Paste the address of the item in the library (a story, a recipe, a guide)."),
    )

    def clean_item(self) -> uuid_lib.UUID:
        found = UUID_IN_TEXT.search(self.cleaned_data["item"])
        if found is None:
            raise forms.ValidationError(_("This is not the address of a library item."))
        return uuid_lib.UUID(found.group(0))

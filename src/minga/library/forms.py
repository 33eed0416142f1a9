"""Forms of the library's pages. They turn what people type into the services' input and
name the line and field of any mistake; the services still check every rule."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.common.forms import (
    CountryChoices,
    DatePicker,
    LongSelect,
    ModelChoice,
    ModelMultipleChoice,
)
from minga.common.models import Visibility
from minga.core.library import quantities

from .content import AccessData, ConsentData, IngredientData, ItemData
from .models import Item, Subject
from .types import (
    LABEL_TYPES,
    UNIT_LABELS,
    ItemKind,
    License,
    LinkRelation,
    MembershipRole,
    ProtocolKind,
    ProtocolRule,
)

_QUANTITY = r"\d+(?:[.,]\d+)?(?:\s*/\s*\d+)?"
_INGREDIENT = re.compile(rf"^(?P<quantity>{_QUANTITY})\s+(?P<unit>\S+)\s+(?P<rest>.+)$")


def parse_ingredients(text: str) -> list[IngredientData]:
    """One ingredient a line: ``40 kg fresh manure; note`` or, unmeasured, ``salt; to taste``.
    A mistake is named by its line."""
    rows = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        line, _sep, note = line.partition(";")
        line, note = line.strip(), note.strip()
        match = _INGREDIENT.match(line)
        if match is None:
            if re.match(rf"^{_QUANTITY}(\s|$)", line):
                raise forms.ValidationError(
                    _("Line %(number)d: write the quantity, its unit, then the ingredient.")
                    % {"number": number}
                )
            rows.append(IngredientData(name=line, note=note))
            continue
        unit = match["unit"].lower()
        if unit not in quantities.UNITS:
            raise forms.ValidationError(
                _("Line %(number)d: unknown unit “%(unit)s”; use one of %(units)s.")
                % {"number": number, "unit": match["unit"], "units": ", ".join(quantities.UNITS)}
            )
        rows.append(
            IngredientData(
                name=match["rest"].strip(), quantity=match["quantity"], unit=unit, note=note
            )
        )
    return rows


def ingredients_text(ingredients: list[IngredientData]) -> str:
    lines = []
    for row in ingredients:
        line = f"{row.quantity} {row.unit} {row.name}" if row.quantity else row.name
        lines.append(f"{line}; {row.note}" if row.note else line)
    return "\n".join(lines)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class LanguageInput(forms.TextInput):
    """A language tag, with the usual ones suggested (a datalist works without JavaScript)."""

    template_name = "library/widgets/language.html"


def _units() -> list[tuple[str, str]]:
    # Called when a form is shown, so each unit is named in the reader's language.
    return [(code, f"{code} ({label})") for code, label in UNIT_LABELS.items()]


def _units_or_none() -> list[tuple[str, str]]:
    return [("", "—"), *_units()]


_PROJECT = ["goals", "starts_on", "ends_on", "budget_amount", "budget_unit", "results", "lessons"]
KIND_FIELDS = {
    ItemKind.PROJECT: _PROJECT,
    ItemKind.PLAN: _PROJECT,
    ItemKind.FORMULA: [
        "yield_quantity", "yield_unit", "ingredients", "steps", "conditions", "serves", "climate",
        "altitude_min", "altitude_max", "safety",
    ],
    ItemKind.KNOWLEDGE: ["practice", "community_of_origin", "season"],
    ItemKind.DOCUMENT: [],
    ItemKind.AUDIO: ["duration_seconds"],
    ItemKind.VIDEO: ["duration_seconds"],
    ItemKind.IMAGE: [],
}  # fmt: skip
ALL_KIND_FIELDS = sorted({name for names in KIND_FIELDS.values() for name in names})


def _usernames(text: str) -> list[Any]:
    from minga.people.selectors import active_person

    people = []
    for name in re.split(r"[\s,]+", text or ""):
        name = name.strip().lstrip("@")
        if not name:
            continue
        person = active_person(name)
        if person is None:
            raise forms.ValidationError(
                _("Nobody here has the user name “%(name)s”.") % {"name": name}
            )
        people.append(person)
    return people


class ItemForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = ModelChoice(
        label=gettext_lazy("Contributed by"), queryset=None, to_field_name="slug"
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    language = forms.CharField(
        label=gettext_lazy("Language"),
        max_length=16,
        widget=LanguageInput,
        help_text=gettext_lazy("A language tag: es, pt, en, fr, ht, qu, ay, gn …"),
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    body = forms.CharField(
        label=gettext_lazy("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=gettext_lazy("Markdown."),
    )
    # Kind-specific fields; the form keeps those of its kind.
    goals = forms.CharField(
        label=gettext_lazy("Goals"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    starts_on = forms.DateField(label=gettext_lazy("Starts"), required=False, widget=DatePicker())
    ends_on = forms.DateField(label=gettext_lazy("Ends"), required=False, widget=DatePicker())
    budget_amount = forms.IntegerField(
        label=gettext_lazy("Budget (whole units)"), required=False, min_value=0
    )
    budget_unit = forms.CharField(
        label=gettext_lazy("Unit of account of the budget"), max_length=16, required=False
    )
    results = forms.CharField(
        label=gettext_lazy("Results"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lessons = forms.CharField(
        label=gettext_lazy("Lessons learned"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    yield_quantity = forms.CharField(
        label=gettext_lazy("It makes (yield)"), max_length=30, required=False
    )
    yield_unit = forms.ChoiceField(
        label=gettext_lazy("Unit of the yield"), choices=_units_or_none, required=False
    )
    ingredients = forms.CharField(
        label=gettext_lazy("Ingredients"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy(
            "One a line: quantity, unit, ingredient, and after a semicolon a note. "
            "For example: 40 kg fresh cow manure; from grass-fed cows. "
            "An ingredient without a quantity is written alone: salt; to taste."
        ),
    )
    steps = forms.CharField(
        label=gettext_lazy("Steps"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy("One step a line, in order."),
    )
    conditions = forms.CharField(
        label=gettext_lazy("Conditions of use"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    serves = forms.CharField(
        label=gettext_lazy("Crops or animals it serves"), max_length=300, required=False
    )
    climate = forms.CharField(label=gettext_lazy("Climate"), max_length=200, required=False)
    altitude_min = forms.IntegerField(label=gettext_lazy("Lowest altitude (m)"), required=False)
    altitude_max = forms.IntegerField(label=gettext_lazy("Highest altitude (m)"), required=False)
    safety = forms.CharField(
        label=gettext_lazy("Safety notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    practice = forms.CharField(label=gettext_lazy("Practice"), max_length=200, required=False)
    community_of_origin = forms.CharField(
        label=gettext_lazy("Community of origin"), max_length=200, required=False
    )
    season = forms.CharField(label=gettext_lazy("Season"), max_length=200, required=False)
    duration_seconds = forms.IntegerField(
        label=gettext_lazy("Duration (seconds)"), required=False, min_value=0
    )
    # Every kind.
    authors = forms.CharField(
        label=gettext_lazy("Authors"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("One a line, as they want to be named."),
    )
    subjects = ModelMultipleChoice(
        label=gettext_lazy("Subjects"),
        queryset=Subject.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"), required=False, help_text=gettext_lazy("Separated by commas.")
    )
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False, widget=LongSelect)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    made_on = forms.DateField(
        label=gettext_lazy("Made or recorded on"),
        required=False,
        widget=DatePicker(),
    )
    license = forms.ChoiceField(label=gettext_lazy("License"), choices=License.choices)
    license_text = forms.CharField(
        label=gettext_lazy("Terms of the community license"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    labels = forms.MultipleChoiceField(
        label=gettext_lazy("Traditional Knowledge and Biocultural labels"),
        choices=[(label.code, label.name) for label in LABEL_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The Local Contexts label types the community applies."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=gettext_lazy("What you changed"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        kind: str,
        organizations: Any = None,
        item: Item | None = None,
        **kwargs: Any,
    ) -> None:
        from . import selectors
        from .content import data_of

        self.kind = kind
        if item is not None and not kwargs.get("data"):
            data = data_of(item)
            initial = {name: getattr(data, name) for name in data.__dataclass_fields__}
            initial.update(
                organization=item.organization.slug,
                authors="\n".join(data.authors),
                tags=", ".join(data.tags),
                ingredients=ingredients_text(data.ingredients),
                steps="\n".join(data.steps),
                version=item.version,
            )
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for name in ALL_KIND_FIELDS:
            if name not in KIND_FIELDS[ItemKind(kind)]:
                del self.fields[name]
        self.fields["country"].choices = CountryChoices("—")  # type: ignore[attr-defined]
        if item is not None:
            del self.fields["organization"]
        else:
            del self.fields["note"]
            field = self.fields["organization"]
            field.queryset = organizations  # type: ignore[attr-defined]
            if organizations is not None and organizations.count() == 1:
                field.initial = organizations.first().slug
        self.fields["subjects"].queryset = selectors.subjects()  # type: ignore[attr-defined]

    def clean_ingredients(self) -> list[IngredientData]:
        return parse_ingredients(self.cleaned_data.get("ingredients", ""))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.kind == ItemKind.FORMULA and not self.errors and not data.get("ingredients"):
            self.add_error("ingredients", _("A formula needs at least one ingredient."))
        return data

    def to_data(self) -> ItemData:
        values = self.cleaned_data
        known = set(ItemData.__dataclass_fields__)
        data: dict[str, Any] = {
            name: values[name]
            for name in values
            if name in known and name not in ("authors", "tags", "steps", "subjects")
        }
        for name in ("summary", "body", "place", "license_text", "country", "yield_quantity"):
            data.setdefault(name, "")
            data[name] = data[name] or ""
        return ItemData(
            kind=self.kind,
            **{key: value for key, value in data.items() if key != "kind"},
            authors=_lines(values.get("authors", "")),
            tags=[tag.strip() for tag in (values.get("tags") or "").split(",") if tag.strip()],
            steps=_lines(values.get("steps", "")),
            subjects=[subject.code for subject in values.get("subjects") or []],
        )


class AccessForm(forms.Form):
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may read it"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )
    protocols: forms.ModelMultipleChoiceField[Any] = ModelMultipleChoice(
        label=gettext_lazy("Community protocols"),
        queryset=None,
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "A strict protocol lets only its members read the item, whatever the level above."
        ),
    )
    protocol_rule = forms.ChoiceField(
        label=gettext_lazy("With several protocols"),
        choices=ProtocolRule.choices,
        initial=ProtocolRule.ANY,
    )
    custodians = forms.CharField(
        label=gettext_lazy("Custodians"),
        required=False,
        help_text=gettext_lazy(
            "User names of the people who keep this item, separated by commas; they always read it."
        ),
    )

    def __init__(self, *args: Any, protocols: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["protocols"].queryset = protocols.select_related("community")  # type: ignore[attr-defined]
        self.fields["protocols"].label_from_instance = (  # type: ignore[attr-defined]
            lambda protocol: (
                f"{protocol.name} · {protocol.community.display_name} · "
                f"{protocol.get_kind_display()}"
            )
        )

    def clean_custodians(self) -> list[Any]:
        return _usernames(self.cleaned_data.get("custodians", ""))

    def to_access(self, visible_to: list[Any] | None = None) -> AccessData:
        values = self.cleaned_data
        return AccessData(
            visibility=values["visibility"],
            visible_to=visible_to or [],
            custodians=values.get("custodians") or [],
            protocols=list(values.get("protocols") or []),
            protocol_rule=values["protocol_rule"],
        )


class ConsentForm(forms.Form):
    given_by = forms.CharField(
        label=gettext_lazy("Consent given by"),
        max_length=300,
        help_text=gettext_lazy("The community authority or assembly that consented."),
    )
    given_on = forms.DateField(label=gettext_lazy("Given on"), widget=DatePicker())
    method = forms.CharField(
        label=gettext_lazy("How it was given"),
        max_length=300,
        help_text=gettext_lazy(
            "For example: a decision of the community assembly, with its minutes."
        ),
    )
    scope = forms.CharField(
        label=gettext_lazy("What was consented to"), widget=forms.Textarea(attrs={"rows": 3})
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Valid until"),
        required=False,
        widget=DatePicker(),
    )

    def to_consent(self) -> ConsentData:
        return ConsentData(**self.cleaned_data)


class ScaleForm(forms.Form):
    amount = forms.CharField(label=gettext_lazy("Make"), max_length=30)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=_units)
    system = forms.ChoiceField(
        label=gettext_lazy("Show in"),
        choices=[
            ("as_written", gettext_lazy("the units of the formula")),
            ("metric", gettext_lazy("metric units")),
            ("us", gettext_lazy("US units")),
        ],
        initial="as_written",
    )

    def clean_amount(self) -> Any:
        try:
            return quantities.parse_amount(self.cleaned_data["amount"])
        except quantities.QuantityError as error:
            raise forms.ValidationError(_("Write a quantity such as 50, 2.5 or 3/4.")) from error


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    language = forms.CharField(
        label=gettext_lazy("Language"), max_length=16, required=False, widget=LanguageInput
    )


class LinkForm(forms.Form):
    relation = forms.ChoiceField(label=gettext_lazy("This item"), choices=LinkRelation.choices)
    target = forms.CharField(
        label=gettext_lazy("Other item"),
        max_length=300,
        help_text=gettext_lazy("Its address or its identifier."),
    )

    def clean_target(self) -> str:
        text = self.cleaned_data["target"]
        match = re.search(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", text)
        if match is None:
            raise forms.ValidationError(_("Paste the address of the other item."))
        return match.group(0)


class ProtocolForm(forms.Form):
    community: forms.ModelChoiceField[Any] = ModelChoice(
        label=gettext_lazy("Community"), queryset=None, to_field_name="slug"
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=ProtocolKind.choices, initial=ProtocolKind.STRICT
    )
    include_community_members = forms.BooleanField(
        label=gettext_lazy("Every member of the community belongs"), required=False
    )
    listed = forms.BooleanField(
        label=gettext_lazy("Listed: signed-in people see its name and may ask to join"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, communities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communities is None:
            del self.fields["community"]
        else:
            self.fields["community"].queryset = communities  # type: ignore[attr-defined]
            if communities.count() == 1:
                self.fields["community"].initial = communities.first().slug


class GrantForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    role = forms.ChoiceField(
        label=gettext_lazy("As"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )

    def clean_username(self) -> Any:
        return _usernames(self.cleaned_data["username"])[0]


class MessageForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class CollectionForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = ModelChoice(
        label=gettext_lazy("Curated by"), queryset=None, to_field_name="slug"
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    language = forms.CharField(
        label=gettext_lazy("Language"), max_length=16, widget=LanguageInput, initial="es"
    )
    visibility = forms.ChoiceField(label=gettext_lazy("Who may see it"), choices=Visibility.choices)

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
            if organizations.count() == 1:
                self.fields["organization"].initial = organizations.first().slug


class CollectionAddForm(forms.Form):
    collection: forms.ModelChoiceField[Any] = ModelChoice(
        label=gettext_lazy("Collection"), queryset=None, to_field_name="uuid"
    )
    note = forms.CharField(label=gettext_lazy("Curator's note"), required=False, max_length=2000)

    def __init__(self, *args: Any, collections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = collections  # type: ignore[attr-defined]
        if collections.count() == 1:
            self.fields["collection"].initial = collections.first().uuid


class TranslationRequestForm(forms.Form):
    language = forms.CharField(label=gettext_lazy("Language"), max_length=16, widget=LanguageInput)
    machine = forms.BooleanField(
        label=gettext_lazy("Pre-fill it with the machine translation server"), required=False
    )


class TranslationForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    summary = forms.CharField(
        label=gettext_lazy("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    text = forms.CharField(
        label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bundle (.zip)"))

"""An item's content as plain data: the input of the services, and the snapshot a version
keeps (and from which an old version is restored)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from minga.common.models import Visibility
from minga.core.library import quantities

from .models import Item, Protocol
from .types import License, ProtocolRule


@dataclass
class IngredientData:
    name: str
    quantity: str = ""  # as written: 2, 2.5, 2,5 or 3/4; empty when not measured
    unit: str = ""
    note: str = ""


@dataclass
class ConsentData:
    given_by: str
    given_on: date
    method: str
    scope: str
    expires_on: date | None = None


@dataclass
class ItemData:
    """The editable content of an item, as validated input."""

    kind: str
    title: str
    summary: str = ""
    body: str = ""
    language: str = "es"
    authors: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # Subject codes
    tags: list[str] = field(default_factory=list)
    country: str = ""
    place: str = ""
    made_on: date | None = None
    license: str = License.CC_BY_SA
    license_text: str = ""
    labels: list[str] = field(default_factory=list)
    goals: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    budget_amount: int | None = None
    budget_unit: str = ""
    results: str = ""
    lessons: str = ""
    yield_quantity: str = ""
    yield_unit: str = ""
    conditions: str = ""
    serves: str = ""
    climate: str = ""
    altitude_min: int | None = None
    altitude_max: int | None = None
    safety: str = ""
    ingredients: list[IngredientData] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    practice: str = ""
    community_of_origin: str = ""
    season: str = ""
    duration_seconds: int | None = None


@dataclass
class AccessData:
    """Who may read an item: its visibility level and its community protocols."""

    visibility: str = Visibility.PUBLIC
    visible_to: Sequence[Any] = ()  # organizations
    custodians: Sequence[Any] = ()  # people
    protocols: Sequence[Protocol] = ()
    protocol_rule: str = ProtocolRule.ANY


SCALAR_FIELDS = (
    "kind", "title", "summary", "body", "language", "authors", "country", "place", "made_on",
    "license", "license_text", "labels", "goals", "starts_on", "ends_on", "budget_amount",
    "budget_unit", "results", "lessons", "conditions", "serves", "climate", "altitude_min",
    "altitude_max", "safety", "practice", "community_of_origin", "season", "duration_seconds",
)  # fmt: skip
SNAPSHOT_ORDER = [
    "title", "kind", "summary", "body", "language", "authors", "subjects", "tags", "country",
    "place", "made_on", "license", "license_text", "labels", "goals", "starts_on", "ends_on",
    "budget_amount", "budget_unit", "results", "lessons", "yield_quantity", "yield_unit",
    "ingredients", "steps", "conditions", "serves", "climate", "altitude_min", "altitude_max",
    "safety", "practice", "community_of_origin", "season", "duration_seconds",
]  # fmt: skip


def snapshot(item: Item) -> dict[str, Any]:
    """The item's content as JSON, for a version."""
    values: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = getattr(item, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    values["country"] = str(item.country or "")
    values["subjects"] = sorted(subject.code for subject in item.subjects.all())
    values["tags"] = sorted(tag.name for tag in item.tags.all())
    values["yield_quantity"] = (
        quantities.display(quantities.from_thousandths(item.yield_thousandths), 12)
        if item.yield_thousandths is not None
        else ""
    )
    values["yield_unit"] = item.yield_unit
    values["ingredients"] = [
        {
            "name": ingredient.name,
            "quantity": quantities.display(
                quantities.from_thousandths(ingredient.quantity_thousandths), 12
            )
            if ingredient.quantity_thousandths is not None
            else "",
            "unit": ingredient.unit,
            "note": ingredient.note,
        }
        for ingredient in item.ingredients.all()
    ]
    values["steps"] = [step.text for step in item.steps.all()]
    return values


def data_from_snapshot(values: dict[str, Any]) -> ItemData:
    """The content a version holds, as input for an edit (to restore it)."""
    known = {f.name for f in fields(ItemData)}
    data = {key: value for key, value in values.items() if key in known}
    for name in ("made_on", "starts_on", "ends_on"):
        if data.get(name):
            data[name] = date.fromisoformat(data[name])
    data["ingredients"] = [IngredientData(**row) for row in values.get("ingredients", [])]
    return ItemData(**data)


def data_of(item: Item) -> ItemData:
    return data_from_snapshot(snapshot(item))


def access_of(item: Item) -> AccessData:
    return AccessData(
        visibility=item.visibility,
        visible_to=list(item.visible_to_organizations.all()),
        custodians=list(item.custodians.all()),
        protocols=list(item.protocols.all()),
        protocol_rule=item.protocol_rule,
    )

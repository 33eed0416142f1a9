"""Items: search with facets, read, create, change, versions, restore, scaling, files."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, UploadedFile
from ninja.responses import Status

from minga.common.api import ErrorOut, FieldError, caller, signed_in
from minga.common.errors import DomainError
from minga.core.library import quantities
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..content import AccessData, IngredientData, ItemData, data_of
from ..models import Item
from ..types import AccessChannel, ProtocolRule

router = Router(tags=["library"])


class SubjectOut(Schema):
    code: str
    name: str
    names: dict[str, str]
    broader: str | None

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)

    @staticmethod
    def resolve_broader(obj: Any) -> str | None:
        return obj.broader.code if obj.broader_id else None


class ItemCardOut(Schema):
    uuid: UUID
    url: str
    kind: str
    title: str
    summary: str
    language: str
    organization: UUID
    organization_name: str
    country: str
    place: str
    license: str
    subjects: list[str]
    created_at: datetime
    updated_at: datetime
    snippet: str = ""

    @staticmethod
    def resolve_url(obj: Item) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_organization(obj: Item) -> UUID:
        return obj.organization.uuid

    @staticmethod
    def resolve_organization_name(obj: Item) -> str:
        return obj.organization.display_name

    @staticmethod
    def resolve_country(obj: Item) -> str:
        return str(obj.country or "")

    @staticmethod
    def resolve_subjects(obj: Item) -> list[str]:
        return [subject.code for subject in obj.subjects.all()]

    @staticmethod
    def resolve_snippet(obj: Item) -> str:
        return str(getattr(obj, "snippet", "") or "")


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    count: int
    items: list[ItemCardOut]
    facets: dict[str, list[FacetValueOut]]
    from_index: bool
    notes: list[str]


class IngredientIO(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    quantity: str = Field("", max_length=30, description="2, 2.5, 2,5 or 3/4; empty if unmeasured")
    unit: str = Field("", max_length=8)
    note: str = Field("", max_length=200)


class ContentIO(Schema):
    kind: str
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = ""
    body: str = ""
    language: str = Field("es", max_length=16)
    authors: list[str] = []
    subjects: list[str] = []
    tags: list[str] = []
    country: str = Field("", max_length=2)
    place: str = Field("", max_length=200)
    made_on: date | None = None
    license: str = "cc-by-sa"
    license_text: str = ""
    labels: list[str] = []
    goals: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    budget_amount: int | None = Field(None, ge=0)
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
    ingredients: list[IngredientIO] = []
    steps: list[str] = []
    practice: str = ""
    community_of_origin: str = ""
    season: str = ""
    duration_seconds: int | None = Field(None, ge=0)


class ProtocolRefOut(Schema):
    uuid: UUID
    name: str
    kind: str


class AttachmentOut(Schema):
    uuid: UUID
    url: str
    thumbnail_url: str
    file_kind: str
    family: str
    size: int
    title: str
    original_name: str


class TranslationOut(Schema):
    language: str
    title: str
    summary: str
    text: str
    stage: str
    status: str

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.status.value)


class ItemOut(ContentIO):
    uuid: UUID
    url: str
    organization: UUID
    organization_name: str
    version: int
    visibility: str
    protocol_rule: str
    protocols: list[ProtocolRefOut]
    attachments: list[AttachmentOut]
    translations: list[TranslationOut]
    created_at: datetime
    updated_at: datetime


class AccessIn(Schema):
    visibility: str = "public"
    protocols: list[UUID] = []
    protocol_rule: str = ProtocolRule.ANY
    custodians: list[str] = Field([], description="User names")


class ItemIn(ContentIO):
    organization: UUID
    access: AccessIn = Field(default_factory=lambda: AccessIn(custodians=[]))


class ItemPatch(Schema):
    """Content fields to change; the others keep their value."""

    model_config = {"extra": "allow"}
    expected_version: int | None = None
    note: str = ""


class VersionOut(Schema):
    number: int
    author: str | None
    created_at: datetime
    note: str
    restored_from: int | None

    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return obj.author.username if obj.author_id else None


class VersionDetailOut(VersionOut):
    snapshot: dict[str, Any]


class ScaledRowOut(Schema):
    name: str
    quantity: str | None
    unit: str
    note: str
    scaled: bool


class ScaledOut(Schema):
    factor: str
    quantity: str
    unit: str
    ingredients: list[ScaledRowOut]


class ItemQuery(Schema):
    q: str = ""
    kind: list[str] = []
    country: list[str] = []
    language: list[str] = []
    subject: list[str] = []
    license: list[str] = []
    organization: list[str] = Field([], description="Organization keys, as the facets give them")
    page: int = Field(1, ge=1, le=500)
    page_size: int = Field(20, ge=1, le=100)


def _out(item: Item) -> dict[str, Any]:
    item = selectors.item_detail(item)
    data = data_of(item)
    values: dict[str, Any] = {name: getattr(data, name) for name in ContentIO.model_fields}
    values["ingredients"] = [
        {"name": i.name, "quantity": i.quantity, "unit": i.unit, "note": i.note}
        for i in data.ingredients
    ]
    values.update(
        uuid=item.uuid,
        url=item.get_canonical_url(),
        organization=item.organization.uuid,
        organization_name=item.organization.display_name,
        version=item.version,
        visibility=item.visibility,
        protocol_rule=item.protocol_rule,
        protocols=list(item.protocols.all()),
        attachments=list(item.attachments.all()),
        translations=[t for t in item.translations.all() if t.is_published],
        created_at=item.created_at,
        updated_at=item.updated_at,
    )
    return values


def _content(payload: ContentIO | dict[str, Any]) -> ItemData:
    values = payload if isinstance(payload, dict) else payload.dict()
    known = set(ItemData.__dataclass_fields__)
    data = {key: value for key, value in values.items() if key in known}
    data["ingredients"] = [
        IngredientData(**(row if isinstance(row, dict) else row.dict()))
        for row in data.get("ingredients", [])
    ]
    return ItemData(**data)


def _access(user: Any, payload: AccessIn) -> AccessData:
    from minga.people.selectors import active_person

    protocols = []
    for key in payload.protocols:
        try:
            protocols.append(selectors.get_protocol_for(user, uuid=key))
        except Exception as error:
            raise FieldError(
                422, _("Unknown protocol."), "access.protocols", code="unknown_protocol"
            ) from error
    custodians = []
    for name in payload.custodians:
        person = active_person(name)
        if person is None:
            raise FieldError(
                422, _("Nobody has this user name."), "access.custodians", code="unknown_person"
            )
        custodians.append(person)
    return AccessData(
        visibility=payload.visibility,
        protocols=protocols,
        protocol_rule=payload.protocol_rule,
        custodians=custodians,
    )


@router.get("/subjects", response=list[SubjectOut])
def list_subjects(request: HttpRequest) -> Any:
    """The controlled vocabulary, with labels in every language."""
    return selectors.subjects()


@router.get("/items", response=SearchOut)
def search_items(request: HttpRequest, query: Query[ItemQuery]) -> Any:
    """Items the caller may read: words (``q``), facet filters, a page; with facet counts
    and highlighted snippets. ``{"items", "count"}`` as every list, plus ``facets``."""
    values = query.dict()
    found = selectors.search_items(
        caller(request),
        selectors.ItemQuery(
            q=values["q"][:200],
            page=values["page"],
            page_size=values["page_size"],
            **{
                name: tuple(values[name])
                for name in ("kind", "country", "language", "subject", "license", "organization")
            },
        ),
    )
    for item in found.items:
        item.snippet = found.snippets.get(item.pk, "")  # type: ignore[attr-defined]
    return {
        "count": found.total,
        "items": found.items,
        "facets": {
            name: [{"value": v, "label": label, "count": n} for v, label, n in rows]
            for name, rows in found.facets.items()
        },
        "from_index": found.from_index,
        "notes": found.notes,
    }


@router.get("/items/{uuid}", response={200: ItemOut, 404: ErrorOut})
def get_item(request: HttpRequest, uuid: UUID) -> Any:
    item = selectors.get_item_for(caller(request), uuid=uuid)
    services.access_record(actor=caller(request), item=item, channel=AccessChannel.API)
    return _out(item)


@router.post(
    "/items", response={201: ItemOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def create_item(request: HttpRequest, payload: ItemIn) -> Any:
    user = signed_in(request)
    organization = get_organization_for(user, uuid=payload.organization)
    item = services.item_create(
        actor=user,
        organization=organization,
        data=_content(payload.dict(exclude={"organization", "access"})),
        access=_access(user, payload.access),
    )
    return Status(201, _out(item))


@router.patch(
    "/items/{uuid}",
    response={
        200: ItemOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
)
def update_item(request: HttpRequest, uuid: UUID, payload: ItemPatch) -> Any:
    """Change the content fields sent; a change makes a new version. ``expected_version``
    refuses the change (409) if someone saved a newer version meanwhile."""
    user = signed_in(request)
    item = selectors.get_item_for(user, uuid=uuid)
    current = data_of(item).__dict__.copy()
    current["ingredients"] = [row.__dict__ for row in current["ingredients"]]
    changes = {k: v for k, v in (payload.model_extra or {}).items() if k in current and k != "kind"}
    try:
        data = _content({**current, **changes})
    except (TypeError, ValueError) as error:
        raise DomainError(_("Invalid content."), "content", code="invalid_input") from error
    services.item_update(
        actor=user,
        item=item,
        data=data,
        note=payload.note,
        expected_version=payload.expected_version,
    )
    return _out(item)


@router.put(
    "/items/{uuid}/access",
    response={200: ItemOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def set_access(request: HttpRequest, uuid: UUID, payload: AccessIn) -> Any:
    user = signed_in(request)
    item = selectors.get_item_for(user, uuid=uuid)
    services.item_set_access(actor=user, item=item, access=_access(user, payload))
    return _out(item)


@router.delete("/items/{uuid}", response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def delete_item(request: HttpRequest, uuid: UUID) -> Any:
    user = signed_in(request)
    services.item_delete(actor=user, item=selectors.get_item_for(user, uuid=uuid))
    return Status(204, None)


@router.get("/items/{uuid}/versions", response={200: list[VersionOut], 404: ErrorOut})
def list_versions(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.versions_of(selectors.get_item_for(caller(request), uuid=uuid))


@router.get("/items/{uuid}/versions/{number}", response={200: VersionDetailOut, 404: ErrorOut})
def get_version(request: HttpRequest, uuid: UUID, number: int) -> Any:
    return selectors.get_version(selectors.get_item_for(caller(request), uuid=uuid), number)


@router.post(
    "/items/{uuid}/versions/{number}/restore",
    response={
        200: ItemOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
)
def restore_version(request: HttpRequest, uuid: UUID, number: int) -> Any:
    user = signed_in(request)
    item = selectors.get_item_for(user, uuid=uuid)
    services.item_restore(actor=user, item=item, number=number)
    return _out(item)


@router.get("/items/{uuid}/scale", response={200: ScaledOut, 404: ErrorOut, 422: ErrorOut})
def scale_formula(
    request: HttpRequest, uuid: UUID, quantity: str, unit: str, system: str = "as_written"
) -> Any:
    """A formula's ingredients for another yield (``quantity`` ``unit``), converted between
    units of the same kind; ``system`` shows them as written, in metric or in US units."""
    item = selectors.get_item_for(caller(request), uuid=uuid)
    try:
        amount = quantities.parse_amount(quantity)
        scaled = selectors.scale_formula(item, amount=amount, unit=unit, system=system)
    except quantities.QuantityError as error:
        raise FieldError(
            422,
            _("The formula cannot be made in this quantity or unit: %(problem)s.")
            % {"problem": error},
            error.field,
            code="cannot_scale",
        ) from error
    return {
        "factor": quantities.display(scaled.factor, 6),
        "quantity": quantities.display(scaled.yield_amount, 6),
        "unit": scaled.yield_unit,
        "ingredients": [
            {
                "name": row.name,
                "quantity": quantities.display(row.amount, 4) if row.amount is not None else None,
                "unit": row.unit,
                "note": row.note,
                "scaled": row.scaled,
            }
            for row in scaled.ingredients
        ],
    }


@router.post(
    "/items/{uuid}/attachments",
    response={201: AttachmentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def add_attachment(
    request: HttpRequest,
    uuid: UUID,
    file: File[UploadedFile],
    title: str = "",
    language: str = "",
) -> Any:
    user = signed_in(request)
    item = selectors.get_item_for(user, uuid=uuid)
    attachment = services.attachment_add(
        actor=user, item=item, upload=file, title=title, language=language
    )
    return Status(201, attachment)


@router.get("/items/{uuid}/translations", response={200: list[TranslationOut], 404: ErrorOut})
def list_translations(request: HttpRequest, uuid: UUID) -> Any:
    item = selectors.get_item_for(caller(request), uuid=uuid)
    return [t for t in item.translations.all() if t.is_published]

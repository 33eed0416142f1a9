"""The OAI-PMH 2.0 endpoint (``/oai``): the library's public items as Dublin Core.

Only items the visibility rule shows to an anonymous reader are harvested, so items under
strict protocols, or for members only, never appear. Each item is one record
``oai:<host>:library/<uuid>`` whose ``oai_dc`` metadata tags titles, descriptions and
subjects with their language; sets are the contributing organizations (``org:<short
code>``); lists come in pages of 100 with a signed resumption token; items that stopped
being public (or were removed) are reported as deleted records.
"""

from __future__ import annotations

import uuid as uuid_lib
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse

from minga.registry.selectors import visible_organizations

from . import selectors
from .models import Attachment, Item, ItemTranslation, OaiTombstone
from .types import LICENSE_URLS, ItemKind, License

PAGE = 100
OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", OAI)
ET.register_namespace("oai_dc", OAI_DC)
ET.register_namespace("dc", DC)
ET.register_namespace("xsi", XSI)
TOKEN_SALT = "minga.library.oai"  # noqa: S105 - a signing namespace, not a secret
DCMI_TYPES = {
    ItemKind.AUDIO: "Sound",
    ItemKind.VIDEO: "MovingImage",
    ItemKind.IMAGE: "StillImage",
}
ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def identifier_of(item_uuid: Any) -> str:
    return f"oai:{_host()}:library/{item_uuid}"


def _uuid_of(identifier: str) -> uuid_lib.UUID:
    prefix = f"oai:{_host()}:library/"
    if not identifier.startswith(prefix):
        raise OaiError("idDoesNotExist", "No record has this identifier.")
    try:
        return uuid_lib.UUID(identifier[len(prefix) :])
    except ValueError as error:
        raise OaiError("idDoesNotExist", "No record has this identifier.") from error


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_stamp(text: str, *, end: bool) -> datetime:
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return day.replace(hour=23, minute=59, second=59) if end else day
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as error:
        raise OaiError("badArgument", f"{text!r} is not a UTC datestamp.") from error


def public_items() -> QuerySet[Item]:
    """What may be harvested: what the visibility rule shows an anonymous reader."""
    return selectors.visible_items(AnonymousUser())


def _public_organizations() -> QuerySet[Any]:
    return visible_organizations(AnonymousUser())


def _element(
    parent: ET.Element, tag: str, text: str | None = None, **attributes: str
) -> ET.Element:
    node = ET.SubElement(parent, tag, attributes)
    if text is not None:
        node.text = text
    return node


def _header(parent: ET.Element, item: Item) -> None:
    header = _element(parent, f"{{{OAI}}}header")
    _element(header, f"{{{OAI}}}identifier", identifier_of(item.uuid))
    _element(header, f"{{{OAI}}}datestamp", _stamp(item.updated_at))
    _element(header, f"{{{OAI}}}setSpec", f"org:{item.organization.slug}")


def _deleted_header(parent: ET.Element, tombstone: OaiTombstone, slugs: dict[Any, str]) -> None:
    header = _element(parent, f"{{{OAI}}}header", status="deleted")
    _element(header, f"{{{OAI}}}identifier", identifier_of(tombstone.item_uuid))
    _element(header, f"{{{OAI}}}datestamp", _stamp(tombstone.deleted_at))
    if tombstone.organization_uuid in slugs:
        _element(header, f"{{{OAI}}}setSpec", f"org:{slugs[tombstone.organization_uuid]}")


def _dublin_core(parent: ET.Element, item: Item, publishers: set[int]) -> None:
    metadata = _element(parent, f"{{{OAI}}}metadata")
    dc = _element(
        metadata,
        f"{{{OAI_DC}}}dc",
        **{f"{{{XSI}}}schemaLocation": f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"},
    )
    language = item.language
    _element(dc, f"{{{DC}}}title", item.title, **{XML_LANG: language})
    for translation in item.translations.all():
        if translation.title:
            _element(dc, f"{{{DC}}}title", translation.title, **{XML_LANG: translation.language})
    for author in item.authors or []:
        _element(dc, f"{{{DC}}}creator", str(author))
    if item.community_of_origin:
        _element(dc, f"{{{DC}}}creator", item.community_of_origin)
    for subject in item.subjects.all():
        for tag, label in sorted(
            {item.language.split("-")[0]: subject.name, **subject.names}.items()
        ):
            _element(dc, f"{{{DC}}}subject", label, **{XML_LANG: tag})
    for tag in item.tags.all():
        _element(dc, f"{{{DC}}}subject", tag.name)
    if item.summary:
        _element(dc, f"{{{DC}}}description", item.summary, **{XML_LANG: language})
    for translation in item.translations.all():
        if translation.summary:
            _element(
                dc, f"{{{DC}}}description", translation.summary, **{XML_LANG: translation.language}
            )
    if item.organization_id in publishers:
        _element(dc, f"{{{DC}}}publisher", item.organization.name)
    _element(dc, f"{{{DC}}}date", (item.made_on or item.created_at.date()).isoformat())
    _element(dc, f"{{{DC}}}type", DCMI_TYPES.get(ItemKind(item.kind), "Text"))
    _element(dc, f"{{{DC}}}type", item.get_kind_display())
    for mime in sorted({attachment.file_kind for attachment in item.attachments.all()}):
        from minga.common.files import KINDS

        if mime in KINDS:
            _element(dc, f"{{{DC}}}format", KINDS[mime].mime)
    _element(dc, f"{{{DC}}}identifier", item.get_canonical_url())
    _element(dc, f"{{{DC}}}language", language)
    for translation in item.translations.all():
        _element(dc, f"{{{DC}}}language", translation.language)
    place = ", ".join(
        part for part in (item.place, item.country.name if item.country else "") if part
    )
    if place:
        _element(dc, f"{{{DC}}}coverage", place)
    _element(
        dc, f"{{{DC}}}rights", LICENSE_URLS.get(License(item.license)) or item.get_license_display()
    )
    if item.license_text:
        _element(dc, f"{{{DC}}}rights", item.license_text)


def _records(items: QuerySet[Item]) -> QuerySet[Item]:
    return items.select_related("organization").prefetch_related(
        "subjects",
        "tags",
        Prefetch(
            "translations",
            queryset=ItemTranslation.objects.filter(stage="published").order_by("language"),
        ),
        Prefetch("attachments", queryset=Attachment.objects.only("item_id", "file_kind")),
    )


def _filtered(arguments: dict[str, str]) -> tuple[QuerySet[Item], QuerySet[OaiTombstone]]:
    items = public_items()
    tombstones = OaiTombstone.objects.all()
    if arguments.get("from"):
        start = _parse_stamp(arguments["from"], end=False)
        items, tombstones = (
            items.filter(updated_at__gte=start),
            tombstones.filter(deleted_at__gte=start),
        )
    if arguments.get("until"):
        end = _parse_stamp(arguments["until"], end=True)
        items, tombstones = (
            items.filter(updated_at__lte=end),
            tombstones.filter(deleted_at__lte=end),
        )
    if (
        arguments.get("from")
        and arguments.get("until")
        and len(arguments["from"]) != len(arguments["until"])
    ):
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if arguments.get("set"):
        spec = arguments["set"]
        if not spec.startswith("org:"):
            raise OaiError("badArgument", "Sets are named org:<short code>.")
        organization = _public_organizations().filter(slug=spec[4:]).first()
        if organization is None:
            raise OaiError("noRecordsMatch", "No set has this name.")
        items = items.filter(organization=organization)
        tombstones = tombstones.filter(organization_uuid=organization.uuid)
    return items, tombstones


def _token(state: dict[str, Any]) -> str:
    return signing.dumps(state, salt=TOKEN_SALT, compress=True)


def _read_token(token: str) -> dict[str, Any]:
    try:
        state: dict[str, Any] = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature as error:
        raise OaiError("badResumptionToken", "This resumption token is not valid.") from error
    return state


def _after(rows: QuerySet[Any], column: str, after: list[Any] | None) -> QuerySet[Any]:
    if not after:
        return rows
    moment = datetime.fromisoformat(after[0])
    return rows.filter(Q(**{f"{column}__gt": moment}) | Q(**{column: moment, "id__gt": after[1]}))


def _list(root: ET.Element, verb: str, arguments: dict[str, str]) -> None:
    """ListIdentifiers and ListRecords: the public items by datestamp, then the deleted
    records, a page at a time; the resumption token carries where the page ended."""
    if "resumptionToken" in arguments:
        if set(arguments) != {"verb", "resumptionToken"}:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
        state = _read_token(arguments["resumptionToken"])
        arguments = {**state["arguments"], "verb": verb}
    else:
        arguments_kept = {key: value for key, value in arguments.items() if key != "verb"}
        state = {"phase": "items", "after": None, "cursor": 0, "arguments": arguments_kept}
    if arguments.get("metadataPrefix") != "oai_dc":
        raise OaiError("cannotDisseminateFormat", "Only oai_dc is offered.")
    items, tombstones = _filtered(arguments)
    total = items.count() + tombstones.count()
    if total == 0:
        raise OaiError("noRecordsMatch", "No record matches.")
    found: list[Item] = []
    deleted: list[OaiTombstone] = []
    next_state: dict[str, Any] | None = None
    phase, after = state["phase"], state["after"]
    if phase == "items":
        fetched = list(_after(items.order_by("updated_at", "id"), "updated_at", after)[: PAGE + 1])
        found = fetched[:PAGE]
        if len(fetched) > PAGE:
            last = found[-1]
            next_state = {"phase": "items", "after": [last.updated_at.isoformat(), last.pk]}
        else:
            phase, after = "deleted", None
    if next_state is None and phase == "deleted":
        room = PAGE - len(found)
        query = _after(tombstones.order_by("deleted_at", "id"), "deleted_at", after)
        fetched_deleted = list(query[: room + 1])
        deleted = fetched_deleted[:room]
        if len(fetched_deleted) > room:
            last_deleted = deleted[-1] if deleted else None
            next_state = {
                "phase": "deleted",
                "after": [last_deleted.deleted_at.isoformat(), last_deleted.pk]
                if last_deleted
                else after,
            }
    node = _element(root, f"{{{OAI}}}{verb}")
    if verb == "ListRecords":
        loaded = {
            item.pk: item for item in _records(Item.objects.filter(pk__in=[i.pk for i in found]))
        }
        found = [loaded[item.pk] for item in found]
    else:
        loaded = {
            i.pk: i
            for i in Item.objects.filter(pk__in=[i.pk for i in found]).select_related(
                "organization"
            )
        }
        found = [loaded[item.pk] for item in found]
    publishers = set(
        _public_organizations()
        .filter(pk__in={item.organization_id for item in found})
        .values_list("pk", flat=True)
    )
    for item in found:
        parent = _element(node, f"{{{OAI}}}record") if verb == "ListRecords" else node
        _header(parent, item)
        if verb == "ListRecords":
            _dublin_core(parent, item, publishers)
    slugs = dict(
        _public_organizations()
        .filter(uuid__in={tombstone.organization_uuid for tombstone in deleted})
        .values_list("uuid", "slug")
    )
    for tombstone in deleted:
        parent = _element(node, f"{{{OAI}}}record") if verb == "ListRecords" else node
        _deleted_header(parent, tombstone, slugs)
    cursor = int(state.get("cursor", 0))
    if next_state is not None:
        token = _token(
            {
                **next_state,
                "cursor": cursor + len(found) + len(deleted),
                "arguments": state["arguments"],
            }
        )
        _element(
            node,
            f"{{{OAI}}}resumptionToken",
            token,
            completeListSize=str(total),
            cursor=str(cursor),
        )
    elif cursor:
        # The last page of a list that was split: an empty token says it is complete.
        _element(
            node, f"{{{OAI}}}resumptionToken", "", completeListSize=str(total), cursor=str(cursor)
        )


def _get_record(root: ET.Element, arguments: dict[str, str]) -> None:
    if arguments["metadataPrefix"] != "oai_dc":
        raise OaiError("cannotDisseminateFormat", "Only oai_dc is offered.")
    key = _uuid_of(arguments["identifier"])
    item = _records(public_items().filter(uuid=key)).first()
    node = _element(root, f"{{{OAI}}}GetRecord")
    record = _element(node, f"{{{OAI}}}record")
    if item is not None:
        publishers = set(
            _public_organizations().filter(pk=item.organization_id).values_list("pk", flat=True)
        )
        _header(record, item)
        _dublin_core(record, item, publishers)
        return
    tombstone = OaiTombstone.objects.filter(item_uuid=key).first()
    if tombstone is None:
        raise OaiError("idDoesNotExist", "No record has this identifier.")
    slugs = dict(
        _public_organizations().filter(uuid=tombstone.organization_uuid).values_list("uuid", "slug")
    )
    _deleted_header(record, tombstone, slugs)


def _identify(root: ET.Element, base_url: str) -> None:
    node = _element(root, f"{{{OAI}}}Identify")
    _element(node, f"{{{OAI}}}repositoryName", "Minga library")
    _element(node, f"{{{OAI}}}baseURL", base_url)
    _element(node, f"{{{OAI}}}protocolVersion", "2.0")
    _element(node, f"{{{OAI}}}adminEmail", settings.DEFAULT_FROM_EMAIL)
    first = public_items().order_by("updated_at").values_list("updated_at", flat=True).first()
    _element(node, f"{{{OAI}}}earliestDatestamp", _stamp(first or datetime(2000, 1, 1, tzinfo=UTC)))
    _element(node, f"{{{OAI}}}deletedRecord", "transient")
    _element(node, f"{{{OAI}}}granularity", "YYYY-MM-DDThh:mm:ssZ")


def _metadata_formats(root: ET.Element, arguments: dict[str, str]) -> None:
    if "identifier" in arguments:
        key = _uuid_of(arguments["identifier"])
        if not (
            public_items().filter(uuid=key).exists()
            or OaiTombstone.objects.filter(item_uuid=key).exists()
        ):
            raise OaiError("idDoesNotExist", "No record has this identifier.")
    node = _element(root, f"{{{OAI}}}ListMetadataFormats")
    fmt = _element(node, f"{{{OAI}}}metadataFormat")
    _element(fmt, f"{{{OAI}}}metadataPrefix", "oai_dc")
    _element(fmt, f"{{{OAI}}}schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    _element(fmt, f"{{{OAI}}}metadataNamespace", OAI_DC)


def _sets(root: ET.Element, arguments: dict[str, str]) -> None:
    if "resumptionToken" in arguments:
        raise OaiError("badResumptionToken", "ListSets is never split.")
    organizations = (
        _public_organizations()
        .filter(pk__in=public_items().order_by().values("organization_id"))
        .order_by("slug")
    )
    node = _element(root, f"{{{OAI}}}ListSets")
    for organization in organizations:
        spec = _element(node, f"{{{OAI}}}set")
        _element(spec, f"{{{OAI}}}setSpec", f"org:{organization.slug}")
        _element(spec, f"{{{OAI}}}setName", organization.name)


def answer(request: HttpRequest) -> HttpResponse:
    """One OAI-PMH request (GET or POST), answered as XML."""
    source = request.POST if request.method == "POST" else request.GET
    base_url = request.build_absolute_uri(request.path)
    root = ET.Element(f"{{{OAI}}}OAI-PMH")
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    _element(root, f"{{{OAI}}}responseDate", _stamp(datetime.now(UTC)))
    request_node = _element(root, f"{{{OAI}}}request", base_url)
    try:
        if any(len(source.getlist(key)) > 1 for key in source):
            raise OaiError("badArgument", "An argument was repeated.")
        arguments = {key: source[key] for key in source}
        verb = arguments.get("verb", "")
        if verb not in ARGUMENTS:
            raise OaiError("badVerb", "This is not an OAI-PMH verb.")
        required, optional = ARGUMENTS[verb]
        given = set(arguments) - {"verb"}
        if "resumptionToken" not in given and (required - given or given - required - optional):
            raise OaiError("badArgument", "Missing or unknown arguments for this verb.")
        for key, value in arguments.items():
            request_node.set(key, value)
        if verb == "Identify":
            _identify(root, base_url)
        elif verb == "ListMetadataFormats":
            _metadata_formats(root, arguments)
        elif verb == "ListSets":
            _sets(root, arguments)
        elif verb == "GetRecord":
            _get_record(root, arguments)
        else:
            _list(root, verb, arguments)
    except OaiError as error:
        for child in list(root)[2:]:
            root.remove(child)
        _element(root, f"{{{OAI}}}error", error.message, code=error.code)
    body = ET.tostring(root, encoding="unicode")
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + body, content_type="text/xml; charset=utf-8"
    )

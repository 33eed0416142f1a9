"""Reads of the library that users see. Every item goes through :func:`visible_items`.

Items are filtered by the platform's one visibility rule (``common.visibility``), into
which the library's protocols are plugged (``library.access``): lists, counts, facets,
search hits and snippets, feeds, OAI-PMH, the sitemap, exports and single pages all start
here, so none of them has a rule of its own. What the reader may not see answers 404, as
if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga.common.registration import Attention
from minga.common.search import AccessFilter, IndexUnavailableError, get_index
from minga.common.translation import TranslationStage, best_translation
from minga.common.visibility import can_view, filter_visible, viewer_for
from minga.common.vocabulary import translated
from minga.core.library import quantities
from minga.registry.selectors import (
    DECIDING_ROLES,
    MANAGING_ROLES,
    organization_ids_with_role,
    visible_organizations,
)

from .access import readable_restricted
from .models import (
    AccessLogEntry,
    AccessRequest,
    Attachment,
    Collection,
    CollectionEntry,
    Item,
    ItemLink,
    ItemTranslation,
    ItemVersion,
    Protocol,
    ProtocolMembership,
    Subject,
)
from .search import access_tokens, group_token
from .types import Audience, ItemKind, MembershipRole, ProtocolKind, RequestStatus

# Items ---------------------------------------------------------------------------------


def visible_items(user: Any) -> QuerySet[Item]:
    """The items the user may read: visibility level and community protocols."""
    return filter_visible(Item.objects.all(), viewer_for(user))


def can_view_item(user: Any, item: Item) -> bool:
    return can_view(item, viewer_for(user))


def get_item_for(user: Any, *, uuid: Any) -> Item:
    """The item if the user may read it; otherwise 404, as if it did not exist."""
    item = (
        visible_items(user)
        .select_related("organization", "created_by")
        .prefetch_related("subjects", "tags", "protocols", "custodians")
        .filter(uuid=uuid)
        .first()
    )
    if item is None:
        raise Http404
    return item


# What an item's page and its full record show, read in one query each (a formula's
# ingredients and steps only for formulas).
DETAIL_RELATED = (
    "subjects",
    "tags",
    "protocols__community",
    "custodians",
    "consents",
    "attachments",
    "translations",
)
FORMULA_RELATED = ("ingredients", "steps")


def _with_formula(item: Item) -> Item:
    if item.kind == ItemKind.FORMULA:
        prefetch_related_objects([item], *FORMULA_RELATED)
    return item


def get_item_detail_for(user: Any, *, uuid: Any) -> Item:
    """:func:`get_item_for` with everything the item's page shows, in a fixed number of
    queries."""
    item = (
        visible_items(user)
        .select_related("organization", "created_by")
        .prefetch_related(*DETAIL_RELATED)
        .filter(uuid=uuid)
        .first()
    )
    if item is None:
        raise Http404
    return _with_formula(item)


def is_item_editor(user: Any, item: Item) -> bool:
    """Its contributor, its custodians, and the managers of its organization edit it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if item.created_by_id == user.pk:
        return True
    if item.organization_id in organization_ids_with_role(user, MANAGING_ROLES):
        return True
    return is_custodian(user, item)


def is_custodian(user: Any, item: Item) -> bool:
    # all(): the custodians are usually prefetched with the item, and they are few.
    user_pk = getattr(user, "pk", None)
    return user_pk is not None and any(person.pk == user_pk for person in item.custodians.all())


def strict_protocols(item: Item) -> list[Protocol]:
    # all(): the protocols are usually prefetched with the item, and they are few.
    return [protocol for protocol in item.protocols.all() if protocol.kind == ProtocolKind.STRICT]


def is_strict(item: Item) -> bool:
    """Whether the item is under at least one strict protocol (its readings are logged)."""
    return bool(strict_protocols(item))


def item_detail(item: Item) -> Item:
    """The item with everything its page shows, in a fixed number of queries."""
    return _with_formula(
        Item.objects.select_related("organization", "created_by")
        .prefetch_related(*DETAIL_RELATED)
        .get(pk=item.pk)
    )


def translation_for_reader(item: Item, language: str) -> ItemTranslation | None:
    """The published translation a reader of ``language`` should see instead of the
    original, or None (then the original is shown)."""
    if item.language.split("-")[0] == language.split("-")[0]:
        return None
    translation: ItemTranslation | None = best_translation(list(item.translations.all()), language)
    return translation


def links_of(user: Any, item: Item) -> list[tuple[str, Item, bool, int]]:
    """(relation, other item, outgoing, link key) for links whose other end the user may
    read. The item's few links are read first, then the rule is asked about their other
    ends only (never about the whole library)."""
    links = list(
        ItemLink.objects.filter(Q(source=item) | Q(target=item)).select_related("source", "target")
    )
    others = {link.target_id if link.source_id == item.pk else link.source_id for link in links}
    readable = (
        set(visible_items(user).filter(pk__in=others).values_list("pk", flat=True))
        if others
        else set()
    )
    outgoing = sorted(
        (link for link in links if link.source_id == item.pk and link.target_id in readable),
        key=lambda link: (link.relation, link.target.title),
    )
    incoming = sorted(
        (link for link in links if link.target_id == item.pk and link.source_id in readable),
        key=lambda link: (link.relation, link.source.title),
    )
    return [(link.relation, link.target, True, link.pk) for link in outgoing] + [
        (link.relation, link.source, False, link.pk) for link in incoming
    ]


def versions_of(item: Item) -> QuerySet[ItemVersion]:
    return item.versions.select_related("author").order_by("-number")


def get_version(item: Item, number: int) -> ItemVersion:
    version = item.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise Http404
    return version


@dataclass(frozen=True)
class ScaledFormula:
    factor: str
    yield_text: str
    rows: list[tuple[str, str, str, str, bool]]  # name, amount, unit, note, scaled


def formula_ingredients(item: Item) -> list[quantities.Ingredient]:
    return [
        quantities.Ingredient(
            ingredient.name,
            quantities.from_thousandths(ingredient.quantity_thousandths)
            if ingredient.quantity_thousandths is not None
            else None,
            ingredient.unit,
            ingredient.note,
        )
        for ingredient in item.ingredients.all()
    ]


def scale_formula(item: Item, *, amount: Fraction, unit: str, system: str) -> quantities.Scaled:
    """The formula for another yield; QuantityError for what cannot be scaled."""
    if item.yield_thousandths is None:
        raise quantities.QuantityError("no yield", "yield")
    return quantities.scale(
        formula_ingredients(item),
        yield_amount=quantities.from_thousandths(item.yield_thousandths),
        yield_unit=item.yield_unit,
        wanted_amount=amount,
        wanted_unit=unit,
        system=system,
    )


# Search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemQuery:
    """What a reader asks the library: words, facet filters, a page."""

    q: str = ""
    kind: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    license: tuple[str, ...] = ()
    organization: tuple[str, ...] = ()  # organization keys (as text)
    page: int = 1
    page_size: int = 20

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {
            name: getattr(self, name)
            for name in ("kind", "country", "language", "subject", "license", "organization")
            if getattr(self, name)
        }


@dataclass
class SearchResult:
    total: int
    items: list[Item]
    snippets: dict[int, str]
    facets: dict[str, list[tuple[str, str, int]]]  # facet → (value, label, count)
    from_index: bool = True
    pages: int = 1
    page: int = 1
    notes: list[str] = field(default_factory=list)


FACET_SIZES = {
    "kind": 10,
    "country": 30,
    "language": 20,
    "subject": 40,
    "license": 10,
    "organization": 20,
}


def access_filter(user: Any) -> AccessFilter:
    """What the index lets through for this reader: the audiences they belong to, the
    access groups the visibility rule opens to them, and the restricted items they may read
    beyond those groups."""
    viewer = viewer_for(user)
    tokens = [Audience.EVERYONE.value]
    keys: frozenset[int] = frozenset()
    if viewer.is_authenticated:
        tokens.append(Audience.SIGNED_IN.value)
        groups, keys = readable_restricted(viewer)
        tokens.extend(group_token(group) for group in sorted(groups))
    return AccessFilter(tokens=tuple(tokens), keys=keys)


CARD_FIELDS = (
    *("uuid", "kind", "language", "title", "summary", "place", "country", "created_at"),
    *("audience", "access_group"),
    *("organization__name", "organization__names"),
)
"""The columns an item's card shows (``_item_card.html``), and the two that let it through
the reader's access filter: the page of results reads only these (an item's whole row holds
its body, its lessons, its results)."""


def search_items(
    user: Any, query: ItemQuery, *, fields: tuple[str, ...] | None = None
) -> SearchResult:
    """A page of the items the reader may see matching the query, with facets and
    snippets; when the index is missing, a plain listing from the database (and a note).
    ``fields`` limits the columns read of each item (all of them when None)."""
    from .search import INDEX_NAME, concepts_for_word

    page = max(1, query.page)
    allowed = access_filter(user)
    try:
        found = get_index(INDEX_NAME).find(
            query.q,
            access=allowed,
            filters=query.filters(),
            offset=(page - 1) * query.page_size,
            limit=query.page_size,
            facets=FACET_SIZES,
            snippets=True,
            expand=concepts_for_word,
        )
    except IndexUnavailableError:
        return _search_in_database(user, query, fields)
    keys = [hit.pk for hit in found.hits]
    # The index may lag a change by the worker's delay: the page's items are let through
    # once more by the same filter, on their rows' current audience and group (which the
    # services change in the same transaction as the access itself).
    rows = {
        item.pk: item
        for item in _for_cards(Item.objects.filter(pk__in=keys), fields)
        if allowed.admits(access_tokens(item.audience, item.access_group), item.pk)
    }
    items = [rows[pk] for pk in keys if pk in rows]
    return SearchResult(
        total=found.total,
        items=items,
        snippets={hit.pk: hit.snippet for hit in found.hits if hit.snippet},
        facets=_labelled(user, found.facets),
        pages=max(1, -(-found.total // query.page_size)),
        page=page,
    )


def _for_cards(items: QuerySet[Item], fields: tuple[str, ...] | None = None) -> QuerySet[Item]:
    items = items.select_related("organization").prefetch_related(
        Prefetch("subjects", queryset=Subject.objects.only("code", "name", "names"))
    )
    return items if fields is None else items.only(*fields)


def _search_in_database(
    user: Any, query: ItemQuery, fields: tuple[str, ...] | None = None
) -> SearchResult:
    """The listing without the index: words in titles and summaries, facets counted by the
    database over the same visible items."""
    items = visible_items(user)
    for word in query.q.split()[:8]:
        items = items.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    columns = {
        "kind": "kind",
        "country": "country",
        "language": "language",
        "license": "license",
        "organization": "organization_id",
    }
    for name, values in query.filters().items():
        if name == "subject":
            items = items.filter(subjects__code__in=values).distinct()
        else:
            items = items.filter(**{f"{columns[name]}__in": values})
    total = items.count()
    page = max(1, query.page)
    start = (page - 1) * query.page_size
    rows = list(
        _for_cards(items.order_by("-created_at", "-id"), fields)[start : start + query.page_size]
    )
    facets: dict[str, list[tuple[str, int]]] = {}
    for name, column in columns.items():
        counted = (
            items.order_by()
            .values(column)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n")[: FACET_SIZES[name]]
        )
        facets[name] = [(str(row[column]), int(row["n"])) for row in counted if row[column]]
    subjects = (
        Subject.objects.filter(items__in=items.order_by().values("pk"))
        .annotate(n=Count("items", distinct=True))
        .order_by("-n")[: FACET_SIZES["subject"]]
    )
    facets["subject"] = [(subject.code, int(subject.n)) for subject in subjects]
    return SearchResult(
        total=total,
        items=rows,
        snippets={},
        facets=_labelled(user, facets),
        from_index=False,
        pages=max(1, -(-total // query.page_size)),
        page=page,
        notes=[
            _(
                "The search index is being built, so this is a plain listing: words are "
                "matched in titles and summaries only, in no particular order of relevance."
            )
        ],
    )


def _labelled(
    user: Any, facets: dict[str, list[tuple[str, int]]]
) -> dict[str, list[tuple[str, str, int]]]:
    """Facet values with the labels a reader reads; organizations the reader may not see
    are counted together without their names."""
    from django_countries import countries

    from .types import License

    labels: dict[str, dict[str, str]] = {
        "kind": {value: str(label) for value, label in ItemKind.choices},
        "license": {value: str(label) for value, label in License.choices},
        "country": dict(countries),
    }
    codes = [value for value, _count in facets.get("subject", [])]
    labels["subject"] = {
        code: translated(names, name)
        for code, name, names in Subject.objects.filter(code__in=codes)
        .order_by()
        .values_list("code", "name", "names")
    }
    organization_keys = [int(v) for v, _c in facets.get("organization", []) if v.isdecimal()]
    labels["organization"] = {
        str(pk): translated(names, name)
        for pk, name, names in visible_organizations(user)
        .filter(pk__in=organization_keys)
        .order_by()
        .values_list("pk", "name", "names")
    }
    from django.utils.translation import get_language_info

    result: dict[str, list[tuple[str, str, int]]] = {}
    for name, values in facets.items():
        rows = []
        hidden = 0
        for value, count in values:
            label = labels.get(name, {}).get(value)
            if name == "organization" and label is None:
                hidden += count
                continue
            if label is None and name == "language":
                try:
                    label = str(get_language_info(value)["name_translated"])
                except KeyError:
                    label = value
            rows.append((value, label or value, count))
        if hidden:
            rows.append(("", _("Organizations not shown to you"), hidden))
        result[name] = rows
    return result


def recent_items(user: Any, limit: int = 10) -> list[Item]:
    return list(_for_cards(visible_items(user).order_by("-created_at", "-id"))[:limit])


def library_counts(user: Any) -> dict[str, int]:
    """How many items the reader may see, by kind (one query)."""
    rows = visible_items(user).order_by().values("kind").annotate(n=Count("pk"))
    return {row["kind"]: int(row["n"]) for row in rows}


# Protocols -----------------------------------------------------------------------------


def _membership_q(user: Any) -> Any:
    viewer = viewer_for(user)
    if not viewer.is_authenticated:
        return Q(pk__in=[])
    condition: Any = Exists(
        ProtocolMembership.objects.filter(protocol_id=OuterRef("pk"), person_id=viewer.user_id)
    )
    if viewer.organization_ids:
        condition |= Q(include_community_members=True, community_id__in=viewer.organization_ids)
    return condition


def visible_protocols(user: Any) -> QuerySet[Protocol]:
    """Listed protocols for signed-in people; unlisted ones for their members and stewards
    and the community's coordinators."""
    viewer = viewer_for(user)
    if not viewer.is_authenticated:
        return Protocol.objects.none()
    condition = Q(listed=True) | _membership_q(user)
    deciding = organization_ids_with_role(user, DECIDING_ROLES)
    if deciding:
        condition |= Q(community_id__in=deciding)
    return Protocol.objects.filter(condition)


def get_protocol_for(user: Any, *, uuid: Any) -> Protocol:
    protocol = visible_protocols(user).select_related("community").filter(uuid=uuid).first()
    if protocol is None:
        raise Http404
    return protocol


def is_protocol_member(user: Any, protocol: Protocol) -> bool:
    return Protocol.objects.filter(_membership_q(user), pk=protocol.pk).exists()


def is_steward(user: Any, protocol: Protocol) -> bool:
    """Its stewards, and the coordinators and administrators of its community."""
    if not getattr(user, "is_authenticated", False):
        return False
    if protocol.community_id in organization_ids_with_role(user, DECIDING_ROLES):
        return True
    return protocol.memberships.filter(person=user, role=MembershipRole.STEWARD).exists()


def stewarded_protocols(user: Any) -> QuerySet[Protocol]:
    if not getattr(user, "is_authenticated", False):
        return Protocol.objects.none()
    deciding = organization_ids_with_role(user, DECIDING_ROLES)
    return Protocol.objects.filter(
        Q(community_id__in=deciding)
        | Q(memberships__person=user, memberships__role=MembershipRole.STEWARD)
    ).distinct()


def protocols_for_items(user: Any) -> QuerySet[Protocol]:
    """The protocols a contributor may put an item under: open ones they may see, and
    strict ones they belong to (nobody locks an item they could not read themselves)."""
    return visible_protocols(user).filter(
        Q(kind=ProtocolKind.OPEN) | _membership_q(user) | Q(pk__in=stewarded_protocols(user))
    )


def protocol_members(protocol: Protocol) -> QuerySet[ProtocolMembership]:
    return protocol.memberships.select_related("person", "granted_by").order_by(
        "-role", "person__username"
    )


def pending_requests_for(user: Any) -> QuerySet[AccessRequest]:
    """Requests waiting for the user's answer, as a steward."""
    return (
        AccessRequest.objects.filter(
            status=RequestStatus.PENDING, protocol__in=stewarded_protocols(user)
        )
        .select_related("protocol", "person")
        .order_by("created_at")
    )


def requests_of(user: Any) -> QuerySet[AccessRequest]:
    if not getattr(user, "is_authenticated", False):
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(person=user).select_related("protocol__community")


def get_request_for(user: Any, *, uuid: Any) -> AccessRequest:
    """A request its author or the protocol's stewards may see."""
    request = AccessRequest.objects.select_related("protocol", "person").filter(uuid=uuid).first()
    if request is None or not (
        request.person_id == getattr(user, "pk", None) or is_steward(user, request.protocol)
    ):
        raise Http404
    return request


def access_log_for(user: Any, item: Item) -> QuerySet[AccessLogEntry]:
    """The readings of an item under a strict protocol, for its custodians and stewards."""
    allowed = is_custodian(user, item) or any(
        is_steward(user, protocol) for protocol in strict_protocols(item)
    )
    if not getattr(user, "is_authenticated", False) or not allowed:
        raise Http404
    return item.access_log.select_related("person")


def may_read_access_log(user: Any, item: Item) -> bool:
    try:
        access_log_for(user, item)
    except Http404:
        return False
    return True


# Attachments ---------------------------------------------------------------------------


def can_read_attachment_file(user: Any, attachment: Attachment) -> bool:
    """Files follow their item; a reading of a strict item's file is logged."""
    item = attachment.item
    if not can_view_item(user, item):
        return False
    from .services.protocols import access_record
    from .types import AccessChannel

    access_record(actor=user, item=item, channel=AccessChannel.FILE)
    return True


def can_read_attachment_thumbnail(user: Any, attachment: Attachment) -> bool:
    return can_view_item(user, attachment.item)


# Collections ---------------------------------------------------------------------------


def visible_collections(user: Any) -> QuerySet[Collection]:
    return filter_visible(Collection.objects.all(), viewer_for(user))


def get_collection_for(user: Any, *, uuid: Any) -> Collection:
    collection = visible_collections(user).select_related("organization").filter(uuid=uuid).first()
    if collection is None:
        raise Http404
    return collection


def collection_entries(user: Any, collection: Collection) -> list[CollectionEntry]:
    """The collection's entries whose items the reader may see, in the curator's order."""
    return list(
        collection.entries.filter(item__in=visible_items(user))
        .select_related("item__organization")
        .order_by("position", "id")
    )


def collections_with_counts(user: Any) -> QuerySet[Collection]:
    """Visible collections, each with the number of its items the reader may see."""
    visible = visible_items(user).values("pk")
    return (
        visible_collections(user)
        .select_related("organization")
        .annotate(
            visible_count=Count("entries", filter=Q(entries__item__in=visible), distinct=True)
        )
        .order_by("title")
    )


def collections_managed_by(user: Any) -> QuerySet[Collection]:
    """The collections the user curates (for "add to a collection")."""
    managed = organization_ids_with_role(user, MANAGING_ROLES)
    return Collection.objects.filter(organization_id__in=managed).order_by("title")


def managed_organizations(user: Any) -> QuerySet[Any]:
    from minga.registry.selectors import organizations_user_manages

    return organizations_user_manages(user)


def contributing_organizations(user: Any) -> QuerySet[Any]:
    """The organizations the user contributes items for (a current role of any kind)."""
    return visible_organizations(user).filter(pk__in=viewer_for(user).organization_ids)


def subjects() -> QuerySet[Subject]:
    return Subject.objects.select_related("broader").order_by("broader_id", "position", "code")


# The home page ---------------------------------------------------------------------------


def attention_for(user: Any) -> list[Attention]:
    """Access requests waiting for the user's answer, and translations to review."""
    requests = pending_requests_for(user).count()
    reviews = translations_to_review(user).count()
    return [
        Attention(
            text=ngettext(
                "%(counter)s request to join a protocol is waiting for you.",
                "%(counter)s requests to join a protocol are waiting for you.",
                requests,
            )
            % {"counter": requests},
            url=reverse("library:requests"),
            count=requests,
        ),
        Attention(
            text=ngettext(
                "%(counter)s translation is waiting for your review.",
                "%(counter)s translations are waiting for your review.",
                reviews,
            )
            % {"counter": reviews},
            url=reverse("library:translations"),
            count=reviews,
        ),
    ]


def translations_to_review(user: Any) -> QuerySet[ItemTranslation]:
    if not getattr(user, "is_authenticated", False):
        return ItemTranslation.objects.none()
    managed = organization_ids_with_role(user, MANAGING_ROLES)
    return (
        ItemTranslation.objects.filter(
            stage=TranslationStage.SUBMITTED,
            item__in=visible_items(user).filter(
                Q(created_by=user) | Q(organization_id__in=managed) | Q(custodians=user)
            ),
        )
        .select_related("item")
        .order_by("submitted_at")
    )


def open_translations(user: Any) -> QuerySet[ItemTranslation]:
    """Translations asked for and not yet claimed, of items the user may read."""
    return (
        ItemTranslation.objects.filter(
            stage=TranslationStage.REQUESTED, item__in=visible_items(user)
        )
        .select_related("item")
        .order_by("requested_at")
    )


def my_translations(user: Any) -> QuerySet[ItemTranslation]:
    if not getattr(user, "is_authenticated", False):
        return ItemTranslation.objects.none()
    return (
        ItemTranslation.objects.filter(
            translator=user,
            stage__in=[TranslationStage.IN_PROGRESS, TranslationStage.SUBMITTED],
            item__in=visible_items(user),
        )
        .select_related("item")
        .order_by("requested_at")
    )


def get_translation_for(user: Any, *, item: Item, language: str) -> ItemTranslation:
    translation = item.translations.filter(language=language).first()
    if translation is None:
        raise Http404
    return translation

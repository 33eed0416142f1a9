"""Items: create, edit (every edit a new version), restore a version, remove; their
consent records and links.

Who may read an item is part of what a contributor sets (visibility level, custodians,
protocols and their any/all rule); after any change to it the services ask the visibility
rule for the item's audience (``library.access``) and refresh the search index once the
transaction commits.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import SYSTEM, guarded, unguarded
from minga.common.translation import LANGUAGE_TAG
from minga.core.library import quantities

from .. import selectors
from ..access import access_groups_of, audiences_of
from ..audit_events import LibraryEvent
from ..content import (
    SCALAR_FIELDS,
    AccessData,
    ConsentData,
    ItemData,
    data_from_snapshot,
    data_of,
    snapshot,
)
from ..models import (
    ConsentRecord,
    Ingredient,
    Item,
    ItemLink,
    ItemVersion,
    OaiTombstone,
    Step,
    Subject,
    Tag,
)
from ..tasks import index_items
from ..types import (
    LABELS_BY_CODE,
    Audience,
    ItemKind,
    License,
    LinkRelation,
    ProtocolRule,
)
from ..uploads import delete_stored

UNIT_OF_ACCOUNT = re.compile(r"^[A-Z0-9]{1,16}$")
MAX_TAGS = 30
MAX_INGREDIENTS = 100
MAX_STEPS = 100


def _refuse(message: str, field_name: str, code: str) -> DomainError:
    return DomainError(message, field_name, code=code)


# Reading and checking input ------------------------------------------------------------


def _clean_text(value: str) -> str:
    return (value or "").strip()


def _checked_ingredients(data: ItemData) -> list[tuple[str, int | None, str, str]]:
    if len(data.ingredients) > MAX_INGREDIENTS:
        raise _refuse(
            _("A formula has at most %(count)d ingredients.") % {"count": MAX_INGREDIENTS},
            "ingredients",
            "too_many_ingredients",
        )
    rows = []
    for number, ingredient in enumerate(data.ingredients, start=1):
        where = f"ingredients.{number}"
        name = _clean_text(ingredient.name)
        if not name:
            raise _refuse(
                _("Ingredient %(number)d has no name.") % {"number": number},
                f"{where}.name",
                "ingredient_without_name",
            )
        amount: int | None = None
        unit = _clean_text(ingredient.unit)
        if _clean_text(ingredient.quantity):
            try:
                amount = quantities.to_thousandths(quantities.parse_amount(ingredient.quantity))
            except quantities.QuantityError as error:
                raise _refuse(
                    _("Ingredient %(number)d: “%(text)s” is not a quantity such as 2.5 or 3/4.")
                    % {"number": number, "text": ingredient.quantity},
                    f"{where}.quantity",
                    "invalid_quantity",
                ) from error
            if amount == 0:
                raise _refuse(
                    _("Ingredient %(number)d: the quantity is too small; use a smaller unit.")
                    % {"number": number},
                    f"{where}.quantity",
                    "quantity_too_small",
                )
            if unit not in quantities.UNITS:
                raise _refuse(
                    _("Ingredient %(number)d: choose the unit of its quantity.")
                    % {"number": number},
                    f"{where}.unit",
                    "unknown_unit",
                )
        elif unit and unit not in quantities.UNITS:
            raise _refuse(
                _("Ingredient %(number)d: unknown unit “%(unit)s”.")
                % {"number": number, "unit": unit},
                f"{where}.unit",
                "unknown_unit",
            )
        rows.append((name[:200], amount, unit if amount is not None else "", ingredient.note[:200]))
    return rows


def _checked_yield(data: ItemData) -> tuple[int | None, str]:
    if not _clean_text(data.yield_quantity):
        if data.kind == ItemKind.FORMULA:
            raise _refuse(
                _("Say how much the formula makes (its yield), so it can be scaled."),
                "yield_quantity",
                "formula_without_yield",
            )
        return None, ""
    try:
        amount = quantities.to_thousandths(quantities.parse_amount(data.yield_quantity))
    except quantities.QuantityError as error:
        raise _refuse(
            _("“%(text)s” is not a quantity such as 200 or 2.5.") % {"text": data.yield_quantity},
            "yield_quantity",
            "invalid_quantity",
        ) from error
    if data.yield_unit not in quantities.UNITS:
        raise _refuse(_("Choose the unit of the yield."), "yield_unit", "unknown_unit")
    return amount, data.yield_unit


def _check(data: ItemData) -> None:
    if data.kind not in ItemKind.values:
        raise _refuse(
            _("Unknown kind of item “%(kind)s”.") % {"kind": data.kind}, "kind", "unknown_kind"
        )
    if not _clean_text(data.title):
        raise _refuse(_("Give the item a title."), "title", "title_required")
    if not LANGUAGE_TAG.match(data.language or ""):
        raise _refuse(
            _("Unknown language tag “%(tag)s”.") % {"tag": data.language},
            "language",
            "unknown_language",
        )
    if data.license not in License.values:
        raise _refuse(
            _("Unknown license “%(license)s”.") % {"license": data.license},
            "license",
            "unknown_license",
        )
    if data.license == License.COMMUNITY and not _clean_text(data.license_text):
        raise _refuse(
            _("Write the terms of the community license."),
            "license_text",
            "community_license_without_terms",
        )
    unknown_labels = [code for code in data.labels if code not in LABELS_BY_CODE]
    if unknown_labels:
        raise _refuse(
            _("Unknown label “%(code)s”.") % {"code": unknown_labels[0]},
            "labels",
            "unknown_label",
        )
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise _refuse(_("The end cannot be before the start."), "ends_on", "ends_before_start")
    if data.budget_amount is not None:
        if data.budget_amount < 0:
            raise _refuse(_("The budget cannot be negative."), "budget_amount", "negative_budget")
        if not UNIT_OF_ACCOUNT.match(data.budget_unit or ""):
            raise _refuse(
                _("Say in which unit of account the budget is, such as MINGA or VES."),
                "budget_unit",
                "budget_unit_required",
            )
    if (
        data.altitude_min is not None
        and data.altitude_max is not None
        and data.altitude_max < data.altitude_min
    ):
        raise _refuse(
            _("The highest altitude cannot be below the lowest."),
            "altitude_max",
            "altitudes_reversed",
        )
    if data.kind == ItemKind.FORMULA and not data.ingredients:
        raise _refuse(
            _("A formula needs at least one ingredient."),
            "ingredients",
            "formula_without_ingredients",
        )
    if data.kind == ItemKind.KNOWLEDGE and not _clean_text(data.community_of_origin):
        raise _refuse(
            _("Name the community this knowledge comes from."),
            "community_of_origin",
            "knowledge_without_community",
        )
    if len(data.steps) > MAX_STEPS:
        raise _refuse(
            _("A formula has at most %(count)d steps.") % {"count": MAX_STEPS},
            "steps",
            "too_many_steps",
        )
    if data.duration_seconds is not None and data.duration_seconds < 0:
        raise _refuse(
            _("The duration cannot be negative."), "duration_seconds", "negative_duration"
        )


def _subjects(codes: list[str]) -> list[Subject]:
    wanted = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    found = {subject.code: subject for subject in Subject.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise _refuse(
            _("Unknown subject “%(code)s”.") % {"code": missing[0]}, "subjects", "unknown_subject"
        )
    return [found[code] for code in wanted]


def _tags(names: list[str]) -> list[Tag]:
    cleaned = list(dict.fromkeys(name.strip().lower()[:60] for name in names if name.strip()))
    if len(cleaned) > MAX_TAGS:
        raise _refuse(
            _("An item has at most %(count)d tags.") % {"count": MAX_TAGS}, "tags", "too_many_tags"
        )
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=cleaned)}
    for name in cleaned:
        if name not in existing:
            existing[name] = Tag.objects.get_or_create(name=name)[0]
    return [existing[name] for name in cleaned]


# Writing -------------------------------------------------------------------------------


def _apply(item: Item, data: ItemData) -> None:
    """Copy validated content onto the item (saved by the caller)."""
    _check(data)
    for name in SCALAR_FIELDS:
        value = getattr(data, name)
        setattr(item, name, _clean_text(value) if isinstance(value, str) else value)
    item.title = item.title[:300]
    item.country = (data.country or "").upper()
    item.authors = [author.strip()[:200] for author in data.authors if author.strip()]
    item.labels = list(dict.fromkeys(data.labels))
    item.budget_unit = data.budget_unit if data.budget_amount is not None else ""
    item.yield_thousandths, item.yield_unit = _checked_yield(data)
    try:
        item.full_clean(exclude=["uuid", "organization", "created_by", "audience"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise DomainError(" ".join(messages), name, code="invalid_field") from error


def _write_relations(item: Item, data: ItemData) -> None:
    ingredients = _checked_ingredients(data)
    steps = [_clean_text(step) for step in data.steps if _clean_text(step)]
    item.subjects.set(_subjects(data.subjects))
    item.tags.set(_tags(data.tags))
    item.ingredients.all().delete()
    Ingredient.objects.bulk_create(
        Ingredient(
            item=item,
            position=position,
            name=name,
            quantity_thousandths=amount,
            unit=unit,
            note=note,
        )
        for position, (name, amount, unit, note) in enumerate(ingredients)
    )
    item.steps.all().delete()
    Step.objects.bulk_create(
        Step(item=item, position=position, text=text) for position, text in enumerate(steps)
    )


def _record_version(
    item: Item, actor: Any, note: str = "", restored_from: int | None = None
) -> None:
    ItemVersion.objects.create(
        item=item,
        number=item.version,
        author=_person(actor),
        snapshot=snapshot(item),
        note=note[:300],
        restored_from=restored_from,
    )


def _check_protocols(actor: Any, access: AccessData) -> None:
    if access.protocol_rule not in ProtocolRule.values:
        raise _refuse(
            _("Choose whether any or all protocols must let a reader in."),
            "protocol_rule",
            "unknown_protocol_rule",
        )
    if access.visibility not in Visibility.values:
        raise _refuse(_("Unknown visibility."), "visibility", "unknown_visibility")
    if actor is SYSTEM:
        return
    allowed = set(selectors.protocols_for_items(actor).values_list("pk", flat=True))
    for protocol in access.protocols:
        if protocol.pk not in allowed:
            raise _refuse(
                _(
                    "You may put an item only under open protocols and strict protocols you "
                    "belong to: “%(name)s” is not one of them."
                )
                % {"name": protocol.name},
                "protocols",
                "protocol_not_yours",
            )


def _set_access(item: Item, access: AccessData) -> dict[str, Any]:
    """Write who may read the item; the changes, for the audit log."""
    before = {
        "visibility": item.visibility,
        "protocols": sorted(str(p.uuid) for p in item.protocols.all()),
        "protocol_rule": item.protocol_rule,
        "custodians": sorted(str(u.pk) for u in item.custodians.all()),
        "visible_to": sorted(str(o.pk) for o in item.visible_to_organizations.all()),
    }
    visible_to = list(access.visible_to)
    if access.visibility == Visibility.ORGANIZATIONS and item.organization not in visible_to:
        # "Members of given organizations" always includes the contributing organization.
        visible_to.append(item.organization)
    item.visibility = access.visibility
    item.protocol_rule = access.protocol_rule
    item.save(update_fields=["visibility", "protocol_rule", "updated_at"])
    item.visible_to_organizations.set(visible_to)
    item.custodians.set(list(access.custodians))
    item.protocols.set(list(access.protocols))
    after = {
        "visibility": item.visibility,
        "protocols": sorted(str(p.uuid) for p in access.protocols),
        "protocol_rule": item.protocol_rule,
        "custodians": sorted(str(u.pk) for u in access.custodians),
        "visible_to": sorted(str(o.pk) for o in visible_to),
    }
    return audit.field_changes(before, after)


@unguarded("called by the library's services after their own permission checks")
def refresh_access(item_ids: list[int]) -> dict[int, str]:
    """Ask the visibility rule who may read these items now; keep the summary on each row,
    tell harvesters about items that stopped being public, and refresh the index."""
    if not item_ids:
        return {}
    audiences = audiences_of(item_ids)
    groups = access_groups_of(item_ids)
    now = timezone.now()
    for item in Item.objects.filter(pk__in=item_ids).select_related("organization"):
        new = audiences[item.pk]
        if item.audience == Audience.EVERYONE and new != Audience.EVERYONE:
            OaiTombstone.objects.update_or_create(
                item_uuid=item.uuid,
                defaults={"organization_uuid": item.organization.uuid, "deleted_at": now},
            )
        elif new == Audience.EVERYONE:
            OaiTombstone.objects.filter(item_uuid=item.uuid).delete()
        if item.audience != new or item.access_group != groups[item.pk]:
            Item.objects.filter(pk=item.pk).update(audience=new, access_group=groups[item.pk])
    _reindex_on_commit(*item_ids)
    return audiences


def _reindex_on_commit(*item_ids: int) -> None:
    ids = list(item_ids)
    transaction.on_commit(lambda: index_items.enqueue(ids))


def _person(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _check_consent(item: Item, data: ItemData, consent: ConsentData | None) -> None:
    shared = item.visibility != Visibility.CUSTODIANS
    if (
        data.kind == ItemKind.KNOWLEDGE
        and shared
        and consent is None
        and not item.consents.exists()
    ):
        raise _refuse(
            _(
                "Record the community's free, prior and informed consent before sharing this "
                "knowledge beyond its custodians."
            ),
            "consent",
            "knowledge_without_consent",
        )


def _write_consent(actor: Any, item: Item, consent: ConsentData) -> ConsentRecord:
    for name in ("given_by", "method", "scope"):
        if not _clean_text(getattr(consent, name)):
            raise _refuse(
                _("Say who gave the consent, how, and to what."),
                f"consent.{name}",
                "consent_incomplete",
            )
    if consent.given_on > timezone.localdate():
        raise _refuse(
            _("Consent cannot be given in the future."), "consent.given_on", "consent_in_future"
        )
    if consent.expires_on is not None and consent.expires_on < consent.given_on:
        raise _refuse(
            _("Consent cannot end before it was given."),
            "consent.expires_on",
            "consent_ends_before",
        )
    return ConsentRecord.objects.create(
        item=item,
        given_by=consent.given_by.strip()[:300],
        given_on=consent.given_on,
        method=consent.method.strip()[:300],
        scope=consent.scope.strip(),
        expires_on=consent.expires_on,
        recorded_by=_person(actor),
    )


@guarded("library.item.create", on="organization")
@transaction.atomic
def item_create(
    *,
    actor: Any,
    organization: Any,
    data: ItemData,
    access: AccessData | None = None,
    consent: ConsentData | None = None,
    uuid: Any = None,
) -> Item:
    """Add an item to the library for an organization; it is version 1."""
    access = access or AccessData()
    _check_protocols(actor, access)
    item = Item(organization=organization, created_by=_person(actor), version=1)
    if uuid is not None:
        item.uuid = uuid
    _apply(item, data)
    item.visibility = access.visibility
    item.save()
    _write_relations(item, data)
    changes = _set_access(item, access)
    if consent is not None:
        _write_consent(actor, item, consent)
    _check_consent(item, data, consent)
    _record_version(item, actor)
    audit.record(
        actor=actor,
        action=LibraryEvent.ITEM_CREATE,
        target=item,
        changes={"kind": [None, item.kind], **changes},
    )
    refresh_access([item.pk])
    return item


@guarded("library.item.change", on="item")
@transaction.atomic
def item_update(
    *,
    actor: Any,
    item: Item,
    data: ItemData,
    note: str = "",
    expected_version: int | None = None,
) -> Item:
    """Change an item's content; a change makes a new version (an unchanged save does not).

    ``expected_version`` refuses an edit made on an older version than the current one, so
    two people editing at once do not overwrite each other without knowing.
    """
    return _update(actor, item, data, note, expected_version, None)


def _update(
    actor: Any,
    item: Item,
    data: ItemData,
    note: str,
    expected_version: int | None,
    restored_from: int | None,
) -> Item:
    item = Item.objects.select_for_update().get(pk=item.pk)
    if expected_version is not None and expected_version != item.version:
        raise DomainError(
            _(
                "Someone saved a newer version (%(version)d) while you were editing; "
                "open the item again and redo your change."
            )
            % {"version": item.version},
            "version",
            code="edit_conflict",
            status=409,
        )
    before = snapshot(item)
    _apply(item, data)
    item.save()
    _write_relations(item, data)
    _check_consent(item, data, None)
    after = snapshot(item)
    if after == before:
        return item
    item.version += 1
    Item.objects.filter(pk=item.pk).update(version=item.version)
    _record_version(item, actor, note, restored_from)
    audit.record(
        actor=actor,
        action=LibraryEvent.ITEM_RESTORE if restored_from else LibraryEvent.ITEM_UPDATE,
        target=item,
        changes={
            key: value
            for key, value in audit.field_changes(before, after).items()
            if key not in ("body",)
        }
        | ({"body": ["…", "…"]} if before.get("body") != after.get("body") else {}),
    )
    _reindex_on_commit(item.pk)
    return item


@guarded("library.item.change", on="item")
@transaction.atomic
def item_restore(*, actor: Any, item: Item, number: int) -> Item:
    """Make an earlier version's content the current one again, as a new version."""
    version = item.versions.filter(number=number).first()
    if version is None:
        raise _refuse(
            _("This item has no version %(number)d.") % {"number": number},
            "number",
            "unknown_version",
        )
    if number == item.version:
        raise DomainError(
            _("Version %(number)d is the current one.") % {"number": number},
            "number",
            code="version_is_current",
            status=409,
        )
    data = data_from_snapshot(version.snapshot)
    # Subjects removed from the vocabulary since are dropped rather than refused.
    known = set(Subject.objects.filter(code__in=data.subjects).values_list("code", flat=True))
    data = replace(data, subjects=[code for code in data.subjects if code in known])
    note = _("Restored from version %(number)d") % {"number": number}
    return _update(actor, item, data, note, None, number)


@guarded("library.item.change", on="item")
@transaction.atomic
def item_set_access(*, actor: Any, item: Item, access: AccessData) -> Item:
    """Change who may read an item (level, custodians, protocols); not a new version."""
    item = Item.objects.select_for_update().select_related("organization").get(pk=item.pk)
    _check_protocols(actor, access)
    changes = _set_access(item, access)
    if item.kind == ItemKind.KNOWLEDGE:
        _check_consent(item, data_of(item), None)
    if changes:
        audit.record(actor=actor, action=LibraryEvent.ITEM_ACCESS, target=item, changes=changes)
    refresh_access([item.pk])
    return item


@guarded("library.item.change", on="item")
@transaction.atomic
def item_delete(*, actor: Any, item: Item, reason: str = "") -> None:
    """Remove an item, its versions, translations and files; harvesters are told."""
    item = Item.objects.select_for_update().select_related("organization").get(pk=item.pk)
    if item.audience == Audience.EVERYONE:
        OaiTombstone.objects.update_or_create(
            item_uuid=item.uuid,
            defaults={"organization_uuid": item.organization.uuid, "deleted_at": timezone.now()},
        )
    files = [
        (field_file.storage, field_file.name)
        for attachment in item.attachments.all()
        for field_file in (attachment.file, attachment.thumbnail)
        if field_file
    ]
    audit.record(
        actor=actor,
        action=LibraryEvent.ITEM_DELETE,
        target=item,
        changes={"title": [item.title, None]},
        reason=reason,
    )
    pk = item.pk
    item.delete()
    transaction.on_commit(lambda: delete_stored(files))
    _reindex_on_commit(pk)


@guarded("library.item.change", on="item")
@transaction.atomic
def consent_record(*, actor: Any, item: Item, consent: ConsentData) -> ConsentRecord:
    """Add a record of the community's consent (the newest is the one in force)."""
    if item.kind != ItemKind.KNOWLEDGE:
        raise _refuse(
            _("Consent is recorded for ancestral knowledge."), "kind", "consent_not_for_kind"
        )
    record = _write_consent(actor, item, consent)
    audit.record(
        actor=actor,
        action=LibraryEvent.CONSENT_RECORD,
        target=item,
        changes={"consent": [None, f"{record.given_by} · {record.given_on}"]},
    )
    return record


@guarded("library.item.change", on="source")
@transaction.atomic
def link_add(*, actor: Any, source: Item, target: Item, relation: str) -> ItemLink:
    """Link two items (a project uses a formula …); linking twice changes nothing."""
    if relation not in LinkRelation.values:
        raise _refuse(_("Unknown kind of link."), "relation", "unknown_relation")
    if source.pk == target.pk:
        raise _refuse(_("An item cannot be linked to itself."), "target", "link_to_itself")
    link, created = ItemLink.objects.get_or_create(
        source=source, target=target, relation=relation, defaults={"created_by": _person(actor)}
    )
    if created:
        audit.record(
            actor=actor,
            action=LibraryEvent.LINK_ADD,
            target=source,
            changes={"link": [None, f"{relation} {target.uuid}"]},
        )
    return link


@guarded("library.item.change", on="link", via=lambda link: link.source)
@transaction.atomic
def link_remove(*, actor: Any, link: ItemLink) -> None:
    source = link.source
    audit.record(
        actor=actor,
        action=LibraryEvent.LINK_REMOVE,
        target=source,
        changes={"link": [f"{link.relation} {link.target.uuid}", None]},
    )
    link.delete()

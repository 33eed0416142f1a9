"""Translations of items, through the shared workflow (``common.translation``).

An item's editors ask for a language; any reader may volunteer to translate it (claim,
write, submit); the editors review it (approve: published, status "reviewed"; or send it
back). With the operator's own LibreTranslate server configured, a requested translation
is pre-filled by the machine and shown as a machine translation until a person edits it.
Published translations are searched in their own language.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.common.translation import TranslationStage, language_tag, machine_translator, move

from ..audit_events import LibraryEvent
from ..models import Item, ItemTranslation
from .items import _reindex_on_commit

VOLUNTEER_ACTIONS = ("claim", "release", "submit")
REVIEW_ACTIONS = ("approve", "send_back", "revise")


@guarded("library.item.change", on="item")
@transaction.atomic
def translation_request(
    *, actor: Any, item: Item, language: str, machine: bool = False
) -> ItemTranslation:
    """Ask for the item in another language; asking again returns the same translation."""
    language = language_tag(language)
    if language.split("-")[0] == item.language.split("-")[0]:
        raise DomainError(
            _("This is the language of the original."), "language", code="original_language"
        )
    translation, created = ItemTranslation.objects.get_or_create(
        item=item,
        language=language,
        defaults={"requested_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    if created and machine:
        translate = machine_translator()
        if translate is not None:
            source = item.language.split("-")[0]
            translation.title = translate(item.title, source, language)[:300]
            translation.summary = translate(item.summary, source, language) if item.summary else ""
            translation.text = translate(item.body, source, language) if item.body else ""
            translation.machine = True
            translation.save()
    if created:
        audit.record(
            actor=actor,
            action=LibraryEvent.TRANSLATION_STEP,
            target=item,
            changes={"translation": [None, f"{language}: requested"]},
        )
    return translation


def _step(actor: Any, translation: ItemTranslation, action: str) -> ItemTranslation:
    translation = (
        ItemTranslation.objects.select_for_update().select_related("item").get(pk=translation.pk)
    )
    if action in ("release", "submit") and translation.translator_id != getattr(actor, "pk", None):
        raise DomainError(
            _("Only the person translating may do this."),
            "translator",
            code="not_the_translator",
            status=403,
        )
    before = translation.stage
    move(translation, action, actor=actor)
    translation.save()
    audit.record(
        actor=actor,
        action=LibraryEvent.TRANSLATION_STEP,
        target=translation.item,
        changes={"translation": [f"{translation.language}: {before}", translation.stage]},
    )
    if TranslationStage.PUBLISHED in (before, translation.stage):
        _reindex_on_commit(translation.item_id)
    return translation


@guarded("library.translation.volunteer", on="translation")
@transaction.atomic
def translation_volunteer(
    *, actor: Any, translation: ItemTranslation, action: str
) -> ItemTranslation:
    """Claim a requested translation, release it, or submit it for review."""
    if action not in VOLUNTEER_ACTIONS:
        raise DomainError(_("Unknown step."), "action", code="unknown_translation_step")
    return _step(actor, translation, action)


@guarded("library.translation.review", on="translation")
@transaction.atomic
def translation_review(*, actor: Any, translation: ItemTranslation, action: str) -> ItemTranslation:
    """Approve a submitted translation (it is published), send it back, or reopen it."""
    if action not in REVIEW_ACTIONS:
        raise DomainError(_("Unknown step."), "action", code="unknown_translation_step")
    return _step(actor, translation, action)


@guarded("library.translation.volunteer", on="translation")
@transaction.atomic
def translation_write(
    *, actor: Any, translation: ItemTranslation, title: str, summary: str, text: str
) -> ItemTranslation:
    """Save the translator's text; a person's edit clears the machine flag."""
    translation = (
        ItemTranslation.objects.select_for_update().select_related("item").get(pk=translation.pk)
    )
    if translation.stage != TranslationStage.IN_PROGRESS:
        raise DomainError(
            _("Claim the translation before writing it."),
            "stage",
            code="translation_not_claimed",
            status=409,
        )
    if translation.translator_id != getattr(actor, "pk", None):
        raise DomainError(
            _("Only the person translating may do this."),
            "translator",
            code="not_the_translator",
            status=403,
        )
    if not (title or "").strip():
        raise DomainError(_("Translate the title."), "title", code="title_required")
    changed = (translation.title, translation.summary, translation.text) != (title, summary, text)
    translation.title = title.strip()[:300]
    translation.summary = summary
    translation.text = text
    if changed:
        translation.machine = False
    translation.save()
    audit.record(
        actor=actor,
        action=LibraryEvent.TRANSLATION_WRITE,
        target=translation.item,
        changes={"translation": [None, translation.language]},
    )
    return translation

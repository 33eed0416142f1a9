"""Translations of bulletins, through the shared workflow (``common.translation``), and the
network's volunteer translators and reviewers.

Editors request languages; a volunteer claims one, writes it (a configured self-hosted
LibreTranslate server may pre-fill it, marked as a machine translation until a person edits
it), and submits it; a reviewer approves it or sends it back. Readers then see the bulletin
in their language, with the original one click away.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.common.translation import TranslationStage, machine_translator, move

from .. import activitypub
from ..audit_events import CommsEvent
from ..models import Bulletin, BulletinTranslation, Volunteer
from ..types import BulletinStatus
from .bulletins import _clean_language, _person_or_none


@guarded("comms.translation.request", on="bulletin")
@transaction.atomic
def translation_request(
    *, actor: Any, bulletin: Bulletin, languages: list[str]
) -> list[BulletinTranslation]:
    """Ask for translations into these languages (those already asked for are kept)."""
    if not languages:
        raise DomainError(_("Choose at least one language."), "languages", code="no_language")
    created = []
    for code in languages:
        language = _clean_language(code, "languages")
        if language.split("-")[0] == bulletin.language.split("-")[0]:
            raise DomainError(
                _("The bulletin is already written in this language."),
                "languages",
                code="same_language",
            )
        translation, was_created = BulletinTranslation.objects.get_or_create(
            bulletin=bulletin, language=language, defaults={"requested_by": _person_or_none(actor)}
        )
        if was_created:
            created.append(translation)
            audit.record(actor=actor, action=CommsEvent.TRANSLATION_REQUEST, target=translation)
    return created


def _locked(translation: BulletinTranslation) -> BulletinTranslation:
    return (
        BulletinTranslation.objects.select_for_update(of=("self",))
        .select_related("bulletin__organization")
        .get(pk=translation.pk)
    )


def _step(translation: BulletinTranslation, action: str, actor: Any) -> BulletinTranslation:
    translation = _locked(translation)
    move(translation, action, actor=actor)
    translation.save()
    audit.record(
        actor=actor,
        action=CommsEvent.TRANSLATION_STEP,
        target=translation,
        changes={"action": action, "stage": translation.stage},
    )
    return translation


@guarded("comms.translation.claim", on="translation")
@transaction.atomic
def translation_claim(*, actor: Any, translation: BulletinTranslation) -> BulletinTranslation:
    """A volunteer takes a requested translation; nobody else works on it meanwhile."""
    return _step(translation, "claim", actor)


@guarded("comms.translation.write", on="translation")
@transaction.atomic
def translation_release(*, actor: Any, translation: BulletinTranslation) -> BulletinTranslation:
    """Give a claimed translation back, for someone else to take."""
    return _step(translation, "release", actor)


@guarded("comms.translation.write", on="translation")
@transaction.atomic
def translation_save(
    *,
    actor: Any,
    translation: BulletinTranslation,
    title: str,
    text: str,
    summary: str = "",
) -> BulletinTranslation:
    """Write the translation (a person's text: it is no longer a machine translation)."""
    translation = _locked(translation)
    if translation.stage != TranslationStage.IN_PROGRESS:
        raise DomainError(
            _("Claim the translation before writing it."), "stage", code="not_claimed", status=409
        )
    translation.title = title.strip()[:300]
    translation.summary = summary.strip()[:500]
    translation.text = text
    translation.machine = False
    translation.save()
    audit.record(actor=actor, action=CommsEvent.TRANSLATION_SAVE, target=translation)
    return translation


@guarded("comms.translation.write", on="translation")
def translation_prefill(*, actor: Any, translation: BulletinTranslation) -> BulletinTranslation:
    """Pre-fill with the operator's machine translation server (marked ``machine`` until a
    person edits it). The server is asked before anything is written."""
    translate = machine_translator()
    if translate is None:
        raise DomainError(
            _("No machine translation server is configured; translate by hand."),
            code="machine_translation_unavailable",
            status=409,
        )
    bulletin = translation.bulletin
    source = bulletin.language.split("-")[0]
    target = translation.language.split("-")[0]
    title = translate(bulletin.title, source, target) if bulletin.title else ""
    summary = translate(bulletin.summary, source, target) if bulletin.summary else ""
    text = translate(bulletin.body, source, target)
    with transaction.atomic():
        translation = _locked(translation)
        if translation.stage != TranslationStage.IN_PROGRESS:
            raise DomainError(
                _("Claim the translation before writing it."),
                "stage",
                code="not_claimed",
                status=409,
            )
        translation.title, translation.summary, translation.text = title, summary, text
        translation.machine = True
        translation.save()
        audit.record(actor=actor, action=CommsEvent.TRANSLATION_SAVE, target=translation)
    return translation


@guarded("comms.translation.write", on="translation")
@transaction.atomic
def translation_submit(*, actor: Any, translation: BulletinTranslation) -> BulletinTranslation:
    """Send the written translation for review."""
    return _step(translation, "submit", actor)


def _resync(translation: BulletinTranslation) -> None:
    bulletin = translation.bulletin
    if bulletin.status == BulletinStatus.PUBLISHED and bulletin.federated_at:
        activitypub.sync(bulletin)


@guarded("comms.translation.review", on="translation")
@transaction.atomic
def translation_approve(*, actor: Any, translation: BulletinTranslation) -> BulletinTranslation:
    """Approve: readers of the language now see it, marked as reviewed."""
    translation = _step(translation, "approve", actor)
    _resync(translation)
    return translation


@guarded("comms.translation.review", on="translation")
@transaction.atomic
def translation_send_back(
    *, actor: Any, translation: BulletinTranslation, note: str = ""
) -> BulletinTranslation:
    """Return the translation to its translator for corrections."""
    translation = _step(translation, "send_back", actor)
    if note:
        audit.record(
            actor=actor, action=CommsEvent.TRANSLATION_STEP, target=translation, reason=note
        )
    return translation


@guarded("comms.translation.request", on="translation", via=lambda t: t.bulletin)
@transaction.atomic
def translation_revise(*, actor: Any, translation: BulletinTranslation) -> BulletinTranslation:
    """Reopen a published translation (after the original changed); readers get the
    original until it is approved again."""
    translation = _step(translation, "revise", actor)
    _resync(translation)
    return translation


@guarded("comms.volunteer.register")
@transaction.atomic
def volunteer_register(*, actor: Any, languages: list[str]) -> Volunteer:
    """Offer to translate into these languages (or change them; none stops)."""
    cleaned = sorted({_clean_language(code, "languages") for code in languages})
    volunteer, _created = Volunteer.objects.get_or_create(user=actor)
    volunteer.languages = cleaned
    volunteer.reviewer_languages = [
        code for code in volunteer.reviewer_languages if code in cleaned
    ]
    volunteer.save()
    actor.__dict__.pop("_comms_volunteer", None)
    audit.record(
        actor=actor,
        action=CommsEvent.VOLUNTEER_REGISTER,
        target=volunteer,
        changes={"languages": cleaned},
    )
    return volunteer


@guarded("comms.volunteer.name_reviewer")
@transaction.atomic
def volunteer_name_reviewer(*, actor: Any, volunteer: Volunteer, languages: list[str]) -> Volunteer:
    """Let a volunteer approve others' translations into these languages (ones they
    translate into)."""
    volunteer = Volunteer.objects.select_for_update(of=("self",)).get(pk=volunteer.pk)
    cleaned = sorted({_clean_language(code, "languages") for code in languages})
    outside = [code for code in cleaned if code not in volunteer.languages]
    if outside:
        raise DomainError(
            _("A reviewer reviews only languages they translate into."),
            "languages",
            code="reviewer_language_outside",
        )
    volunteer.reviewer_languages = cleaned
    volunteer.save(update_fields=["reviewer_languages"])
    audit.record(
        actor=actor,
        action=CommsEvent.VOLUNTEER_REVIEWER,
        target=volunteer,
        changes={"reviewer_languages": cleaned},
    )
    return volunteer

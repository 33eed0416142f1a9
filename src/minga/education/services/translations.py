"""Translations of a course's title and description (``common.translation``).

A course's teachers and its school's coordinators write a translation; it is shown to
readers of that language at once, with its status: a "human translation", or a "machine
translation" when the operator's own LibreTranslate server pre-filled it and nobody has
changed it since. A coordinator reviews it (status "reviewed"); any later change makes it a
human translation again, waiting for a new review.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.common.translation import TranslationStage, language_tag, machine_translator

from ..audit_events import EducationEvent
from ..models import Course, CourseTranslation


def _other_language(course: Course, language: str) -> str:
    language = language_tag(language)
    if language.split("-")[0] == course.language.split("-")[0]:
        raise DomainError(
            _("This is the language of the original."), "language", code="original_language"
        )
    return language


def _locked(course: Course, language: str) -> CourseTranslation | None:
    return (
        CourseTranslation.objects.select_for_update()
        .filter(course=course, language=language)
        .first()
    )


def _person(actor: Any) -> Any:
    """The person acting, or None for the server itself (SYSTEM)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _record(actor: Any, course: Course, language: str, what: str) -> None:
    audit.record(
        actor=actor,
        action=EducationEvent.TRANSLATION_CHANGE,
        target=course,
        changes={"translation": [None, f"{language}: {what}"]},
    )


@guarded("education.course.teach", on="course")
@transaction.atomic
def course_translation_save(
    *, actor: Any, course: Course, language: str, title: str, description: str = ""
) -> CourseTranslation:
    """Write (or correct) the course in another language. It is published at once as a
    person's translation; saving the same words again changes nothing."""
    language = _other_language(course, language)
    title = (title or "").strip()
    description = (description or "").strip()
    if not title:
        raise DomainError(_("Translate the title."), "title", code="title_required")
    if len(title) > 300:
        raise DomainError(
            _("At most %(limit)d characters.") % {"limit": 300}, "title", code="too_long"
        )
    translation = _locked(course, language)
    if translation is not None and (translation.title, translation.text) == (title, description):
        return translation
    if translation is None:
        translation = CourseTranslation(course=course, language=language)
        translation.requested_by = _person(actor)
    translation.title = title
    translation.text = description
    translation.machine = False
    translation.translator = _person(actor)
    translation.stage = TranslationStage.PUBLISHED
    translation.submitted_at = timezone.now()
    translation.reviewer = None
    translation.reviewed_at = None
    translation.save()
    _record(actor, course, language, "written")
    return translation


@guarded("education.course.teach", on="course")
@transaction.atomic
def course_translation_prefill(*, actor: Any, course: Course, language: str) -> CourseTranslation:
    """Ask the operator's machine translation server for the course in ``language``. It is
    shown as a machine translation until a person corrects it; a person's translation is
    never overwritten."""
    language = _other_language(course, language)
    translate = machine_translator()
    if translate is None:
        raise DomainError(
            _("No machine translation server is configured; translate by hand."),
            "language",
            code="machine_translation_unavailable",
            status=503,
        )
    translation = _locked(course, language)
    if translation is not None and not translation.machine:
        raise DomainError(
            _("A person has already translated it; correct their translation instead."),
            "language",
            code="translated_by_a_person",
            status=409,
        )
    source = course.language.split("-")[0]
    title = translate(course.title, source, language)[:300].strip()
    text = translate(course.description, source, language) if course.description else ""
    if translation is None:
        translation = CourseTranslation(course=course, language=language)
        translation.requested_by = _person(actor)
    translation.title = title or course.title
    translation.text = text
    translation.machine = True
    translation.translator = None
    translation.stage = TranslationStage.PUBLISHED
    translation.submitted_at = timezone.now()
    translation.reviewer = None
    translation.reviewed_at = None
    translation.save()
    _record(actor, course, language, "machine")
    return translation


@guarded("education.course.change", on="course")
@transaction.atomic
def course_translation_review(*, actor: Any, course: Course, language: str) -> CourseTranslation:
    """A coordinator approves the translation as it stands: its status becomes reviewed."""
    translation = _locked(course, language_tag(language))
    if translation is None:
        raise DomainError(
            _("There is no translation into this language."),
            "language",
            code="no_translation",
            status=404,
        )
    if translation.reviewed_at is None:
        translation.reviewer = _person(actor)
        translation.reviewed_at = timezone.now()
        translation.stage = TranslationStage.PUBLISHED
        translation.save(update_fields=["reviewer", "reviewed_at", "stage"])
        _record(actor, course, translation.language, "reviewed")
    return translation


@guarded("education.course.teach", on="course")
@transaction.atomic
def course_translation_remove(*, actor: Any, course: Course, language: str) -> None:
    """Take the translation away: readers of that language see the original again."""
    translation = _locked(course, language_tag(language))
    if translation is None:
        raise DomainError(
            _("There is no translation into this language."),
            "language",
            code="no_translation",
            status=404,
        )
    language = translation.language
    translation.delete()
    _record(actor, course, language, "removed")

"""Translations of content, and the workflow that makes them, shared by every module.

A text written in one language (a bulletin, a library item, a course, a proposal) has
translations into others. Each translation shows readers its **status**: ``machine``
(pre-filled by a machine and not yet checked by a person), ``human`` (written or corrected by
a person) or ``reviewed`` (approved by a reviewer). The **workflow** behind it:

    requested ──claim──▶ in progress ──submit──▶ submitted ──approve──▶ published
        ▲                    │ release               │ send back
        └────────────────────┘◀──────────────────────┘

Editors request a language; a volunteer translator claims it, writes it and submits it; a
reviewer approves it (it is then published, status ``reviewed``) or sends it back. An app's
translation model derives from :class:`Translation` and adds the foreign key to what it
translates; its services call :func:`move` to change the stage, which refuses transitions
the workflow does not allow.

A machine translation backend (:func:`machine_translator`) is used only when the operator
configures a self-hosted LibreTranslate server (``MINGA_LIBRETRANSLATE_URL``); with none,
the workflow is entirely human.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import DomainError

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def language_tag(value: str, field: str = "language") -> str:
    """The BCP 47 language tag ``value`` (stripped), or a refusal naming ``field``."""
    value = (value or "").strip()
    if not LANGUAGE_TAG.match(value):
        raise DomainError(
            _("Unknown language tag “%(tag)s”.") % {"tag": value},
            field,
            code="unknown_language",
        )
    return value


class TranslationStatus(models.TextChoices):
    """What a reader is told about a translation."""

    MACHINE = "machine", gettext_lazy("Machine translation")
    HUMAN = "human", gettext_lazy("Human translation")
    REVIEWED = "reviewed", gettext_lazy("Reviewed translation")


class TranslationStage(models.TextChoices):
    REQUESTED = "requested", gettext_lazy("Requested")
    IN_PROGRESS = "in_progress", gettext_lazy("Being translated")
    SUBMITTED = "submitted", gettext_lazy("Waiting for review")
    PUBLISHED = "published", gettext_lazy("Published")


# (from, action) -> to
TRANSITIONS: dict[tuple[str, str], str] = {
    (TranslationStage.REQUESTED, "claim"): TranslationStage.IN_PROGRESS,
    (TranslationStage.IN_PROGRESS, "release"): TranslationStage.REQUESTED,
    (TranslationStage.IN_PROGRESS, "submit"): TranslationStage.SUBMITTED,
    (TranslationStage.SUBMITTED, "approve"): TranslationStage.PUBLISHED,
    (TranslationStage.SUBMITTED, "send_back"): TranslationStage.IN_PROGRESS,
    (TranslationStage.PUBLISHED, "revise"): TranslationStage.IN_PROGRESS,
}


class Translation(models.Model):
    """One language version of a text, with who made it and where it stands."""

    language = models.CharField(gettext_lazy("language"), max_length=16)
    title = models.CharField(gettext_lazy("title"), max_length=300, blank=True)
    text = models.TextField(gettext_lazy("text"), blank=True)
    stage = models.CharField(
        gettext_lazy("stage"),
        max_length=16,
        choices=TranslationStage.choices,
        default=TranslationStage.REQUESTED,
        db_index=True,
    )
    machine = models.BooleanField(
        gettext_lazy("pre-filled by a machine"),
        default=False,
        help_text=gettext_lazy("Cleared once a person edits the text."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("translator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(gettext_lazy("requested"), default=timezone.now)
    submitted_at = models.DateTimeField(gettext_lazy("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(gettext_lazy("reviewed"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def status(self) -> TranslationStatus:
        if self.stage == TranslationStage.PUBLISHED and self.reviewed_at is not None:
            return TranslationStatus.REVIEWED
        return TranslationStatus.MACHINE if self.machine else TranslationStatus.HUMAN

    @property
    def is_published(self) -> bool:
        return self.stage == TranslationStage.PUBLISHED


def move(translation: Translation, action: str, *, actor: Any) -> Translation:
    """Apply one step of the workflow to a locked translation (the caller saves it)."""
    target = TRANSITIONS.get((translation.stage, action))
    if target is None:
        raise DomainError(
            _("A translation that is “%(stage)s” cannot be %(action)s.")
            % {
                "stage": TranslationStage(translation.stage).label,
                "action": ACTION_LABELS.get(action, action),
            },
            "stage",
            code="invalid_translation_step",
            status=409,
        )
    now = timezone.now()
    if action == "claim":
        translation.translator = actor
    elif action == "release":
        translation.translator = None
    elif action == "submit":
        if not translation.text.strip():
            raise DomainError(
                _("Write the translation before submitting it."), "text", code="empty_translation"
            )
        translation.submitted_at = now
    elif action == "approve":
        translation.reviewer = actor
        translation.reviewed_at = now
    elif action in ("send_back", "revise"):
        translation.reviewer = None
        translation.reviewed_at = None
    translation.stage = target
    return translation


ACTION_LABELS = {
    "claim": gettext_lazy("claimed"),
    "release": gettext_lazy("released"),
    "submit": gettext_lazy("submitted"),
    "approve": gettext_lazy("approved"),
    "send_back": gettext_lazy("sent back"),
    "revise": gettext_lazy("revised"),
}


def best_translation(translations: list[Any], language: str) -> Any | None:
    """The published translation a reader of ``language`` should see, or None."""
    wanted = language.split("-")[0]
    for translation in translations:
        if translation.language.split("-")[0] == wanted and translation.is_published:
            return translation
    return None


MachineTranslator = Callable[[str, str, str], str]


def machine_translator() -> MachineTranslator | None:
    """A function (text, source, target) -> text using the configured LibreTranslate server,
    or None when none is configured. The server is the operator's own (self-hosted): nothing
    leaves for a third party."""
    url = getattr(settings, "LIBRETRANSLATE_URL", "")
    if not url:
        return None
    api_key = getattr(settings, "LIBRETRANSLATE_API_KEY", "")
    timeout = float(getattr(settings, "LIBRETRANSLATE_TIMEOUT", 20))

    def translate(text: str, source: str, target: str) -> str:
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if api_key:
            payload["api_key"] = api_key
        request = urllib.request.Request(  # noqa: S310 - the operator's configured http(s) URL
            url.rstrip("/") + "/translate",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                answer = json.loads(response.read(2_000_000))
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise DomainError(
                _("The machine translation server did not answer; translate by hand."),
                code="machine_translation_unavailable",
                status=503,
            ) from error
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str):
            raise DomainError(
                _("The machine translation server gave no translation; translate by hand."),
                code="machine_translation_unavailable",
                status=503,
            )
        return translated

    return translate

"""Proposals, their versions, amendments against a version, and threaded comments."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel, VisibleContent

from .bodies import DecisionKind


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for amendments")
    DEBATE = "debate", _("In debate")
    TO_VOTE = "to_vote", _("To vote")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(IdentifiedModel, VisibleContent):
    """A text put to a body by a person on behalf of an organization."""

    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField(
        _("kind of decision"),
        max_length=16,
        choices=DecisionKind.choices,
        default=DecisionKind.ORDINARY,
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language of the text"), max_length=16, default="es")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    on_behalf_of = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
        db_index=True,
    )
    amendments_close_at = models.DateTimeField(_("amendments close"), null=True, blank=True)
    rules_payload = models.JSONField(
        _("proposed rules"),
        default=dict,
        blank=True,
        help_text=_("For a change of the rules: the rules the next version would have."),
    )

    canonical_path_prefix: ClassVar[str] = "assemblies/proposals"

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["body", "status"], name="proposal_body_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assemblies:proposal", kwargs={"uuid": self.uuid})

    def status_at(self, moment: datetime | None = None) -> str:
        """The status at a moment: an open proposal past its amendment window is in debate,
        even before the background step has written the move."""
        if (
            self.status == ProposalStatus.OPEN
            and self.amendments_close_at is not None
            and (moment or timezone.now()) >= self.amendments_close_at
        ):
            return ProposalStatus.DEBATE
        return self.status

    @property
    def current_status(self) -> str:
        return self.status_at()

    def get_current_status_display(self) -> str:
        return str(ProposalStatus(self.current_status).label)


class ProposalVersion(models.Model):
    """The text of a proposal at one moment; versions are numbered from 1 and never edited."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), help_text=_("Markdown."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    from_amendment = models.ForeignKey(
        "assemblies.Amendment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · v{self.number}"


class AmendmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted by the author")
    DECLINED = "declined", _("Declined by the author")
    TO_VOTE = "to_vote", _("Put to a vote")
    ADOPTED = "adopted", _("Adopted by vote")
    REJECTED = "rejected", _("Rejected by vote")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Amendment(IdentifiedModel):
    """A change proposed against one version of a proposal: the whole new text."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    base_version = models.ForeignKey(
        ProposalVersion, on_delete=models.PROTECT, related_name="amendments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="+"
    )
    new_text = models.TextField(_("new text"), help_text=_("Markdown."))
    rationale = models.TextField(_("rationale"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AmendmentStatus.choices,
        default=AmendmentStatus.PROPOSED,
    )
    result_version = models.ForeignKey(
        ProposalVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    canonical_path_prefix: ClassVar[str] = "assemblies/amendments"

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return f"{self.proposal.get_absolute_url()}#amendment-{self.uuid}"


class Comment(models.Model):
    """A comment on a proposal or in a debate space (exactly one); replies point at their
    parent, in the same place."""

    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    debate = models.ForeignKey(
        "assemblies.DebateSpace",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), help_text=_("Markdown."))
    # The text rendered and sanitized when it was written, so a long discussion is not
    # rendered again on every view; the Markdown stays the source (empty: render it).
    text_html = models.TextField(editable=False, blank=True, default="")
    language = models.CharField(_("language"), max_length=16, default="es")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, debate__isnull=True)
                | Q(proposal__isnull=True, debate__isnull=False),
                name="comment_on_proposal_or_debate",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ProposalTranslation(models.Model):
    """A proposal's text in another language than its original, made from one version."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=16)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"), help_text=_("Markdown."))
    version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("translated from version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("translated"), auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["proposal", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "language"], name="proposal_translation_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.language}"


class SupportingDocument(models.Model):
    """A file that supports a proposal (PDF, ODT, DOCX or an image), read like the proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    # Stored under a random name (the service gives it): the uploader's file name may say
    # more than it should; it is kept in ``original_name`` for showing.
    file = models.FileField(_("file"), upload_to="assemblies/documents/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind of file"), max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["proposal", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

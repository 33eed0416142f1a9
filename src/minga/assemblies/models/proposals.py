"""Proposals, their versions, amendments against a version, and threaded comments."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
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
    """A comment on a proposal; replies point at their parent."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=16, default="es")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]

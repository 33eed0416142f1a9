"""A body's rules of operation (versioned, changed only by its own decision), its members
with their voting weight, and delegations between members."""

from __future__ import annotations

from fractions import Fraction
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel


class DecisionKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary decision")
    STATUTE_CHANGE = "statute_change", _("Change of the statutes")
    RULES_CHANGE = "rules_change", _("Change of the rules of operation")


class VotingMethod(models.TextChoices):
    """The methods of the tally core (``minga.core.tally``)."""

    MAJORITY = "majority", _("Majority (yes / no / abstain)")
    QUALIFIED = "qualified", _("Qualified majority")
    CONSENT = "consent", _("Consent")
    APPROVAL = "approval", _("Approval voting")
    SCORE = "score", _("Score voting")
    IRV = "irv", _("Instant runoff")
    STV = "stv", _("Single transferable vote")
    SCHULZE = "schulze", _("Schulze (ranked pairs of preferences)")


RANKED_METHODS = (VotingMethod.IRV, VotingMethod.STV, VotingMethod.SCHULZE)
PROPOSAL_METHODS = (VotingMethod.MAJORITY, VotingMethod.QUALIFIED, VotingMethod.CONSENT)
BLANK_METHODS = (
    VotingMethod.APPROVAL,
    VotingMethod.SCORE,
    VotingMethod.IRV,
    VotingMethod.STV,
    VotingMethod.SCHULZE,
)
"""Methods whose ballot may be explicitly blank (the others have an option or a position
for it: "abstain", "stand aside")."""

DEFAULT_MAX_SEAT_WEIGHT = 10
MAX_SEAT_WEIGHT_LIMIT = 1000
"""Rules may let a seat weigh up to this much; the bound keeps weights few and alike, so a
weight does not single out the seat that cast a secret ballot."""


class QuorumBasis(models.TextChoices):
    MEMBERS = "members", _("Share of the members")
    WEIGHT = "weight", _("Share of the voting weight")


class ProposerKind(models.TextChoices):
    MEMBERS = "members", _("Anyone holding a role in a member organization")
    DELEGATES = "delegates", _("Accredited delegates")
    SPOKESPEOPLE = "spokespeople", _("Spokespeople of member organizations")


def _fraction_constraints(prefix: str, name: str) -> list[models.BaseConstraint]:
    numerator, denominator = f"{prefix}_numerator", f"{prefix}_denominator"
    return [
        models.CheckConstraint(
            condition=Q(**{f"{denominator}__gt": 0})
            & Q(**{f"{numerator}__gte": 0})
            & Q(**{f"{numerator}__lte": F(denominator)}),
            name=name,
        )
    ]


class BodyRules(IdentifiedModel):
    """One version of a body's rules of operation.

    Versions are never edited: the first is established when the body starts deciding, and
    every later one is created by the adoption of a ``rules_change`` proposal. Shares are
    exact fractions kept as two integers, so 2/3 stays 2/3.
    """

    body = models.ForeignKey(
        "registry.Body", on_delete=models.PROTECT, related_name="rules_versions"
    )
    version = models.PositiveIntegerField(_("version"))
    quorum_basis = models.CharField(
        _("quorum counted on"), max_length=16, choices=QuorumBasis.choices
    )
    quorum_numerator = models.PositiveIntegerField(_("quorum (numerator)"))
    quorum_denominator = models.PositiveIntegerField(_("quorum (denominator)"))
    ordinary_numerator = models.PositiveIntegerField(_("ordinary majority (numerator)"))
    ordinary_denominator = models.PositiveIntegerField(_("ordinary majority (denominator)"))
    statute_numerator = models.PositiveIntegerField(_("statute change majority (numerator)"))
    statute_denominator = models.PositiveIntegerField(_("statute change majority (denominator)"))
    rules_numerator = models.PositiveIntegerField(_("rules change majority (numerator)"))
    rules_denominator = models.PositiveIntegerField(_("rules change majority (denominator)"))
    allowed_methods = models.JSONField(_("allowed voting methods"), default=list)
    proposers = models.CharField(_("who may propose"), max_length=16, choices=ProposerKind.choices)
    amendment_window_days = models.PositiveSmallIntegerField(_("amendment window (days)"))
    delegation_allowed = models.BooleanField(_("delegation allowed"), default=False)
    ballot_change_allowed = models.BooleanField(
        _("ballots may be changed until the vote closes"), default=False
    )
    abstention_allowed = models.BooleanField(
        _("abstention and blank ballots allowed"), default=True
    )
    max_seat_weight = models.PositiveSmallIntegerField(
        _("maximum voting weight of a seat"), default=DEFAULT_MAX_SEAT_WEIGHT
    )
    adopted_by = models.ForeignKey(
        "assemblies.Proposal",
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    canonical_path_prefix: ClassVar[str] = "assemblies/rules"

    class Meta:
        verbose_name = _("rules of operation")
        verbose_name_plural = _("rules of operation")
        ordering = ["body", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["body", "version"], name="rules_one_per_version"),
            *_fraction_constraints("quorum", "rules_quorum_fraction"),
            *_fraction_constraints("ordinary", "rules_ordinary_fraction"),
            *_fraction_constraints("statute", "rules_statute_fraction"),
            *_fraction_constraints("rules", "rules_rules_fraction"),
            models.CheckConstraint(
                condition=Q(max_seat_weight__gte=1, max_seat_weight__lte=MAX_SEAT_WEIGHT_LIMIT),
                name="rules_max_seat_weight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} · v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("assemblies:body", kwargs={"slug": self.body.slug})

    @property
    def allowed_method_labels(self) -> list[str]:
        """The allowed voting methods by name, in the reader's language."""
        return [
            str(VotingMethod(method).label)
            for method in self.allowed_methods
            if method in VotingMethod.values
        ]

    @property
    def quorum(self) -> Fraction:
        return Fraction(self.quorum_numerator, self.quorum_denominator)

    def threshold_for(self, kind: str) -> Fraction:
        """The share of valid votes a decision of this kind needs."""
        prefix = {
            DecisionKind.STATUTE_CHANGE: "statute",
            DecisionKind.RULES_CHANGE: "rules",
        }.get(DecisionKind(kind), "ordinary")
        return Fraction(
            getattr(self, f"{prefix}_numerator"), getattr(self, f"{prefix}_denominator")
        )


class BodyMembership(IdentifiedModel):
    """An organization's seat in a body, with its voting weight.

    The people who act for it are those accredited to the body on its behalf
    (``registry.DelegateAccreditation``); one ballot per seat and vote.
    """

    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="body_memberships"
    )
    weight = models.PositiveIntegerField(_("voting weight"), default=1)
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("body membership")
        verbose_name_plural = _("body memberships")
        ordering = ["body", "organization__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organization"],
                condition=Q(ended_on__isnull=True),
                name="body_membership_one_open",
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="body_membership_weight"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.body} ({self.weight})"


class Delegation(IdentifiedModel):
    """A member entrusts its vote to another member, for the whole body or one proposal.

    Delegations are followed transitively; a member's own ballot always overrides them.
    """

    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="delegations")
    delegator = models.ForeignKey(
        BodyMembership, on_delete=models.CASCADE, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        BodyMembership, on_delete=models.CASCADE, related_name="delegations_received"
    )
    proposal = models.ForeignKey(
        "assemblies.Proposal",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delegations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegator", "proposal"],
                condition=Q(revoked_at__isnull=True, proposal__isnull=False),
                name="delegation_one_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["delegator"],
                condition=Q(revoked_at__isnull=True, proposal__isnull=True),
                name="delegation_one_per_body",
            ),
            models.CheckConstraint(
                condition=~Q(delegator=F("delegate")), name="delegation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator.organization} → {self.delegate.organization}"

"""Votes, who took part, the ballots, and the stored tally.

Secret ballots keep no link to their voter: :class:`VoteParticipation` says *who* took
part (so nobody votes twice) and :class:`SecretBallot` says *what* was chosen, with a random
UUID key, no voter, no timestamp and no insertion-ordered key, so the two tables cannot be
joined or lined up. A voter checks their ballot with the receipt code they were given,
whose SHA-256 digest is the only thing the ballot row keeps.

- Every secret write (a ballot cast or changed) writes the vote's ballots back in the order
  of their random keys, in one statement, so neither SQLite's rowid nor PostgreSQL's row
  order and row versions follow the order of voting (``services.votes._store_in_key_order``).
- Published results never carry one ballot's weight: the BLT export holds unit ballots
  sorted by ranking, consent reasons come without weights, and seat weights are bounded by
  the body's rules (``BodyRules.max_seat_weight``), so weights stay few and alike.
- The receipt code is shown once, in the answer to the cast; it is never kept in the
  session, in a URL or in the audit log. Changing a secret ballot is proved with it.

What remains is written down in docs/security.md, "Residual risks".
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel

from .bodies import VotingMethod


class Vote(IdentifiedModel):
    """A vote on a proposal (or an amendment), or an election among candidates."""

    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="votes")
    proposal = models.ForeignKey(
        "assemblies.Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    amendment = models.ForeignKey(
        "assemblies.Amendment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
    )
    meeting = models.ForeignKey(
        "assemblies.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="votes"
    )
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("method"), max_length=16, choices=VotingMethod.choices)
    choices = models.JSONField(
        _("options or candidates"), default=list, help_text=_("In the order shown.")
    )
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    secret = models.BooleanField(_("secret ballot"), default=False)
    changeable = models.BooleanField(_("ballots may be changed until the vote closes"))
    rules = models.ForeignKey(
        "assemblies.BodyRules",
        verbose_name=_("rules in force"),
        on_delete=models.PROTECT,
        related_name="votes",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    canonical_path_prefix: ClassVar[str] = "assemblies/votes"

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="vote_window"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="vote_seats"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assemblies:vote", kwargs={"uuid": self.uuid})


class VoteParticipation(models.Model):
    """That a member took part in a vote, and through whom; never what it chose.

    ``cast_by`` is the person who cast for the seat; ``via`` is set when the seat's weight
    was carried by a delegate's secret ballot (so the seat cannot vote again).
    """

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="participations")
    membership = models.ForeignKey(
        "assemblies.BodyMembership", on_delete=models.PROTECT, related_name="+"
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.ForeignKey(
        "assemblies.BodyMembership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["vote", "membership"], name="participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.vote}"


class OpenBallot(models.Model):
    """A roll-call ballot: public, with its seat and the person who cast it."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="open_ballots")
    membership = models.ForeignKey(
        "assemblies.BodyMembership", on_delete=models.PROTECT, related_name="+"
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    contents = models.JSONField(_("choice"))
    cast_at = models.DateTimeField(_("cast"))

    class Meta:
        verbose_name = _("roll-call ballot")
        verbose_name_plural = _("roll-call ballots")
        ordering = ["membership__organization__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "membership"], name="open_ballot_once")
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.vote}"


class SecretBallot(models.Model):
    """A secret ballot: what was chosen and with what weight, and nothing about who.

    No voter, no timestamp, a random key: rows must be read in key order (random), never in
    insertion order.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="secret_ballots")
    contents = models.JSONField(_("choice"))
    weight = models.PositiveIntegerField(_("weight"))
    receipt_hash = models.CharField(_("receipt digest"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("secret ballot")
        verbose_name_plural = _("secret ballots")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.vote} · {self.receipt_hash[:8]}"


class Tally(models.Model):
    """The stored count of a closed vote, with the version of the rules it applied."""

    vote = models.OneToOneField(Vote, on_delete=models.CASCADE, related_name="tally")
    rules = models.ForeignKey(
        "assemblies.BodyRules", on_delete=models.PROTECT, related_name="tallies"
    )
    rules_version = models.PositiveIntegerField(_("rules version"))
    result = models.JSONField(_("result"))
    winners = models.JSONField(_("winners"), default=list)
    adopted = models.BooleanField(_("adopted"), null=True)
    quorum_met = models.BooleanField(_("quorum met"))
    participating_weight = models.PositiveIntegerField(_("weight that took part"))
    blank_weight = models.PositiveIntegerField(_("weight of blank ballots"), default=0)
    total_weight = models.PositiveIntegerField(_("weight of all members"))
    counted_at = models.DateTimeField(_("counted"))

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return f"{self.vote} · {', '.join(self.winners) or '—'}"

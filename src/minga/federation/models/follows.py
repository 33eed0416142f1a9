"""Who follows whom: organizations of this server and remote actors, in both directions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel

from ..types import FollowState
from .actors import RemoteActor


class Follow(IdentifiedModel):
    """A follow: the follower is a local organization or a remote actor; so is the target.

    Between two organizations of this server nothing travels: the follow is accepted at once.
    A remote follower is accepted when its Follow arrives (public organizations approve
    followers automatically); a follow of a remote actor waits for its server's Accept.
    """

    follower_organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("following organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    follower_actor = models.ForeignKey(
        RemoteActor,
        verbose_name=_("following account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    target_organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("followed organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_actor = models.ForeignKey(
        RemoteActor,
        verbose_name=_("followed account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followed_by",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=FollowState.choices, default=FollowState.PENDING
    )
    activity_uri = models.URLField(_("Follow activity"), max_length=500, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follower_organization__isnull=True) ^ Q(follower_actor__isnull=True),
                name="follow_one_follower",
            ),
            models.CheckConstraint(
                condition=Q(target_organization__isnull=True) ^ Q(target_actor__isnull=True),
                name="follow_one_target",
            ),
            models.CheckConstraint(
                condition=Q(follower_organization__isnull=False)
                | Q(target_organization__isnull=False),
                name="follow_touches_this_server",
            ),
            models.UniqueConstraint(
                fields=["follower_organization", "target_organization"],
                condition=Q(state__in=["pending", "accepted"]),
                name="follow_local_once",
            ),
            models.UniqueConstraint(
                fields=["follower_organization", "target_actor"],
                condition=Q(state__in=["pending", "accepted"]),
                name="follow_remote_once",
            ),
            models.UniqueConstraint(
                fields=["follower_actor", "target_organization"],
                condition=Q(state__in=["pending", "accepted"]),
                name="follower_remote_once",
            ),
        ]
        indexes = [
            models.Index(fields=["target_organization", "state"], name="follow_target_state"),
            models.Index(fields=["follower_organization", "state"], name="follow_follower_state"),
        ]

    def __str__(self) -> str:
        follower = self.follower_organization or self.follower_actor
        target = self.target_organization or self.target_actor
        return f"{follower} → {target}"

    def get_absolute_url(self) -> str:
        organization = self.follower_organization or self.target_organization
        return organization.get_absolute_url() if organization is not None else "/"

"""What waits for a person in the assemblies, for their home page: open votes where a seat
they hold has not voted yet, and follow-up results their organizations must report on
(due within a week or overdue)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from minga.common.registration import Attention
from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role

from .models import FollowUpResult, ResultStatus, Vote, VoteParticipation
from .selectors import seats_of

DUE_SOON = timedelta(days=7)


def _votes_waiting(user: Any) -> list[Vote]:
    now = timezone.now()
    waiting = []
    # Few votes are open at any moment, so asking each for the person's seats stays cheap.
    for vote in Vote.objects.filter(
        opens_at__lte=now, closes_at__gt=now, closed_at__isnull=True
    ).select_related("body"):
        seats = seats_of(user, vote.body)
        if not seats:
            continue
        voted = VoteParticipation.objects.filter(vote=vote, membership__in=seats).count()
        if voted < len(seats):
            waiting.append(vote)
    return waiting


def attention_for(user: Any) -> list[Attention]:
    votes = _votes_waiting(user)
    items = [
        Attention(
            text=ngettext(
                "%(counter)s vote is open to you.",
                "%(counter)s votes are open to you.",
                len(votes),
            )
            % {"counter": len(votes)},
            url=votes[0].get_absolute_url() if len(votes) == 1 else reverse("assemblies:index"),
            count=len(votes),
        )
    ]
    acting_for = organization_ids_with_role(user, MANAGING_ROLES)
    if acting_for:
        due = FollowUpResult.objects.filter(
            responsible_id__in=acting_for,
            due_on__lte=timezone.localdate() + DUE_SOON,
            status__in=(ResultStatus.PLANNED, ResultStatus.IN_PROGRESS, ResultStatus.BLOCKED),
        ).count()
        items.append(
            Attention(
                text=ngettext(
                    "%(counter)s result of an agreement is due from your organization.",
                    "%(counter)s results of agreements are due from your organizations.",
                    due,
                )
                % {"counter": due},
                url=reverse("assemblies:results"),
                count=due,
            )
        )
    return items

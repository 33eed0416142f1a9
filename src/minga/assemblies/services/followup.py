"""Follow-up of agreements: results, milestones and reminders before deadlines."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded, unguarded
from minga.registry import selectors as registry

from ..models import (
    Declaration,
    FollowUpResult,
    Milestone,
    ResultReminder,
    ResultStatus,
)
from .base import _result_of

if TYPE_CHECKING:
    from minga.registry.models import Body, Organization

MAX_WEIGHT = 1000
"""A part's weight in its parent (they are compared with each other, never summed up high)."""

# Follow-up of agreements


@guarded("assemblies.body.manage", on="body")
@transaction.atomic
def result_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    responsible: Organization,
    parent: FollowUpResult | None = None,
    declaration: Declaration | None = None,
    description: str = "",
    starts_on: date | None = None,
    due_on: date | None = None,
    weight: int = 1,
    reminder_days: int = 7,
) -> FollowUpResult:
    if not title.strip():
        raise DomainError(_("Give the result a title."), "title", code="title_missing")
    if parent is not None and parent.body_id != body.pk:
        raise DomainError(
            _("The parent result belongs to another body."), "parent", code="parent_of_another_body"
        )
    if declaration is not None and declaration.body_id != body.pk:
        raise DomainError(
            _("The resolution belongs to another body."),
            "declaration",
            code="declaration_of_another_body",
        )
    if starts_on and due_on and due_on < starts_on:
        raise DomainError(_("A result is due after it starts."), "due_on", code="due_before_start")
    if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
        raise DomainError(
            _("A weight is a whole number from 1 to %(max)d.") % {"max": MAX_WEIGHT},
            "weight",
            code="weight_out_of_range",
        )
    if not 0 <= reminder_days <= 365:
        raise DomainError(
            _("A reminder comes 0 to 365 days before."),
            "reminder_days",
            code="reminder_days_out_of_range",
        )
    result = FollowUpResult.objects.create(
        body=body,
        title=title.strip(),
        responsible=responsible,
        parent=parent,
        declaration=declaration or (parent.declaration if parent else None),
        description=description,
        starts_on=starts_on,
        due_on=due_on,
        weight=weight,
        reminder_days=reminder_days,
    )
    audit.record(
        actor=actor,
        action=AssembliesEvent.RESULT_CREATE,
        target=result,
        changes={"responsible": [None, str(responsible)]},
    )
    return result


@guarded("assemblies.result.update", on="result")
@transaction.atomic
def result_update(
    *, actor: Any, result: FollowUpResult, status: str, progress: int | None = None
) -> FollowUpResult:
    """New status, and optionally a progress; without one the status's usual progress shows."""
    if status not in ResultStatus.values:
        raise DomainError(_("Unknown status."), "status", code="unknown_status")
    if progress is not None and not 0 <= progress <= 100:
        raise DomainError(
            _("Progress is a percentage from 0 to 100."), "progress", code="progress_out_of_range"
        )
    before = {"status": result.status, "progress": result.progress}
    result.status = status
    result.progress = progress
    result.save(update_fields=["status", "progress", "updated_at"])
    audit.record(
        actor=actor,
        action=AssembliesEvent.RESULT_UPDATE,
        target=result,
        changes=audit.field_changes(before, {"status": status, "progress": progress}),
    )
    return result


@guarded("assemblies.result.update", on="result")
@transaction.atomic
def milestone_add(
    *, actor: Any, result: FollowUpResult, title: str, due_on: date | None = None
) -> Milestone:
    if not title.strip():
        raise DomainError(_("Give the milestone a title."), "title", code="title_missing")
    milestone = Milestone.objects.create(result=result, title=title.strip(), due_on=due_on)
    audit.record(
        actor=actor,
        action=AssembliesEvent.MILESTONE_ADD,
        target=result,
        changes={"milestone": [None, milestone.title]},
    )
    return milestone


@guarded("assemblies.result.update", on="milestone", via=_result_of)
@transaction.atomic
def milestone_reach(
    *,
    actor: Any,
    milestone: Milestone,
    reached_on: date,
    evidence: str = "",
    evidence_url: str = "",
) -> Milestone:
    """Record that a milestone was reached, with evidence (a text, a link, or both)."""
    if not evidence.strip() and not evidence_url.strip():
        raise DomainError(
            _("Give the evidence: a text, a link, or both."), "evidence", code="evidence_missing"
        )
    milestone.reached_on = reached_on
    milestone.evidence = evidence
    milestone.evidence_url = evidence_url.strip()
    try:
        milestone.full_clean(exclude=["result", "recorded_by"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        message = " ".join(messages)
        raise DomainError(message, name, code="invalid_milestone") from error
    milestone.recorded_by = actor
    milestone.save()
    audit.record(
        actor=actor,
        action=AssembliesEvent.MILESTONE_REACH,
        target=milestone.result,
        changes={"milestone": [None, milestone.title], "reached_on": [None, str(reached_on)]},
    )
    return milestone


# Reminders before deadlines

REMINDED_ROLES = ("spokesperson", "coordinator")


def _reminder_recipients(result: FollowUpResult) -> list[Any]:
    people = registry.people_with_role(result.responsible, REMINDED_ROLES)
    return [person for person in people if person.is_active and person.email]


def _send_reminder(result: FollowUpResult, person: Any, due: date, days_left: int) -> None:
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = _("Reminder: “%(title)s” is due on %(date)s") % {
            "title": result.title,
            "date": formats.date_format(due, "DATE_FORMAT"),
        }
        body = _(
            "Hello %(name)s,\n\n%(organization)s is responsible for “%(title)s” (%(body)s), "
            "due in %(days)s day(s), on %(date)s. Its status is: %(status)s.\n\n"
            "Report its progress here: %(url)s\n"
        ) % {
            "name": person.display_name or person.username,
            "organization": result.responsible.name,
            "title": result.title,
            "body": result.body.name,
            "days": days_left,
            "date": formats.date_format(due, "DATE_FORMAT"),
            "status": result.get_status_display(),
            "url": settings.SITE_URL + result.get_absolute_url(),
        }
    send_mail(subject, body, None, [person.email])


@unguarded("the worker's daily reminders to those responsible; no person asks for it")
def result_reminders_send(*, today: date | None = None) -> int:
    """Email the responsible organization's spokespeople and coordinators about results due
    within their reminder window; once per result and due date. Returns how many results
    were reminded.

    Each result is its own transaction: the row that records the reminder is written first
    (its unique constraint stops a second run or a parallel worker), and a failing mail
    server rolls it back so the next run tries again.
    """
    day = today or timezone.localdate()
    candidates = (
        FollowUpResult.objects.filter(due_on__isnull=False, due_on__gte=day)
        .exclude(status__in=[ResultStatus.DONE, ResultStatus.DROPPED])
        .exclude(reminders__due_on=F("due_on"))
        .select_related("responsible", "body")
        .order_by("due_on", "id")
    )
    sent = 0
    for result in candidates:
        if result.due_on is None:  # filtered above; for the type checker
            continue
        days_left = (result.due_on - day).days
        if days_left > result.reminder_days:
            continue
        people = _reminder_recipients(result)
        try:
            with transaction.atomic():
                ResultReminder.objects.create(
                    result=result,
                    due_on=result.due_on,
                    sent_at=timezone.now(),
                    recipients=len(people),
                )
                for person in people:
                    _send_reminder(result, person, result.due_on, days_left)
                audit.record(
                    actor=None,
                    action=AssembliesEvent.RESULT_REMIND,
                    target=result,
                    changes={
                        "due_on": [None, str(result.due_on)],
                        "recipients": [None, len(people)],
                    },
                )
        except IntegrityError:
            continue  # another run reminded it meanwhile
        sent += 1
    return sent

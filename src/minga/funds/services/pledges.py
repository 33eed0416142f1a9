"""Writes of pledges and contributions: pledge, cancel, record a contribution received."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.money import format_amount
from minga.common.permissions import guarded, unguarded
from minga.core.funds import Recurrence, latest_due, next_due, overdue_count

from ..audit_events import FundsEvent
from ..models import Fund, Movement, Pledge
from ..types import MovementKindChoice, MovementStatus, PledgeStatus, RecurrenceChoice
from ._ledger import _check_amount, _new_client_id, _write_transfer  # the package's own helpers


@guarded("funds.pledge.create", on="fund")
@transaction.atomic
def pledge_create(
    *,
    actor: Any,
    fund: Fund,
    amount: int,
    recurrence: str = RecurrenceChoice.ONCE,
    starts_on: date | None = None,
    named: bool = False,
) -> Pledge:
    """A pledge by ``actor``. Anonymous to the public unless ``named``; the fund's managers
    always see who pledged."""
    _check_amount(amount)
    if recurrence not in RecurrenceChoice.values:
        raise DomainError(_("Choose how often you will give."), "recurrence", code="recurrence")
    today = timezone.localdate()
    starts_on = starts_on or today
    if starts_on < today:
        raise DomainError(
            _("The first payment is today or later."), "starts_on", code="starts_in_past"
        )
    pledge = Pledge.objects.create(
        fund=fund,
        contributor=actor,
        amount=amount,
        recurrence=recurrence,
        starts_on=starts_on,
        named=named,
        next_due_on=starts_on,
    )
    # About the pledge, not the fund: the log shows a pledge's entries only to its
    # contributor and the fund's managers, so an anonymous contributor stays anonymous.
    audit.record(actor=actor, action=FundsEvent.PLEDGE_CREATE, target=pledge)
    return pledge


@guarded("funds.pledge.cancel", on="pledge")
@transaction.atomic
def pledge_cancel(*, actor: Any, pledge: Pledge) -> Pledge:
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != PledgeStatus.ACTIVE:
        raise DomainError(
            _("This pledge is not active any more."), None, code="pledge_closed", status=409
        )
    pledge.status = PledgeStatus.CANCELLED
    pledge.next_due_on = None
    pledge.save(update_fields=["status", "next_due_on", "updated_at"])
    audit.record(actor=actor, action=FundsEvent.PLEDGE_CANCEL, target=pledge)
    return pledge


@guarded("funds.fund.manage", on="fund")
@transaction.atomic
def contribution_receive(
    *,
    actor: Any,
    fund: Fund,
    amount: int,
    category: str = "contributions",
    description: str = "",
    pledge: Pledge | None = None,
    received_on: date | None = None,
) -> Movement:
    """Record money received for the fund (outside Minga: cash, a bank transfer) as a
    ledger transfer into the fund's account; with ``pledge``, one instalment of it.
    ``received_on`` (today by default, never later) is the month the figures count it in."""
    _check_amount(amount)
    today = timezone.localdate()
    if received_on is not None and received_on > today:
        raise DomainError(
            _("The money cannot be received in the future."), "received_on", code="future_date"
        )
    code = slugify(category)[:40]
    if not code:
        raise DomainError(_("Name the category."), "category", code="category_required")
    if pledge is not None:
        pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        if pledge.fund_id != fund.pk:
            raise DomainError(
                _("This pledge is to another fund."), "pledge", code="pledge_of_other_fund"
            )
        if pledge.status != PledgeStatus.ACTIVE:
            raise DomainError(
                _("This pledge is not active any more."),
                "pledge",
                code="pledge_closed",
                status=409,
            )
    movement = Movement(
        fund=fund,
        kind=MovementKindChoice.CONTRIBUTION,
        status=MovementStatus.DONE,
        category=code,
        description=(description.strip() or _("Contribution"))[:300],
        amount=amount,
        pledge=pledge,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_id=_new_client_id(),
        occurred_on=received_on or today,
    )
    _write_transfer(movement, debit=fund.outside_account, credit=fund.account)
    movement.save()
    if pledge is not None:
        pledge.received_count += 1
        due = next_due(pledge.starts_on, Recurrence(pledge.recurrence), pledge.received_count)
        pledge.next_due_on = due
        if due is None:
            pledge.status = PledgeStatus.FULFILLED
        pledge.save(update_fields=["received_count", "next_due_on", "status", "updated_at"])
    audit.record(actor=actor, action=FundsEvent.CONTRIBUTION_RECEIVE, target=movement)
    return movement


# A contributor is reminded of an instalment this many days before it is due.
PLEDGE_REMINDER_DAYS = 3


@unguarded("the worker's daily reminders of pledges due; no person asks for it")
def pledges_remind(*, today: date | None = None) -> int:
    """Email each contributor whose pledge has an instalment due within
    ``PLEDGE_REMINDER_DAYS`` or overdue, in their language, with a link to the pledge.

    Once per instalment: ``reminded_on`` keeps the due date of the latest instalment
    reminded, and is moved by a conditional update, so a second run (or a second worker)
    the same day or later sends nothing for it; the next instalment gets its own reminder.
    A failed email leaves the pledge unreminded (it is retried on the next run). Returns
    the number of reminders sent."""
    day = today or timezone.localdate()
    horizon = day + timedelta(days=PLEDGE_REMINDER_DAYS)
    due = (
        Pledge.objects.filter(status=PledgeStatus.ACTIVE, next_due_on__lte=horizon)
        .select_related("fund__unit", "contributor")
        .order_by("next_due_on", "id")
    )
    sent = 0
    for pledge in due.iterator(chunk_size=500):
        instalment = latest_due(pledge.starts_on, Recurrence(pledge.recurrence), horizon)
        if instalment is None or (pledge.reminded_on and pledge.reminded_on >= instalment):
            continue
        not_yet = Q(reminded_on__isnull=True) | Q(reminded_on__lt=instalment)
        with transaction.atomic():
            claimed = Pledge.objects.filter(
                not_yet, pk=pledge.pk, status=PledgeStatus.ACTIVE
            ).update(reminded_on=instalment)
            if not claimed:  # paid, cancelled or reminded meanwhile
                continue
            person = pledge.contributor
            if person.is_active and person.email:
                _send_pledge_reminder(pledge, day)
                sent += 1
            audit.record(actor=None, action=FundsEvent.PLEDGE_REMIND, target=pledge)
    return sent


def _send_pledge_reminder(pledge: Pledge, today: date) -> None:
    """The reminder, in the contributor's language: how much, when, and the pledge's page."""
    person = pledge.contributor
    unit = pledge.fund.unit
    overdue = overdue_count(  # due before today and not received
        pledge.starts_on,
        Recurrence(pledge.recurrence),
        pledge.received_count,
        today - timedelta(days=1),
    )
    url = settings.SITE_URL + pledge.get_absolute_url()
    with translation.override(person.language or settings.LANGUAGE_CODE):
        values = {
            "fund": pledge.fund.name,
            "amount": format_amount(pledge.amount, unit.scale, unit.code),
            "date": formats.date_format(pledge.next_due_on or today, "DATE_FORMAT"),
            "count": overdue,
            "url": url,
        }
        subject = _("Your pledge to %(fund)s") % values
        if overdue:
            when = (
                ngettext(
                    "The payment of %(amount)s due on %(date)s has not been received yet.",
                    "%(count)d payments of %(amount)s are not received yet; the first was due "
                    "on %(date)s.",
                    overdue,
                )
                % values
            )
        else:
            when = _("A payment of %(amount)s is due on %(date)s.") % values
        body = _(
            "Hello,\n\nThank you for your pledge to %(fund)s. %(when)s\n\nSee your pledge "
            "(and how to pay or cancel it):\n%(url)s\n\nIf you have already paid, the fund's "
            "managers will record it soon; you need not do anything.\n"
        ) % {**values, "when": when}
    send_mail(subject, body, None, [person.email])

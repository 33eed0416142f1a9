"""Recurring pledges: the contributor is reminded of each instalment once, in their
language, with a link to the pledge; the managers list the overdue pledges."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from minga.common.models import AuditEntry
from minga.funds import services
from minga.funds.models import Pledge
from minga.funds.services.pledges import PLEDGE_REMINDER_DAYS
from tests.funds.factories import FundsWorld, client_for, fund


def _started(pledge: Pledge, on: date) -> Pledge:
    """The pledge as if made earlier, starting on ``on`` (the service refuses a past start)."""
    Pledge.objects.filter(pk=pledge.pk).update(starts_on=on, next_due_on=on)
    pledge.refresh_from_db()
    return pledge


def _monthly(w: FundsWorld, **fields: Any) -> Pledge:
    w.member.email, w.member.language = "miembro@example.org", fields.pop("language", "es")
    w.member.save()
    made = fields.pop("fund", None) or fund(w)
    return services.pledge_create(
        actor=w.member, fund=made, amount=1_250, recurrence="monthly", **fields
    )


def test_each_instalment_is_reminded_once_in_the_contributors_language(w: FundsWorld) -> None:
    """Three days before the first payment the contributor gets one email in French with
    the amount and a link to the pledge; running again (the same day or later) sends
    nothing until the next instalment comes near, which gets its own reminder."""
    today = timezone.localdate()
    pledge = _monthly(w, language="fr", starts_on=today + timedelta(days=10))
    mail.outbox.clear()
    assert services.pledges_remind(today=today) == 0
    day = pledge.starts_on - timedelta(days=PLEDGE_REMINDER_DAYS)
    assert services.pledges_remind(today=day) == 1
    assert services.pledges_remind(today=day) == 0
    assert services.pledges_remind(today=day + timedelta(days=5)) == 0  # same instalment
    [message] = mail.outbox
    assert message.to == ["miembro@example.org"]
    assert message.subject == "Votre promesse de don à Fondo de solidaridad"
    assert "12.50 MINGA" in message.body
    assert "Un paiement de 12.50 MINGA est dû le" in message.body
    url = reverse("funds:pledge_detail", kwargs={"uuid": pledge.uuid})
    assert url in message.body
    pledge.refresh_from_db()
    assert pledge.reminded_on == pledge.starts_on
    # Paid; the next month's instalment is reminded three days before it, once.
    services.contribution_receive(actor=w.first, fund=pledge.fund, amount=1_250, pledge=pledge)
    pledge.refresh_from_db()
    second = pledge.next_due_on
    assert second is not None
    assert services.pledges_remind(today=second - timedelta(days=4)) == 0
    assert services.pledges_remind(today=second - timedelta(days=2)) == 1
    assert services.pledges_remind(today=second) == 0
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="funds.pledge.remind").count() == 2


def test_an_overdue_pledge_is_reminded_with_how_many_payments_are_missing(
    w: FundsWorld,
) -> None:
    """A monthly pledge nobody paid for three months: one reminder naming the three
    payments missing, and the fourth month's instalment gets a reminder of its own."""
    today = timezone.localdate()
    _started(_monthly(w, language="es"), today - timedelta(days=70))
    mail.outbox.clear()
    assert services.pledges_remind(today=today) == 1
    [message] = mail.outbox
    assert "3 aportes de 12.50 MINGA no se han recibido" in message.body
    assert services.pledges_remind(today=today + timedelta(days=1)) == 0
    assert services.pledges_remind(today=today + timedelta(days=40)) == 1


def test_no_reminder_for_a_cancelled_or_fulfilled_pledge_nor_an_address_less_person(
    w: FundsWorld,
) -> None:
    today = timezone.localdate()
    made = fund(w)
    cancelled = _monthly(w, fund=made)
    services.pledge_cancel(actor=w.member, pledge=cancelled)
    once = services.pledge_create(actor=w.member, fund=made, amount=300)
    services.contribution_receive(actor=w.first, fund=made, amount=300, pledge=once)
    w.second.email = ""
    w.second.save()
    silent = services.pledge_create(actor=w.second, fund=made, amount=300)
    mail.outbox.clear()
    assert services.pledges_remind(today=today) == 0
    assert mail.outbox == []
    silent.refresh_from_db()
    assert silent.reminded_on == today  # claimed: not tried again every day


def test_the_command_reminds_and_queues(w: FundsWorld) -> None:
    pledge = _monthly(w)
    out = io.StringIO()
    call_command("pledges", "remind", "--date", pledge.starts_on.isoformat(), stdout=out)
    assert out.getvalue().strip() == "1 reminder(s) sent."


def test_the_pledge_page_is_for_its_contributor_and_the_managers(w: FundsWorld) -> None:
    """The reminder's link: the contributor sees the pledge and may cancel it (and is
    told so); a manager sees who pledged and records a payment; others get 404."""
    today = timezone.localdate()
    pledge = _started(_monthly(w), today - timedelta(days=40))
    url = reverse("funds:pledge_detail", kwargs={"uuid": pledge.uuid})
    assert pledge.get_absolute_url() == url
    mine = client_for(w.member).get(url).content.decode()
    assert "2 payments overdue" in mine
    assert reverse("funds:pledge_cancel", kwargs={"uuid": pledge.uuid}) in mine
    managers = client_for(w.first).get(url).content.decode()
    assert str(w.member) in managers
    assert f"?pledge={pledge.uuid}" in managers
    assert client_for(w.stranger).get(url).status_code == 404
    response = client_for(w.member).post(
        reverse("funds:pledge_cancel", kwargs={"uuid": pledge.uuid}), follow=True
    )
    assert response.redirect_chain[-1][0] == url
    page = response.content.decode()
    assert "The pledge is cancelled." in page
    pledge.refresh_from_db()
    assert pledge.status == "cancelled"


def test_the_managers_list_the_overdue_pledges_with_how_far_behind(w: FundsWorld) -> None:
    today = timezone.localdate()
    made = fund(w)
    late = _started(_monthly(w, fund=made), today - timedelta(days=70))
    on_time = _monthly(w, fund=made, starts_on=today + timedelta(days=5))
    url = reverse("funds:pledges", kwargs={"uuid": made.uuid})
    manager = client_for(w.first)
    overdue = manager.get(url + "?overdue=1").content.decode()
    assert str(late.uuid) in overdue and str(on_time.uuid) not in overdue
    assert "3 payments overdue" in overdue.split(str(late.uuid))[1].split("</tr>")[0]
    every = manager.get(url).content.decode()
    assert str(late.uuid) in every and str(on_time.uuid) in every
    fund_page = manager.get(made.get_absolute_url()).content.decode()
    assert f"{url}?overdue=1" in fund_page
    assert client_for(w.member).get(url + "?overdue=1").status_code == 403

"""Reminders before a result's deadline: by email, to who speaks for the responsible
organization, once per result and due date."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from minga.assemblies import services, tasks
from minga.assemblies.models import ResultReminder
from minga.common.errors import DomainError
from tests import factories

from .conftest import Congress


def _result(congress: Congress, *, days: int, **extra: Any) -> Any:
    return services.result_create(
        actor=congress.chair,
        body=congress.body,
        title="Banco de semillas",
        responsible=congress.orgs[0],
        due_on=timezone.localdate() + timedelta(days=days),
        **extra,
    )


@pytest.fixture
def reachable(congress: Congress) -> Congress:
    """Emails for the first commune's spokesperson and a coordinator; a plain member too."""
    congress.delegates[0].email = "vocera@example.org"
    congress.delegates[0].language = "ht"
    congress.delegates[0].save()
    coordinator = factories.person("coordinador-1", email="coord@example.org")
    factories.role(coordinator, congress.orgs[0], "coordinator")
    member = factories.person("miembro-1", email="miembro@example.org")
    factories.role(member, congress.orgs[0], "member")
    return congress


def test_reminder_sent_once_within_the_window(reachable: Congress) -> None:
    """A result due within its window emails the spokesperson and coordinator (not plain
    members); a second run sends nothing more."""
    _result(reachable, days=5)
    assert services.result_reminders_send() == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "coord@example.org",
        "vocera@example.org",
    ]
    assert "Banco de semillas" in mail.outbox[0].subject
    assert services.result_reminders_send() == 0
    assert len(mail.outbox) == 2
    assert ResultReminder.objects.get().recipients == 2


def test_reminder_window_is_per_result(reachable: Congress) -> None:
    """Outside its window (default 7 days) nothing is sent; a longer window reminds earlier;
    done, dropped and past results are not reminded."""
    _result(reachable, days=10)
    assert services.result_reminders_send() == 0
    _result(reachable, days=10, reminder_days=14)
    done = _result(reachable, days=2)
    services.result_update(actor=reachable.chair, result=done, status="done")
    _result(reachable, days=-1)
    assert services.result_reminders_send() == 1
    assert ResultReminder.objects.get().result.reminder_days == 14


def test_new_due_date_gets_a_new_reminder(reachable: Congress) -> None:
    """A postponed result is reminded again for its new deadline."""
    result = _result(reachable, days=3)
    services.result_reminders_send()
    result.due_on = timezone.localdate() + timedelta(days=6)
    result.save()
    assert services.result_reminders_send() == 1
    assert ResultReminder.objects.filter(result=result).count() == 2


def test_reminder_days_is_validated(congress: Congress) -> None:
    """A reminder window beyond a year is refused, naming the field."""
    with pytest.raises(DomainError) as error:
        _result(congress, days=3, reminder_days=400)
    assert error.value.field == "reminder_days"


def test_command_and_task(reachable: Congress) -> None:
    """`minga assemblies_reminders` sends them (twice is once); `--date` acts as of a day;
    the task (run inline in tests) does the same."""
    _result(reachable, days=20)
    out = StringIO()
    call_command("assemblies_reminders", stdout=out)
    assert "0 result(s)" in out.getvalue() and not mail.outbox
    day = (timezone.localdate() + timedelta(days=15)).isoformat()
    call_command("assemblies_reminders", "--date", day, stdout=out)
    call_command("assemblies_reminders", "--date", day, stdout=out)
    assert len(mail.outbox) == 2
    _result(reachable, days=1)
    call_command("assemblies_reminders", "--enqueue", stdout=out)
    assert len(mail.outbox) == 4
    assert tasks.send_result_reminders.enqueue().return_value == 0

"""Background work of the funds. Every task is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def remind_case_dates() -> int:
    """Email the teams of legal cases with a hearing or deadline in the next week (once
    per date; the email says only that something needs attention)."""
    return services.case_dates_remind()


@task()
def remind_pledges() -> int:
    """Email the contributors of pledges with an instalment due in the next days or
    overdue (once per instalment), in their language, with a link to the pledge."""
    return services.pledges_remind()

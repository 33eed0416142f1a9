"""Background work of the assemblies. Every task is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_result_reminders() -> int:
    """Email reminders for results coming due; a result is reminded once per due date."""
    return services.result_reminders_send()

"""Background work of the assemblies. Every task is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_result_reminders() -> int:
    """Email reminders for results coming due; a result is reminded once per due date."""
    return services.result_reminders_send()


@task()
def close_amendment_windows() -> int:
    """Move open proposals past their amendment window to debate (once)."""
    return services.amendment_windows_close()


@task()
def record_meeting_quorums() -> int:
    """Write down the quorum of meetings that have ended (once each)."""
    return services.meeting_quorums_record()

"""Background work of education. Every task is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def tell_marked(submission_id: int) -> bool:
    """Email a student that their work was marked, in their language (once per marking)."""
    return services.submission_mark_tell(submission_id)

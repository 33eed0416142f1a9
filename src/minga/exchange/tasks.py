"""Background work of the exchange. Every task is safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def expire_reservation(transfer_uuid: str) -> bool:
    """Release a reservation once its timeout has passed (nothing if already resolved)."""
    from .services import reservation_expire

    outcome = reservation_expire(transfer_uuid=transfer_uuid)
    return outcome is not None and outcome.status == "created"

"""The fund's figures revision: counted up by every write the fund's page draws from.

A step of the services (hence private: ``tests/test_every_write_is_guarded.py`` counts
public functions as entry points), called inside their guarded, atomic writes."""

from __future__ import annotations

from django.db.models import F

from ..models import Fund


def _figures_changed(fund_id: int) -> None:
    """Count the fund's ``figures_revision`` up, in the caller's transaction: the drawn
    figures kept under the old number are then never read again. An update in the
    database, so two concurrent writers each count."""
    Fund.objects.filter(pk=fund_id).update(figures_revision=F("figures_revision") + 1)

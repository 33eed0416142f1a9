"""Importing organizations from a file, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from minga.common.errors import DomainError
from minga.common.permissions import guarded

from ..models import Organization
from .organizations import (
    OrganizationData,
    _create_organization,
    _reindex_on_commit,
    _update_organization,
)


class ImportRowError(DomainError):
    """A row of an import file the registry refuses; nothing of the file was imported."""

    def __init__(
        self, line: int, message: str, field: str | None = None, *, code: str = "invalid_row"
    ) -> None:
        super().__init__(message, field, code=code)
        self.line = line

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


@guarded("registry.organization.import")
@transaction.atomic
def organizations_import(
    *,
    actor: Any,
    records: Iterable[tuple[int, OrganizationData]],
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Create or update (by slug) every organization of a file, all or nothing.

    Importing the same file twice changes nothing the second time, so a retry is safe.
    """
    created = updated = 0
    touched: list[int] = []
    for line, data in records:
        try:
            existing = Organization.objects.filter(slug=data.slug).first() if data.slug else None
            if existing is None:
                organization = _create_organization(actor=actor, data=data, reindex=False)
                created += 1
            else:
                organization = _update_organization(
                    actor=actor, organization=existing, data=data, reindex=False
                )
                updated += 1
        except DomainError as error:
            raise ImportRowError(line, error.message, error.field, code=error.code) from error
        touched.append(organization.pk)
        if progress is not None:
            progress(1)
    _reindex_on_commit(*touched)
    return ImportResult(created=created, updated=updated)

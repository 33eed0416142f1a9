"""The audit log only grows: entries are never edited or deleted."""

import pytest

from minga.common import audit
from minga.common.models import AuditEntry
from tests import factories


def test_audit_entries_cannot_be_changed_or_deleted(db: None) -> None:
    """Saving an existing entry, deleting it, or bulk-updating the log all fail."""
    organization = factories.organization()
    entry = audit.record(
        actor=None, action="test.action", target=organization, changes={"a": [1, 2]}
    )
    entry.action = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().update(action="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_entry_keeps_the_object_identity(db: None) -> None:
    """An entry records the object's type, id, UUID and text at the time."""
    organization = factories.organization(name="Comuna El Maizal")
    entry = audit.record(actor=None, action="test", target=organization)
    assert entry.object_uuid == organization.uuid
    assert entry.object_repr == "Comuna El Maizal"
    assert entry.content_type.model == "organization"

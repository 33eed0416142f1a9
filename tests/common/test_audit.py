"""The audit log only grows, speaks in sentences, and shows each reader only what they may see."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from minga.common import audit
from minga.common.models import AuditEntry, Visibility
from minga.common.permissions import SYSTEM
from minga.registry.audit_events import RegistryEvent
from tests import factories

SRC = Path(__file__).resolve().parents[2] / "src" / "minga"


def test_audit_entries_cannot_be_changed_or_deleted(db: None) -> None:
    """Saving an existing entry, deleting it, or bulk-updating the log all fail."""
    organization = factories.organization()
    entry = audit.record(
        actor=None,
        action=RegistryEvent.ORGANIZATION_UPDATE,
        target=organization,
        changes={"a": [1, 2]},
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
    assert AuditEntry.objects.get(pk=entry.pk).action == "registry.organization.update"


def test_entry_keeps_the_object_identity(db: None) -> None:
    """An entry records the object's type, id, UUID and text at the time."""
    organization = factories.organization(name="Comuna El Maizal")
    entry = audit.record(actor=None, action=RegistryEvent.ORGANIZATION_CREATE, target=organization)
    assert entry.object_uuid == organization.uuid
    assert entry.object_repr == "Comuna El Maizal"
    assert entry.content_type.model == "organization"


def test_only_declared_events_are_recorded(db: None) -> None:
    """A free string is refused: the log's vocabulary is the apps' enumerations."""
    with pytest.raises(TypeError):
        audit.record(
            actor=None, action="registry.organization.create", target=factories.organization()
        )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Ana registered Comuna El Maizal"),
        ("es", "Ana registró Comuna El Maizal"),
    ],
)
def test_entries_read_as_sentences_in_the_reader_language(
    db: None, language: str, sentence: str
) -> None:
    """The activity log shows a sentence, not a code, in the language of whoever reads it."""
    person = factories.person("ana", display_name="Ana")
    organization = factories.organization(name="Comuna El Maizal")
    entry = audit.record(
        actor=person, action=RegistryEvent.ORGANIZATION_CREATE, target=organization
    )
    with translation.override(language):
        assert audit.describe(entry) == sentence


def test_the_server_is_named_when_no_person_acted(db: None) -> None:
    entry = audit.record(
        actor=SYSTEM, action=RegistryEvent.ORGANIZATION_CREATE, target=factories.organization()
    )
    assert entry.actor is None
    with translation.override("en"):
        assert audit.describe(entry).startswith("The server registered")


def test_every_event_sentence_names_only_known_placeholders() -> None:
    """Each sentence formats with the actor and the object alone, in every language."""
    for kind in audit._event_types():
        for event in kind:
            for language in ("en", "es", "pt", "fr", "ht"):
                with translation.override(language):
                    text = str(event.label) % {"actor": "A", "object": "O"}
                assert "A" in text or "O" in text, (event, language)


def test_services_record_events_never_strings() -> None:
    """No call to ``audit.record`` in the code passes a string literal or an f-string."""
    offenders = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "record":
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(
                        keyword.value, ast.Constant | ast.JoinedStr
                    ):
                        offenders.append(f"{path}:{node.lineno}")
    assert offenders == []


def test_a_reader_sees_entries_only_about_what_they_may_see(db: None) -> None:
    """Entries about a hidden organization are not in a network coordinator's log."""
    network = factories.organization(kind="network")
    coordinator = factories.person()
    factories.role(coordinator, network, "coordinator")
    public = factories.organization(name="Pública")
    hidden = factories.organization(name="Oculta", visibility=Visibility.CUSTODIANS)
    for target in (public, hidden):
        audit.record(actor=SYSTEM, action=RegistryEvent.ORGANIZATION_UPDATE, target=target)
    seen = {entry.object_repr for entry in audit.visible_entries(coordinator)}
    assert "Pública" in seen
    assert "Oculta" not in seen
    custodian_view = {entry.object_repr for entry in audit.visible_entries(factories.person())}
    assert "Oculta" not in custodian_view


def test_the_log_shows_a_change_of_a_field_named_like_a_dict_method() -> None:
    """A change of "items" (a collection's items) is shown, not mistaken for dict.items."""
    from types import SimpleNamespace

    from django.template import Context, Template

    entry = SimpleNamespace(changes={"items": [["a"], ["a", "b"]], "title": ["Old", "New"]})
    html = Template(
        "{% load minga %}{% for key, before, after in entry|audit_changes %}"
        "{{ key }}: {{ before }} → {{ after }};{% endfor %}"
    ).render(Context({"entry": entry}))
    assert html == "items: [&#x27;a&#x27;] → [&#x27;a&#x27;, &#x27;b&#x27;];title: Old → New;"


def test_a_batch_of_the_same_act_gets_one_entry_per_object(db: None) -> None:
    """record_many writes, in one insert, the entry record would write for each object."""
    first, second = factories.organization(), factories.organization()
    count = audit.record_many(
        actor=SYSTEM, action=RegistryEvent.ORGANIZATION_UPDATE, targets=[first, second]
    )
    assert count == 2
    entries = AuditEntry.objects.filter(action=RegistryEvent.ORGANIZATION_UPDATE.value)
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )
    assert {e.object_uuid for e in entries} == {first.uuid, second.uuid}
    assert all(e.actor_id is None and e.changes == {} for e in entries)
    with pytest.raises(TypeError):
        audit.record_many(actor=None, action="made.up", targets=[first])  # type: ignore[arg-type]

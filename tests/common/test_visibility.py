"""The visibility filter: one rule, checked across every kind of reader and level."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from minga.common.models import Visibility
from minga.common.visibility import can_view, filter_visible, level_opens, viewer_for
from minga.registry.models import ContactChannel, Organization
from tests import factories

READERS = [
    "anonymous",
    "server_member",
    "member_of_listed",
    "member_of_other",
    "custodian",
    "superuser",
    "former_member",
]

# Who may read content at each level (True = may read).
EXPECTED = {
    Visibility.PUBLIC: dict.fromkeys(READERS, True),
    Visibility.SERVER: {r: r != "anonymous" for r in READERS},
    Visibility.ORGANIZATIONS: {
        r: r in {"member_of_listed", "custodian", "superuser"} for r in READERS
    },
    Visibility.CUSTODIANS: {r: r in {"custodian", "superuser"} for r in READERS},
}


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    listed = factories.organization(name="Listed")
    other = factories.organization(name="Other")
    readers: dict[str, Any] = {"anonymous": AnonymousUser()}
    readers["server_member"] = factories.person("server-member")
    readers["member_of_listed"] = factories.person("listed-member")
    factories.role(readers["member_of_listed"], listed, "member")
    readers["member_of_other"] = factories.person("other-member")
    factories.role(readers["member_of_other"], other, "coordinator")
    readers["custodian"] = factories.person("custodian")
    readers["superuser"] = factories.person("root", is_superuser=True, is_staff=True)
    readers["former_member"] = factories.person("former")
    from datetime import timedelta

    factories.role(
        readers["former_member"],
        listed,
        "member",
        started_on=timezone.localdate() - timedelta(days=400),
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    return {"listed": listed, "other": other, "readers": readers}


@pytest.mark.parametrize("level", list(EXPECTED))
@pytest.mark.parametrize("reader", READERS)
def test_visibility_matrix_for_organizations(
    world: dict[str, Any], level: str, reader: str
) -> None:
    """Each reader sees an organization exactly when its level allows, by list and by object."""
    subject = factories.organization(
        name=f"Subject {level}",
        visibility=level,
        visible_to=[world["listed"]],
        custodians=[world["readers"]["custodian"]],
    )
    viewer = viewer_for(world["readers"][reader])
    listed = filter_visible(Organization.objects.filter(pk=subject.pk), viewer).exists()
    assert listed is EXPECTED[level][reader]
    assert can_view(subject, viewer) is EXPECTED[level][reader]
    # The shortcut without a query says yes only where the rule does, and only by the level.
    opens = level == Visibility.PUBLIC or (level == Visibility.SERVER and reader != "anonymous")
    assert level_opens(subject, viewer) is opens
    assert not opens or EXPECTED[level][reader]


@pytest.mark.parametrize("level", list(EXPECTED))
@pytest.mark.parametrize("reader", READERS)
def test_visibility_matrix_for_contact_channels(
    world: dict[str, Any], level: str, reader: str
) -> None:
    """The same rule protects a second kind of content (contact channels) unchanged."""
    holder = factories.organization()
    channel = ContactChannel.objects.create(
        organization=holder, kind="phone", value="+58 412 0000000", visibility=level
    )
    channel.visible_to_organizations.add(world["listed"])
    channel.custodians.add(world["readers"]["custodian"])
    viewer = viewer_for(world["readers"][reader])
    assert (
        filter_visible(ContactChannel.objects.filter(pk=channel.pk), viewer).exists()
        is EXPECTED[level][reader]
    )


def test_filter_never_duplicates_rows(world: dict[str, Any]) -> None:
    """A row matched by several rules (custodian and member) still appears once."""
    reader = world["readers"]["member_of_listed"]
    subject = factories.organization(
        visibility=Visibility.ORGANIZATIONS,
        visible_to=[world["listed"], world["other"]],
        custodians=[reader],
    )
    factories.role(reader, world["other"], "member")
    rows = list(filter_visible(Organization.objects.filter(pk=subject.pk), viewer_for(reader)))
    assert rows == [subject]


def _with_rule(monkeypatch: pytest.MonkeyPatch, rule: Any) -> None:
    from functools import lru_cache

    from minga.common import visibility

    monkeypatch.setitem(visibility._access_rules, Organization, [rule])
    # Conditions kept under this rule go to a store of the test's own, dropped with it.
    monkeypatch.setattr(
        visibility, "_kept_visible_q", lru_cache(maxsize=16)(visibility._built_visible_q)
    )


def test_a_registered_rule_narrows_lists_and_single_objects_alike(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restriction hides rows from every reader in lists and on single objects, superusers
    included only when the rule binds them."""
    from django.db.models import Q

    from minga.common.visibility import AccessRule

    secret = factories.organization(name="Sagrada")
    _with_rule(
        monkeypatch,
        AccessRule("no-sacred", restrict=lambda model, viewer: ~Q(name="Sagrada")),
    )
    for reader in ("anonymous", "server_member", "custodian"):
        viewer = viewer_for(world["readers"][reader])
        assert not level_opens(secret, viewer), "a public row under a restriction is asked"
        assert not can_view(secret, viewer)
        assert not filter_visible(Organization.objects.all(), viewer).filter(pk=secret.pk).exists()
    superuser = viewer_for(world["readers"]["superuser"])
    assert can_view(secret, superuser)

    _with_rule(
        monkeypatch,
        AccessRule(
            "no-sacred",
            restrict=lambda model, viewer: ~Q(name="Sagrada"),
            binds_superusers=True,
        ),
    )
    assert not can_view(secret, superuser)
    assert not filter_visible(Organization.objects.all(), superuser).filter(pk=secret.pk).exists()


def test_a_registered_rule_can_widen_what_a_reader_sees(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A grant opens rows beyond the level, in lists and single objects, to that reader only."""
    from django.db.models import Q

    from minga.common.visibility import AccessRule

    hidden = factories.organization(name="Para Ana", visibility=Visibility.CUSTODIANS)
    ana = world["readers"]["server_member"]
    _with_rule(
        monkeypatch,
        AccessRule(
            "ana-reads",
            grant=lambda model, viewer: Q(name="Para Ana") if viewer.user_id == ana.pk else None,
        ),
    )
    assert can_view(hidden, viewer_for(ana))
    assert filter_visible(Organization.objects.all(), viewer_for(ana)).filter(pk=hidden.pk).exists()
    other = viewer_for(world["readers"]["member_of_other"])
    assert not can_view(hidden, other)
    assert not filter_visible(Organization.objects.all(), other).filter(pk=hidden.pk).exists()


def test_a_kept_condition_serves_many_queries_and_follows_memberships(
    world: dict[str, Any],
) -> None:
    """The condition kept for a viewer is the same object each time, gives the same rows in
    every query it joins (no query changes it), and a new membership makes a new viewer and
    a new condition."""
    from minga.common.visibility import visible_q

    reader = world["readers"]["member_of_other"]
    hidden = factories.organization(
        name="Para Listed", visibility=Visibility.ORGANIZATIONS, visible_to=[world["listed"]]
    )
    viewer = viewer_for(reader)
    assert visible_q(Organization, viewer) is visible_q(Organization, viewer)
    everyone = set(filter_visible(Organization.objects.all(), viewer).values_list("pk", flat=True))
    for _ in range(3):
        assert not filter_visible(Organization.objects.filter(pk=hidden.pk), viewer).exists()
        assert (
            set(filter_visible(Organization.objects.all(), viewer).values_list("pk", flat=True))
            == everyone
        )
    assert hidden.pk not in everyone

    factories.role(reader, world["listed"], "member")
    reader = type(reader).objects.get(pk=reader.pk)
    assert filter_visible(Organization.objects.filter(pk=hidden.pk), viewer_for(reader)).exists()


def test_a_rule_built_from_more_than_the_viewer_is_asked_every_time(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule that reads something besides the viewer when it is built (here a list standing
    for a person's roles) is never kept: a change to it shows at once. The same rule said to
    depend on the viewer alone is kept."""
    from django.db.models import Q

    from minga.common.visibility import AccessRule, visible_q

    hidden_names = ["Listed"]
    viewer = viewer_for(world["readers"]["server_member"])

    def hide(model: Any, viewer: Any) -> Any:
        return ~Q(name__in=list(hidden_names))

    _with_rule(monkeypatch, AccessRule("changing", restrict=hide))
    assert not filter_visible(Organization.objects.filter(name="Listed"), viewer).exists()
    hidden_names[:] = ["Other"]
    assert filter_visible(Organization.objects.filter(name="Listed"), viewer).exists()
    assert visible_q(Organization, viewer) is not visible_q(Organization, viewer)

    _with_rule(monkeypatch, AccessRule("kept", restrict=hide, viewer_only=True))
    assert visible_q(Organization, viewer) is visible_q(Organization, viewer)


def test_rules_kept_per_viewer_build_only_on_rules_kept_per_viewer() -> None:
    """The communication network's rule builds the organizations' rule into its own and is
    kept per viewer, so every rule on organizations must be built from the viewer alone too
    (one that read roles would be kept stale inside it)."""
    from minga.common.visibility import access_rules_for

    assert all(rule.viewer_only for rule in access_rules_for(Organization))

"""Who reads what: the community protocols through the one visibility rule (a matrix)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.library import selectors, services
from minga.library.content import AccessData
from minga.library.models import Item
from minga.library.types import Audience, ProtocolKind, ProtocolRule
from tests import factories
from tests.library import factories as library


def _sees(user: Any, item: Any) -> bool:
    listed = selectors.visible_items(user).filter(pk=item.pk).exists()
    assert listed == selectors.can_view_item(user, item)
    return listed


def test_strict_items_are_read_by_members_stewards_and_custodians_only(
    strict_item: Any, member: Any, steward: Any, community: Any
) -> None:
    """Anonymous readers, strangers, members of the community, even superusers do not read
    a strict item; its protocol's members and stewards and its custodians do."""
    keeper = factories.person("guardiana")
    services.item_set_access(
        actor=SYSTEM,
        item=strict_item,
        access=AccessData(protocols=list(strict_item.protocols.all()), custodians=[keeper]),
    )
    villager = factories.person("comunera")
    factories.role(villager, community, "coordinator")
    admin = factories.person("admin", is_superuser=True, is_staff=True)
    assert not _sees(AnonymousUser(), strict_item)
    assert not _sees(factories.person("extrana"), strict_item)
    assert not _sees(villager, strict_item)
    assert not _sees(admin, strict_item)
    assert _sees(member, strict_item)
    assert _sees(steward, strict_item)
    assert _sees(keeper, strict_item)


def test_a_protocol_may_let_in_every_member_of_its_community(community: Any) -> None:
    protocol = library.protocol(community, include_community_members=True)
    item = library.item(
        community, library.knowledge_data(), access=AccessData(protocols=[protocol])
    )
    villager = factories.person("comunera")
    factories.role(villager, community, "member")
    assert _sees(villager, item)
    assert not _sees(factories.person(), item)


def test_open_protocols_follow_the_visibility_level(community: Any) -> None:
    open_protocol = library.protocol(community, kind=ProtocolKind.OPEN)
    public = library.item(community, access=AccessData(protocols=[open_protocol]))
    members_only = library.item(
        community, access=AccessData(visibility=Visibility.SERVER, protocols=[open_protocol])
    )
    assert _sees(AnonymousUser(), public)
    assert not _sees(AnonymousUser(), members_only)
    assert _sees(factories.person(), members_only)


@pytest.mark.parametrize(
    ("rule", "in_first", "in_second", "expected"),
    [
        (ProtocolRule.ANY, True, False, True),
        (ProtocolRule.ANY, False, False, False),
        (ProtocolRule.ALL, True, False, False),
        (ProtocolRule.ALL, True, True, True),
    ],
)
def test_several_protocols_combine_with_any_or_all(
    community: Any, rule: str, in_first: bool, in_second: bool, expected: bool
) -> None:
    first, second = library.protocol(community), library.protocol(community)
    item = library.item(
        community,
        library.knowledge_data(),
        access=AccessData(protocols=[first, second], protocol_rule=rule),
    )
    person = factories.person()
    for protocol, inside in ((first, in_first), (second, in_second)):
        if inside:
            services.membership_grant(actor=SYSTEM, protocol=protocol, person=person)
    assert _sees(person, item) is expected


def test_an_open_protocol_beside_a_strict_one_opens_the_item_under_any(community: Any) -> None:
    strict, open_ = library.protocol(community), library.protocol(community, kind=ProtocolKind.OPEN)
    item = library.item(
        community,
        library.knowledge_data(),
        access=AccessData(protocols=[strict, open_], protocol_rule=ProtocolRule.ANY),
    )
    assert _sees(AnonymousUser(), item)
    services.item_set_access(
        actor=SYSTEM,
        item=item,
        access=AccessData(protocols=[strict, open_], protocol_rule=ProtocolRule.ALL),
    )
    assert not _sees(AnonymousUser(), item)


def test_revoking_membership_closes_the_item_at_once(
    strict_item: Any, member: Any, strict_protocol: Any
) -> None:
    assert _sees(member, strict_item)
    services.membership_revoke(actor=SYSTEM, protocol=strict_protocol, person=member)
    assert not _sees(member, strict_item)


def test_the_audience_summary_is_what_the_rule_answers(
    community: Any, strict_protocol: Any, public_formula: Any, strict_item: Any
) -> None:
    """The audience kept for the index is asked of the visibility rule for an anonymous
    reader and a signed-in stranger, and follows every change of access."""
    server_only = library.item(community, access=AccessData(visibility=Visibility.SERVER))
    assert Item.objects.get(pk=public_formula.pk).audience == Audience.EVERYONE
    assert Item.objects.get(pk=server_only.pk).audience == Audience.SIGNED_IN
    assert Item.objects.get(pk=strict_item.pk).audience == Audience.RESTRICTED
    services.protocol_update(
        actor=SYSTEM,
        protocol=strict_protocol,
        name=strict_protocol.name,
        description="",
        kind=ProtocolKind.OPEN,
        include_community_members=False,
        listed=True,
    )
    assert Item.objects.get(pk=strict_item.pk).audience == Audience.EVERYONE


def test_contributors_put_items_only_under_protocols_they_belong_to(
    community: Any, strict_protocol: Any
) -> None:
    """Nobody locks an item behind a strict protocol they could not read themselves."""
    person = library.contributor(community)
    with pytest.raises(DomainError) as refusal:
        library.item(
            community,
            library.knowledge_data(),
            actor=person,
            access=AccessData(protocols=[strict_protocol]),
        )
    assert refusal.value.code == "protocol_not_yours"
    assert not Item.objects.exists()

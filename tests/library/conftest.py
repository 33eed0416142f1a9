"""Fixtures of the library's tests: a community with a strict protocol, its people."""

from __future__ import annotations

from typing import Any

import pytest

from minga.common.permissions import SYSTEM
from minga.library import services
from minga.library.content import AccessData
from tests import factories
from tests.library import factories as library


@pytest.fixture
def community(db: None) -> Any:
    return factories.organization(name="Ayllu Qhapaq", slug="ayllu")


@pytest.fixture
def other_org(db: None) -> Any:
    return factories.organization(name="Cooperativa Sementes", slug="sementes")


@pytest.fixture
def strict_protocol(community: Any) -> Any:
    return library.protocol(community, name="Saberes de las abuelas")


@pytest.fixture
def steward(strict_protocol: Any, community: Any) -> Any:
    person = factories.person("custodia")
    factories.role(person, community, "member")
    services.membership_grant(actor=SYSTEM, protocol=strict_protocol, person=person, role="steward")
    return person


@pytest.fixture
def member(strict_protocol: Any) -> Any:
    person = factories.person("socia")
    services.membership_grant(actor=SYSTEM, protocol=strict_protocol, person=person)
    return person


@pytest.fixture
def public_formula(community: Any) -> Any:
    return library.item(community, library.formula_data())


@pytest.fixture
def strict_item(community: Any, strict_protocol: Any) -> Any:
    return library.item(
        community,
        library.knowledge_data(),
        access=AccessData(protocols=[strict_protocol]),
    )

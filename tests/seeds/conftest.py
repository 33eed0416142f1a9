"""Fixtures of the seed bank's tests: a bank of one commune and a neighbour commune."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.seeds import factories as seeds


@pytest.fixture
def commune(db: None) -> Any:
    return factories.organization(name="Comuna El Maizal", slug="maizal")


@pytest.fixture
def keeper(commune: Any) -> Any:
    """The commune's seed keeper (a spokesperson)."""
    person = factories.person("guardiana")
    factories.role(person, commune, "spokesperson")
    return person


@pytest.fixture
def neighbour(db: None) -> Any:
    return factories.organization(name="Comuna Vecina", slug="vecina")


@pytest.fixture
def neighbour_keeper(neighbour: Any) -> Any:
    person = factories.person("vecino")
    factories.role(person, neighbour, "spokesperson")
    return person


@pytest.fixture
def bank(commune: Any) -> Any:
    return seeds.bank(commune, name="Banco El Maizal")

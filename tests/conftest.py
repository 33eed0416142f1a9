"""Fixtures shared by every test: a private search index, factories, signed-in clients."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings

from tests import factories

# No time limit per example: on a shared two-core machine one example of a pure property can
# take 250 ms under load and 1 ms quiet, and hypothesis would report the test as flaky.
settings.register_profile("minga", deadline=None)
settings.load_profile("minga")


@pytest.fixture(autouse=True)
def empty_cache() -> Any:
    """Each test starts with an empty cache: entries are keyed by revisions kept in the
    database, which a test's rollback takes back, so a later test could otherwise read an
    earlier test's calendar feed or fund figures under the same revision."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def private_search_index(settings: Any, tmp_path: Path) -> Path:
    """Each test gets its own index, so no test sees another's documents."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    return Path(settings.SEARCH_INDEX_DIR)


SEED_MIGRATIONS = [
    ("minga.registry.migrations.0002_seed_regions_and_languages", "seed"),
    ("minga.exchange.migrations.0002_chain_head_row", "create_head"),
    ("minga.library.migrations.0002_starter_vocabulary", "seed"),
]


@pytest.fixture
def seeded_transactional_db(transactional_db: None) -> None:
    """A database whose commits are real (for threads, processes and the live server).

    Flushing after such tests empties the rows data migrations put in (regions, languages,
    the ledger's chain head), so they are put back first, with the migrations' own code.
    """
    import importlib

    from django.apps import apps

    for module, function in SEED_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def confederation(db: None) -> Any:
    return factories.organization(kind="network", name="Confederación de prueba", slug="conf")


@pytest.fixture
def coordinator(confederation: Any) -> Any:
    """A coordinator of the confederation, who has set up two-factor authentication."""
    person = factories.person("coordinadora")
    factories.role(person, confederation, "coordinator")
    return person


@pytest.fixture
def coordinator_client(coordinator: Any) -> Client:
    return factories.verified_client(coordinator)


@pytest.fixture
def newcomer(db: None) -> Any:
    return factories.person("recien-llegada")


@pytest.fixture
def newcomer_client(newcomer: Any) -> Client:
    client = Client()
    client.force_login(newcomer)
    return client

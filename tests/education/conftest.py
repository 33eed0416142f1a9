"""Fixtures of education's tests: a school of a commune, its coordinator, a teacher, a cohort."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import factories
from tests.education import factories as education


@pytest.fixture(autouse=True)
def signing_key(tmp_path: Path, monkeypatch: Any) -> Path:
    """Each test signs with its own key, made on first use in a private directory."""
    from minga.common import signing

    path = tmp_path / "keys" / "ed25519.pem"
    monkeypatch.setenv("MINGA_SIGNING_KEY_FILE", str(path))
    signing._load.cache_clear()
    return path


@pytest.fixture
def commune(db: None) -> Any:
    return factories.organization(name="Comuna El Maizal", slug="maizal")


@pytest.fixture
def coordinator(commune: Any) -> Any:
    person = factories.person("coordinadora-escuela")
    factories.role(person, commune, "coordinator")
    return person


@pytest.fixture
def teacher(db: None) -> Any:
    return factories.person("maestra")


@pytest.fixture
def school(commune: Any) -> Any:
    return education.school(commune)


@pytest.fixture
def course(school: Any) -> Any:
    return education.course(school, hours=20, min_attendance_percent=75)


@pytest.fixture
def cohort(course: Any, teacher: Any) -> Any:
    return education.cohort(course, teachers=[teacher])

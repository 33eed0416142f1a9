"""Rules that bind superusers: a superuser passes them only as any other person would."""

from __future__ import annotations

from typing import Any

import pytest

from minga.common.permissions import SYSTEM, has_perm, rule
from tests import factories


@rule("tests.binding.sample", binds_superusers=True)
def _sample_binding(user: Any, obj: Any) -> bool:
    return obj == getattr(user, "username", None)


@rule("tests.binding.plain")
def _sample_plain(user: Any, obj: Any) -> bool:
    return False


@pytest.mark.django_db
def test_a_binding_rule_is_not_passed_by_superusers_by_their_role() -> None:
    root = factories.person("root", is_superuser=True)
    assert has_perm(root, "tests.binding.plain", "anything")
    assert not has_perm(root, "tests.binding.sample", "someone-else")
    assert has_perm(root, "tests.binding.sample", "root")
    assert has_perm(SYSTEM, "tests.binding.sample", "someone-else")

from __future__ import annotations

import pytest

from tests.funds import factories


@pytest.fixture
def w(db: None) -> factories.FundsWorld:
    return factories.world()

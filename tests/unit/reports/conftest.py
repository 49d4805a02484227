from __future__ import annotations

import pytest

from tests.unit.reports.fixture import NOW, fill


@pytest.fixture
def shop(till, clock):  # type: ignore[no-untyped-def]
    clock.set(NOW)
    fill(till)
    return till

from __future__ import annotations

import pytest

from tests.unit.reports.fixture import NOW, fill


@pytest.fixture
def shop(till, clock):  # type: ignore[no-untyped-def]
    clock.set(NOW)
    fill(till)
    return till


@pytest.fixture
def fresh_till(tmp_path, clock):  # type: ignore[no-untyped-def]
    """A new empty till per call: one per hypothesis example (migrated once, then copied)."""
    import shutil

    from terminal.app.till import open_till

    template = tmp_path / "template.db"
    open_till(template, clock=clock).close()
    opened = []

    def make():  # type: ignore[no-untyped-def]
        path = tmp_path / f"example-{len(opened)}.db"
        shutil.copy(template, path)
        till = open_till(path, clock=clock)
        opened.append(till)
        return till

    yield make
    for till in opened:
        till.close()

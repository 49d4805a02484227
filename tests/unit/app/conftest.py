"""Fixtures for property tests that need many fresh databases quickly.

Migrating a new database takes a while, so one migrated template is made per session and each
example gets a byte copy of it (hypothesis runs dozens of examples per test).
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from terminal.app.till import Till, open_till


class StepClock:
    """A settable clock (the same idea as the shared ``clock`` fixture, per database)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_till(path, clock=lambda: datetime(2026, 1, 1)).close()
    return path


@pytest.fixture(scope="session")
def fresh_till(
    _template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[datetime], tuple[Till, StepClock]]]:
    """``fresh_till(start)`` → a till on its own new database and its clock."""
    folder = tmp_path_factory.mktemp("fresh")
    counter = itertools.count()
    opened: list[Till] = []

    def make(start: datetime) -> tuple[Till, StepClock]:
        path = folder / f"till-{next(counter)}.db"
        shutil.copyfile(_template_db, path)
        clock = StepClock(start)
        till = open_till(path, clock=clock)
        opened.append(till)
        if len(opened) > 8:  # keep file handles bounded during long hypothesis runs
            opened.pop(0).close()
        return till, clock

    yield make
    for till in opened:
        till.close()

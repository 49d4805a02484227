"""Fixtures shared by the GUI tests; how they press keys is in :mod:`tests.gui.driving`."""

from __future__ import annotations

import pytest

from terminal.app.staff import StaffRoster, StaffView


@pytest.fixture
def people(till) -> dict[str, StaffView]:  # type: ignore[no-untyped-def]
    """A shop with staff: owner Maria (PIN 2468), cashiers Ivan (1357) and Olena (8642)."""
    roster = StaffRoster(till)
    owner = roster.set_first_owner("Maria", "2468")
    return {
        "owner": owner,
        "ivan": roster.add(owner.id, "Ivan", "1357"),
        "olena": roster.add(owner.id, "Olena", "8642"),
    }

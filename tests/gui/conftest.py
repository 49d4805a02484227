"""Fixtures shared by the GUI tests; how they press keys is in :mod:`tests.gui.driving`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from terminal.app.enrollment import Enrollment, EnrollResult
from terminal.app.staff import StaffRoster, StaffView
from terminal.core.customer_form import CustomerForm
from terminal.ui.main_window import MainWindow
from tests.gui.driving import show_window_with_staff_access


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


@pytest.fixture
def customer(till) -> EnrollResult:  # type: ignore[no-untyped-def]
    """Iryna Koval, a card holder (a test file may define its own ``customer``)."""
    return Enrollment(till).register(CustomerForm("Iryna Koval", "0671234567"))


@pytest.fixture
def window(qtbot, till, tmp_path, people) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The main window of a shop with :func:`people`, behind the PIN gate ("Who is at the
    till?"); a test file may define its own ``window``."""
    w = show_window_with_staff_access(qtbot, till, tmp_path)
    yield w
    w.close()

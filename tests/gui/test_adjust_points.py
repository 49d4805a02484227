"""The owner's "Adjust points" at the customer desk: asks the owner PIN, previews the new balance,
refuses an empty reason without writing anything, and the history shows the reason; a cashier
cannot get past the PIN. The sales list names the cashier, the points history who wrote each
entry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from sqlmodel import func, select

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.results import EnrollResult
from terminal.app.staff import StaffRoster, StaffView
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.db.models import AuditLog, JournalEvent, LedgerEntry
from terminal.ui.access import install_access
from terminal.ui.adjust_dialog import AdjustPointsDialog
from terminal.ui.customer_desk import CustomerDesk
from terminal.ui.main_window import MainWindow
from terminal.ui.pin_dialog import PinDialog
from terminal.ui.services import AppServices
from tests.gui.driving import show_main_window, type_in, when_modal


@pytest.fixture
def people(till) -> dict[str, StaffView]:
    roster = StaffRoster(till)
    owner = roster.set_first_owner("Maria", "2468")
    return {"owner": owner, "ivan": roster.add(owner.id, "Ivan", "1357")}


@pytest.fixture
def customer(till, people) -> EnrollResult:
    who = Enrollment(till).register(CustomerForm("Iryna Koval", "0671234567"))
    Counter(till).checkout(SaleRequest(who.card, 50_00), new_id(), people["ivan"].id)
    return who


@pytest.fixture
def window(qtbot, till, tmp_path, people) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    services = AppServices(till=till)
    access = install_access(services)
    access.sign_in_at_till("1357")  # Ivan is at the till
    w = show_main_window(qtbot, services, tmp_path)
    yield w
    w.close()
    QApplication.instance().removeEventFilter(access)


@pytest.fixture
def desk(qtbot, window, customer) -> CustomerDesk:  # type: ignore[no-untyped-def]
    window.show_screen("customers")
    screen = window.current_screen()
    assert isinstance(screen, CustomerDesk)
    screen.search.setText("0671234567")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.history is not None
    return screen


def counts(till) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with till.read() as s:
        return tuple(  # type: ignore[return-value]
            s.exec(select(func.count()).select_from(table)).one()
            for table in (JournalEvent, LedgerEntry, AuditLog)
        )


def test_the_sales_list_names_the_cashier(desk) -> None:  # type: ignore[no-untyped-def]
    headers = [desk.sales_model.headerData(i, Qt.Orientation.Horizontal) for i in range(7)]
    assert headers[-1] == "Cashier"
    assert desk.sales_model.data(desk.sales_model.index(0, 6)) == "Ivan"


def test_a_cashier_cannot_adjust_points(qtbot, till, desk) -> None:  # type: ignore[no-untyped-def]
    before = counts(till)
    asked = when_modal(qtbot, PinDialog, lambda d: None)  # Ivan does not know the owner PIN: Esc
    qtbot.keyClick(desk.search, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert asked, "the owner PIN was not asked"
    assert not any(isinstance(w, AdjustPointsDialog) for w in QApplication.topLevelWidgets())
    assert desk.message.text() == "Only the owner can adjust points."
    assert counts(till) == before


def test_owner_adjusts_with_a_reason(qtbot, till, window, desk, people, customer) -> None:  # type: ignore[no-untyped-def]
    before = counts(till)
    seen: dict[str, str] = {}

    def unlock(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.pin, "2468")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)

    def adjust(dialog: QDialog) -> None:
        assert isinstance(dialog, AdjustPointsDialog)
        assert dialog.points.hasFocus()
        assert dialog.balance.text() == "Balance now: 102 points"
        type_in(qtbot, window, dialog.points, "+50")
        seen["preview"] = dialog.preview.text()
        qtbot.keyClick(dialog.points, Qt.Key.Key_Return)  # no reason yet: refused
        seen["refused"] = dialog.message.text()
        seen["nothing written"] = str(counts(till)[:2] == before[:2])  # journal, ledger
        assert dialog.reason.hasFocus()
        type_in(qtbot, window, dialog.reason, "lost receipt of 12 May")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    when_modal(qtbot, PinDialog, unlock)
    when_modal(qtbot, AdjustPointsDialog, adjust)
    qtbot.keyClick(desk.search, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert seen["preview"] == "New balance: 152 points"
    assert seen["refused"].startswith("Write why the points change")
    assert seen["nothing written"] == "True"
    assert desk.message.text() == (
        "Points adjusted by +50: balance 152. Reason: lost receipt of 12 May"
    )
    assert counts(till) == (before[0] + 1, before[1] + 1, before[2] + 2)  # + owner.unlocked
    row = [desk.ledger_model.data(desk.ledger_model.index(0, c)) for c in range(6)]
    assert row[1:] == ["Manual adjustment", "+50", "152", "lost receipt of 12 May", "Maria"]
    # and the sale's points before it were written by the cashier at the till
    assert desk.ledger_model.data(desk.ledger_model.index(1, 5)) == "Ivan"
    with till.read() as s:
        audit = s.exec(select(AuditLog.actor).where(AuditLog.action == "points.adjusted")).all()
    assert audit == [people["owner"].id]

"""The owner adds a cashier with a PIN on the Staff screen; the PIN works, is not stored in
clear, and the action is in the owner's log in words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlmodel import select

from terminal.app.staff import StaffRoster
from terminal.db.models import Staff
from terminal.ui.services import AppServices
from terminal.ui.staff_screen import StaffScreen


def test_owner_adds_a_cashier(qtbot, till):  # type: ignore[no-untyped-def]
    StaffRoster(till).set_first_owner("Olena", "2468")
    screen = StaffScreen(AppServices(till=till))
    qtbot.addWidget(screen)
    qtbot.keyClicks(screen.name, "Ivan")
    qtbot.keyClicks(screen.pin, "12")
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "A PIN is 4 to 8 digits."
    qtbot.keyClicks(screen.pin, "34")
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Added."
    assert [row[:2] for row in screen.model.rows] == [["Olena", "Owner"], ["Ivan", "Cashier"]]
    assert StaffRoster(till).sign_in("1234").name == "Ivan"
    with till.read() as s:
        assert all("1234" not in p.pin_hash for p in s.exec(select(Staff)).all())
    # the owner's log in words, with names, newest first
    assert [row[1:] for row in screen.audit_model.rows] == [
        ["", "Cashier added: Ivan"],
        ["Olena", "Owner PIN set up for Olena"],
    ]

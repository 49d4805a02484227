"""Staff PINs: hashed with scrypt (never stored in clear), first owner PIN set once, five wrong
PINs lock for five minutes by the till's clock, owner actions audited; the owner's choice of when an
idle cashier is signed out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from terminal.app.staff import (
    PinRefused,
    StaffLocked,
    StaffRoster,
    hash_pin,
    pin_matches,
)
from terminal.core.errors import InvalidInput
from terminal.db.models import JournalEvent, Staff


def test_pin_is_stored_as_a_salted_scrypt_hash() -> None:
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a.startswith("scrypt$16384$8$1$") and "2468" not in a
    assert a != b  # own salt each time
    assert pin_matches("2468", a) and not pin_matches("2469", a)
    assert not pin_matches("2468", "garbage")


def test_first_owner_pin_once_and_only_digits(till) -> None:  # type: ignore[no-untyped-def]
    roster = StaffRoster(till)
    assert not roster.owner_exists()
    with pytest.raises(InvalidInput):
        roster.set_first_owner("Olena", "12a4")
    with pytest.raises(InvalidInput):
        roster.set_first_owner("Olena", "123")
    owner = roster.set_first_owner("Olena", "2468")
    assert roster.owner_exists() and owner.role == "owner"
    with pytest.raises(InvalidInput, match="already set"):
        roster.set_first_owner("Someone", "1357")
    with till.read() as s:
        assert s.get(Staff, owner.id).pin_hash != "2468"
    assert [line.action for line in roster.audit_log()] == ["owner.created"]


def test_five_wrong_pins_lock_for_five_minutes(till, clock) -> None:  # type: ignore[no-untyped-def]
    roster = StaffRoster(till)
    roster.set_first_owner("Olena", "2468")
    for left in (4, 3, 2, 1):
        with pytest.raises(PinRefused) as refused:
            roster.sign_in("0000", role="owner")
        assert refused.value.params["attempts_left"] == left
    with pytest.raises(StaffLocked) as locked:
        roster.sign_in("0000", role="owner")
    assert locked.value.params["until"] == clock.now + timedelta(minutes=5)
    with pytest.raises(StaffLocked):
        roster.sign_in("2468", role="owner")  # even the right PIN waits
    clock.advance(minutes=4, seconds=59)
    with pytest.raises(StaffLocked):
        roster.sign_in("2468", role="owner")
    clock.advance(seconds=1)
    assert roster.sign_in("2468", role="owner").name == "Olena"
    # a success resets the count: four more wrong tries do not lock
    for _ in range(4):
        with pytest.raises(PinRefused):
            roster.sign_in("0000", role="owner")
    assert roster.sign_in("2468", role="owner").role == "owner"
    actions = [line.action for line in roster.audit_log()]
    assert "staff.locked" in actions and actions.count("owner.unlocked") == 2


def test_owner_manages_cashiers(till) -> None:  # type: ignore[no-untyped-def]
    roster = StaffRoster(till)
    owner = roster.set_first_owner("Olena", "2468")
    ivan = roster.add(owner.id, "Ivan", "1111")
    assert roster.sign_in("1111").name == "Ivan"
    with pytest.raises(PinRefused):
        roster.sign_in("1111", role="owner")  # a cashier's PIN does not open owner screens
    with pytest.raises(InvalidInput, match="already uses"):
        roster.add(owner.id, "Petro", "1111")
    roster.change_pin(owner.id, ivan.id, "2222")
    assert roster.sign_in("2222").id == ivan.id
    roster.set_active(owner.id, ivan.id, False)
    with pytest.raises(PinRefused):
        roster.sign_in("2222", role="cashier")
    with pytest.raises(InvalidInput, match="last owner"):
        roster.set_active(owner.id, owner.id, False)
    assert {line.action for line in roster.audit_log()} >= {
        "staff.added",
        "staff.pin_changed",
        "staff.deactivated",
    }


def test_owner_chooses_when_an_idle_cashier_is_signed_out(till) -> None:  # type: ignore[no-untyped-def]
    roster = StaffRoster(till)
    owner = roster.set_first_owner("Olena", "2468")
    assert roster.sign_out_after() == 0  # never, until the owner chooses
    roster.set_sign_out_after(owner.id, 15)
    assert roster.sign_out_after() == 15
    with pytest.raises(InvalidInput, match="never, 5, 15, 30 or 60"):
        roster.set_sign_out_after(owner.id, 7)
    assert roster.sign_out_after() == 15  # a refused choice changes nothing
    with till.read() as s:
        events = s.exec(select(JournalEvent.type)).all()
    # this till's own setting: it does not travel to other tills (the owner's name does)
    assert events == ["staff.named"]
    assert [
        line.details for line in roster.audit_log() if line.action == "staff.sign_out_after"
    ] == [{"minutes": 15}]


def test_the_owners_log_reads_as_sentences_with_names(till) -> None:  # type: ignore[no-untyped-def]
    from terminal.app.adjustments import PointAdjustments
    from terminal.app.card_admin import CardAdmin
    from terminal.app.enrollment import Enrollment
    from terminal.core.customer_form import CustomerForm

    roster = StaffRoster(till)
    owner = roster.set_first_owner("Olena", "2468")
    ivan = roster.add(owner.id, "Ivan", "1111")
    roster.change_pin(owner.id, ivan.id, "2222")
    roster.set_active(owner.id, ivan.id, False)
    roster.set_sign_out_after(owner.id, 30)
    roster.set_sign_out_after(owner.id, 0)
    who = Enrollment(till).register(CustomerForm("Iryna Koval", "0671234567"))
    PointAdjustments(till).adjust(owner.id, who.customer_id, -20, "double welcome bonus")
    CardAdmin(till).block(who.card, "lost", cashier=owner.id)
    lines = list(reversed(roster.audit_log()))
    assert [(line.who, str(line.what)) for line in lines] == [
        ("Olena", "Owner PIN set up for Olena"),
        ("Olena", "Cashier added: Ivan"),
        ("Olena", "PIN changed for Ivan"),
        ("Olena", "Switched off: Ivan"),
        ("Olena", "Idle cashiers are signed out after 30 minutes"),
        ("Olena", "Idle cashiers are no longer signed out"),
        ("Olena", "Points adjusted for Iryna Koval: −20 (double welcome bonus)"),
        ("Olena", f"Card {who.card} blocked (lost)"),
    ]

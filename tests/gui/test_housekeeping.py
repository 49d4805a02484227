"""While the till is open, expired points are written off in the background."""

from __future__ import annotations

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.core.customer_form import CustomerForm
from terminal.ui.housekeeping import Housekeeping
from terminal.ui.services import AppServices


def _expire_entries(till) -> int:
    with till.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT COUNT(*) FROM ledger_entry WHERE kind = 'expire'"
        ).scalar_one()


def test_the_sweep_writes_expired_points_and_tells_the_screens(qtbot, till, clock) -> None:
    card = Enrollment(till).register(CustomerForm("Olena", "0671234567")).card
    Counter(till).checkout(SaleRequest(card, 100_000))  # 100 welcome + 50 earned
    services = AppServices(till=till)
    upkeep = Housekeeping(services)
    clock.advance(days=366)
    with qtbot.waitSignal(services.data.changed, timeout=10_000) as changed:
        upkeep.sweep()
    assert "customer" in changed.args[0]
    assert _expire_entries(till) == 2  # the welcome lot and the earned lot
    assert Integrity(till).check().ok
    upkeep.checkpoint()  # never fails, even right after a write


def test_nothing_due_means_no_announcement(qtbot, till) -> None:
    services = AppServices(till=till)
    upkeep = Housekeeping(services)
    with qtbot.assertNotEmitted(services.data.changed, wait=500):
        upkeep.sweep()
    assert _expire_entries(till) == 0

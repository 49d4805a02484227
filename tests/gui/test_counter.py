"""The Counter driven with keystrokes like a cashier and a USB scanner: real window and database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlmodel import func, select

from terminal.app.card_admin import CardAdmin
from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.results import EnrollResult
from terminal.core.cards import make_card_number
from terminal.core.checkout import MAX
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import DatabaseBusy, StorageError
from terminal.core.ids import new_id
from terminal.db.models import JournalEvent, NpsResponse, Purchase
from terminal.ui import feedback_sound
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.main_window import MainWindow
from terminal.ui.services import AppServices
from tests.gui.driving import scan, show_main_window, type_as_person


@pytest.fixture
def window(qtbot, till, tmp_path) -> Iterator[MainWindow]:
    w = show_main_window(qtbot, AppServices(till=till), tmp_path)
    yield w
    w.close()


@pytest.fixture
def counter(window) -> CounterScreen:
    screen = window.current_screen()
    assert isinstance(screen, CounterScreen)
    return screen


@pytest.fixture
def olena(till) -> EnrollResult:
    result = Enrollment(till).register(CustomerForm("Olena Shevchenko", "0671234567"))
    Counter(till).checkout(SaleRequest(result.card, 200000), new_id())  # balance 100 + 100
    return result


def sale_count(till) -> int:
    with till.read() as s:
        return s.exec(select(func.count()).select_from(Purchase)).one()


def event_count(till) -> int:
    with till.read() as s:
        return s.exec(select(func.count()).select_from(JournalEvent)).one()


def test_scan_while_typing_the_amount_selects_the_customer_and_keeps_the_amount(
    qtbot, window, counter, olena
) -> None:
    assert counter.sale.amount.hasFocus()
    type_as_person(qtbot, window, "250")
    assert counter.sale.amount.text() == "250"
    scan(qtbot, olena.card)
    assert counter.view is not None and counter.view.name == "Olena Shevchenko"
    assert counter.panel.name.text() == "Olena Shevchenko"
    assert counter.sale.amount.text() == "250"  # the card's digits did not land in the amount
    assert counter.sale.amount.hasFocus()
    assert counter.sale.to_pay.text().startswith("250")


def test_a_person_typing_digits_is_not_taken_for_a_scan(qtbot, window, counter, olena) -> None:
    type_as_person(qtbot, window, olena.card)
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.view is None
    assert counter.sale.amount.text() == olena.card


def test_checkout_with_points_is_scan_amount_and_two_keys(qtbot, till, window, counter, olena):
    scan(qtbot, olena.card)
    qtbot.keyClicks(counter.sale.amount, "500")
    qtbot.keyClick(
        counter.sale.amount, Qt.Key.Key_Plus
    )  # key 1: pay with as many points as allowed
    qtbot.waitUntil(lambda: counter.sale.to_pay.text().startswith("300"))
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)  # key 2: confirm
    assert counter.done is not None
    with till.read() as s:
        sale = s.exec(select(Purchase).where(Purchase.id == counter.done.sale_id)).one()
        paid, redeemed = sale.paid, sale.points_redeemed
    assert (paid, redeemed) == (30000, 200)
    assert "You earned 15 points, balance 15." in counter.sale.result.text()
    assert counter.sale.result.isVisible()


def test_double_enter_records_one_sale(qtbot, till, window, counter, olena) -> None:
    before = sale_count(till)
    scan(qtbot, olena.card)
    qtbot.keyClicks(counter.sale.amount, "120")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert sale_count(till) == before + 1


def test_a_retry_with_the_same_sale_id_charges_once(qtbot, till, window, counter, olena) -> None:
    scan(qtbot, olena.card)
    qtbot.keyClicks(counter.sale.amount, "120")
    window.detector.flush()
    assert counter.priced is not None
    sale_id = new_id()
    counter.sale_id = sale_id  # as if Enter had been pressed: the id of this sale is fixed
    first = Counter(till).commit(counter.priced, sale_id)  # it landed; the answer was lost
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)  # the cashier presses Enter again
    assert counter.done is not None and counter.done.replayed
    assert counter.done.sale_id == first.sale_id
    with till.read() as s:
        assert s.exec(select(func.count()).where(Purchase.id == sale_id)).one() == 1


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ABC#12!xx99", "not readable"),
        ("2010000000015", "Wrong check digit"),
        (make_card_number(9, 77), "not known here"),
        ("4006381333931", "product barcode"),
    ],
)
def test_bad_scans_show_a_message_beep_and_write_nothing(
    qtbot, till, window, counter, olena, code, expected
) -> None:
    events, beeps = event_count(till), feedback_sound.beeps
    scan(qtbot, code)
    assert expected in counter.message.text()
    assert counter.message.isVisible()
    assert feedback_sound.beeps == beeps + 1
    assert QApplication.activeModalWidget() is None
    assert counter.view is None
    assert event_count(till) == events


def test_a_blocked_card_is_refused_inline(qtbot, till, window, counter, olena) -> None:
    CardAdmin(till).block(olena.card, "stolen")
    events = event_count(till)
    scan(qtbot, olena.card)
    assert "blocked" in counter.message.text()
    assert counter.view is None and event_count(till) == events


def test_sale_without_a_card_is_one_key_and_the_amount(qtbot, till, window, counter) -> None:
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F5)
    qtbot.keyClicks(counter.sale.amount, "99.90")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    with till.read() as s:
        sale = s.exec(select(Purchase)).one()
        assert (sale.customer_id, sale.amount) == (None, 9990)
    assert "F4" in counter.sale.result.text()


def test_without_a_card_enter_asks_for_a_scan_first(qtbot, till, window, counter) -> None:
    qtbot.keyClicks(counter.sale.amount, "50")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert "Scan the customer's card first" in counter.message.text()
    assert sale_count(till) == 0


def test_outdated_quote_shows_new_figures_and_asks_again(qtbot, till, window, counter, olena):
    scan(qtbot, olena.card)
    qtbot.keyClicks(counter.sale.amount, "500")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Plus)
    qtbot.waitUntil(lambda: counter.sale.to_pay.text().startswith("300"))
    Counter(till).checkout(SaleRequest(olena.card, 10000, MAX), new_id())  # another till spends
    before = sale_count(till)
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is None and sale_count(till) == before
    assert "figures changed" in counter.message.text()
    assert counter.sale.to_pay.text().startswith("348")  # fewer points left: more to pay
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None and sale_count(till) == before + 1


def test_database_busy_is_retried_and_charges_once(
    qtbot, till, window, counter, olena, monkeypatch
):
    real = Counter.commit
    failures = {"left": 2}

    def busy_then_ok(self, priced, sale_id, cashier=None):
        if failures["left"]:
            failures["left"] -= 1
            raise DatabaseBusy("locked")
        return real(self, priced, sale_id, cashier)

    monkeypatch.setattr(Counter, "commit", busy_then_ok)
    before = sale_count(till)
    scan(qtbot, olena.card)
    qtbot.keyClicks(counter.sale.amount, "120")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert "busy" in counter.message.text()
    qtbot.waitUntil(lambda: counter.done is not None, timeout=5000)
    assert sale_count(till) == before + 1


def test_storage_error_is_explained_and_the_till_keeps_working(
    qtbot, till, window, counter, olena, monkeypatch
) -> None:
    def full_disk(self, priced, sale_id, cashier=None):
        raise StorageError("disk full")

    monkeypatch.setattr(Counter, "commit", full_disk)
    scan(qtbot, olena.card)
    qtbot.keyClicks(counter.sale.amount, "120")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert "could not be saved" in counter.message.text()
    assert counter.done is None
    monkeypatch.undo()
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None


def test_lookup_by_name_picks_from_a_list_with_arrows_and_enter(qtbot, till, window, counter):
    Enrollment(till).register(CustomerForm("Petro Bondar", "0501112233"))
    Enrollment(till).register(CustomerForm("Petro Melnyk", "0502223344"))
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F3)
    assert counter.lookup.hasFocus()
    type_as_person(qtbot, window, "petro")
    qtbot.keyClick(counter.lookup, Qt.Key.Key_Return)
    assert counter.results.hasFocus() and counter.results_model.rowCount() == 2
    qtbot.keyClick(counter.results, Qt.Key.Key_Down)
    qtbot.keyClick(counter.results, Qt.Key.Key_Return)
    assert counter.view is not None and counter.view.name == "Petro Melnyk"
    assert counter.sale.amount.hasFocus()


def test_lookup_by_phone_shows_the_one_customer(qtbot, window, counter, olena) -> None:
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F3)
    type_as_person(qtbot, window, "067 123 45 67")
    qtbot.keyClick(counter.lookup, Qt.Key.Key_Return)
    assert counter.view is not None and counter.view.customer_id == olena.customer_id


def test_esc_and_the_next_scan_start_the_next_customer(qtbot, till, window, counter, olena):
    scan(qtbot, olena.card)
    qtbot.keyClicks(counter.sale.amount, "120")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # skips the question too
    assert counter.view is None and counter.sale.amount.text() == ""
    assert counter.sale.amount.hasFocus()
    scan(qtbot, olena.card)
    assert counter.view is not None and counter.done is None


def test_nps_score_is_typed_after_the_sale_and_stored(qtbot, till, window, counter, olena):
    scan(qtbot, olena.card)
    qtbot.keyClicks(counter.sale.amount, "120")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.nps.isVisible() and counter.nps.score.hasFocus()
    qtbot.keyClicks(counter.nps.score, "10")
    qtbot.keyClick(counter.nps.score, Qt.Key.Key_Return)
    with till.read() as s:
        assert s.exec(select(NpsResponse.score)).all() == [10]
    assert "Thank you" in counter.message.text()


def test_negative_balance_is_shown_in_red(qtbot, till, window, counter, olena) -> None:
    from terminal.app.refunds import Refunds

    sale = Counter(till).checkout(SaleRequest(olena.card, 100000), new_id())
    Counter(till).checkout(SaleRequest(olena.card, 100000, MAX), new_id())
    Refunds(till).refund(sale.sale_id)
    scan(qtbot, olena.card)
    assert counter.view is not None and counter.view.balance < 0
    assert counter.panel.balance.property("negative") == "true"
    assert any("Negative balance" in t for t in counter.panel.banner_texts())


def test_the_owner_can_switch_the_score_question_off(qtbot, till, window, counter, olena) -> None:
    from terminal.app.settings import put_setting

    with till.write() as s:
        put_setting(s, "nps_enabled", False, till.now())
    scan(qtbot, olena.card)
    qtbot.keyClicks(counter.sale.amount, "120")
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None and not counter.nps.isVisible()
    assert counter.sale.amount.hasFocus()

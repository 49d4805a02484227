"""What the cashier reads on the counter at 1366×768: whole names, figures next to their
captions, money that reads as money, no leftover question, and English that counts right."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QStyle, QWidget

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.results import EnrollResult
from terminal.app.shop_setup import ShopSetup
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.ui.counter_screen import CounterScreen
from terminal.ui.main_window import MainWindow
from terminal.ui.services import AppServices
from tests.gui.driving import counter_of, scan, show_main_window, type_as_person

# Long "Surname Name Patronymic" names, as a shop's list holds them (transliterated: the test
# keyboard types Latin letters only; the Cyrillic ones are as wide).
KOVALENKOS = [
    ("Kovalenko Andrii Oleksandrovych", "0959542273"),
    ("Kovalchuk Volodymyr Mykolaiovych", "0672830741"),
    ("Kovalenko Artem Kostiantynovych", "0734878535"),
    ("Kovalska Anna Volodymyrivna", "0970711177"),
]
LONG_NAME = "Олександра Костянтинівна Володимирська-Ковальчук"


@pytest.fixture
def window(qtbot, till, tmp_path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    ShopSetup(till).save("Kava & Co — Main Street", "UAH", 1)
    w = show_main_window(qtbot, AppServices(till=till), tmp_path)
    yield w
    w.close()


@pytest.fixture
def counter(window: MainWindow) -> CounterScreen:
    return counter_of(window)


def settle() -> None:
    for _ in range(3):  # the layout passes the last key posted
        QApplication.processEvents()


def text_top(label: QLabel, within: QWidget) -> int:
    """Where the label's text starts (a label taller than its text centres it vertically)."""
    middle = label.mapTo(within, label.rect().center()).y()
    return middle - label.sizeHint().height() // 2


def text_bottom(label: QLabel, within: QWidget) -> int:
    return text_top(label, within) + label.sizeHint().height()


def shown(label: QLabel) -> str:
    """A label's text as read, its no-break spaces as spaces."""
    return label.text().replace("\u00a0", " ")


def visible_labels(widget: QWidget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel) if w.isVisible() and w.text()]


def test_search_results_show_whole_names_phones_and_card_numbers(
    qtbot, till, window, counter
) -> None:  # type: ignore[no-untyped-def]
    for name, phone in KOVALENKOS:
        Enrollment(till).register(CustomerForm(name, phone))
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F3)
    type_as_person(qtbot, window, "Koval")
    qtbot.keyClick(counter.lookup, Qt.Key.Key_Return)
    assert counter.results.isVisible() and counter.results_model.rowCount() == len(KOVALENKOS)
    settle()
    view, header = counter.results, counter.results.horizontalHeader()
    metrics = QFontMetrics(view.font())
    # the cell's own margins around its text, as the item delegate keeps them
    margins = 2 * (
        view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    )
    for row in range(counter.results_model.rowCount()):
        name, phone, card, tier, points = (
            counter.results_model.index(row, column).data() for column in range(5)
        )
        # the whole name is painted: on one line, or wrapped within its row's height
        room = QRect(0, 0, view.columnWidth(0) - margins, 10_000)
        needed = metrics.boundingRect(room, int(Qt.TextFlag.TextWordWrap), name)
        assert needed.width() <= room.width(), name
        assert needed.height() <= view.rowHeight(row) - 2, f"{name} is cut off at the bottom"
        for column, text in ((1, phone), (2, card), (3, tier), (4, points)):
            assert metrics.horizontalAdvance(text) + margins <= view.columnWidth(column), text
    # tier and points are as wide as they need, the name has the room they do not use
    for column in (3, 4):
        fitted = max(header.sectionSizeHint(column), view.sizeHintForColumn(column))
        assert view.columnWidth(column) <= fitted + 2
    assert view.columnWidth(0) > 2 * view.columnWidth(3)


@pytest.fixture
def newcomer(till) -> EnrollResult:  # type: ignore[no-untyped-def]
    """Just registered: no visit yet, and a name longer than the panel."""
    return Enrollment(till).register(CustomerForm(LONG_NAME, "0671239988"))


def test_a_customer_without_visits_keeps_the_balance_under_its_caption(
    qtbot, window, counter, newcomer
) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, newcomer.card)
    settle()
    panel = counter.panel
    caption = next(w for w in panel.findChildren(QLabel) if w.text() == "Balance")
    gap = text_top(panel.balance, panel) - text_bottom(caption, panel)
    assert gap < 30, f"the balance is {gap}px under its caption"
    # the line in the visits' place is right under "Last visits", the spare room below it
    last_visits = next(w for w in panel.findChildren(QLabel) if w.text() == "Last visits")
    assert panel.no_visits.isVisible()
    below = text_top(panel.no_visits, panel) - text_bottom(last_visits, panel)
    assert 0 <= below < 30
    assert not panel.visits.isVisible()


def test_a_long_name_ends_in_an_ellipsis_before_the_tier_and_is_whole_in_the_tooltip(
    qtbot, window, counter, newcomer
) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, newcomer.card)
    settle()
    name, tier = counter.panel.name, counter.panel.tier
    shown = name.shown_text()  # what is painted
    assert shown != LONG_NAME and shown.endswith("…")
    assert LONG_NAME.startswith(shown[:-1])  # the start of the name, the way people read it
    assert name.fontMetrics().horizontalAdvance(shown) <= name.contentsRect().width()
    assert name.geometry().right() < tier.geometry().left()  # not under the badge
    assert name.toolTip() == LONG_NAME


def test_the_way_to_the_next_tier_is_money_with_its_currency(
    qtbot, till, window, counter, newcomer
) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, newcomer.card)
    text = counter.panel.to_next.text()
    assert "Silver" in text
    assert till.currency().symbol in text  # "10,000.00 ₴ to Silver", not points-like "10,000.00"


def test_a_sale_without_a_card_asks_nothing_about_points(qtbot, window, counter, newcomer) -> None:  # type: ignore[no-untyped-def]
    assert "Pay with points:" in visible_labels(counter.sale)
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_F5)
    qtbot.keyClicks(counter.sale.amount, "150")
    settle()
    assert not counter.sale.radio_none.isVisible()
    assert "Pay with points:" not in visible_labels(counter.sale)
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Escape)
    scan(qtbot, newcomer.card)  # a card sale asks again
    assert "Pay with points:" in visible_labels(counter.sale)
    assert counter.sale.radio_none.isVisible()


def test_one_visit_and_one_point_are_singular(qtbot, till, window, counter, newcomer) -> None:  # type: ignore[no-untyped-def]
    Counter(till).checkout(SaleRequest(newcomer.card, 2000), new_id())  # 1 visit, 1 point
    scan(qtbot, newcomer.card)
    assert shown(counter.panel.card).endswith("· 1 visit")
    # 20.00 earns 1 point (5 % Bronze); paying 1 point of the 101 uses exactly one
    type_as_person(qtbot, window, "20*")  # the amount, then * to type a number of points
    assert counter.sale.points.hasFocus()
    type_as_person(qtbot, window, "1")
    qtbot.waitUntil(lambda: counter.sale.used.text().startswith("1 ="))
    qtbot.keyClick(counter.sale.points, Qt.Key.Key_Return)
    assert counter.done is not None
    said = counter.sale.result.text()
    assert said.startswith("You used 1 point (")
    assert f"You earned {counter.done.points_earned} point" in said
    assert "1 points" not in said
    assert shown(counter.panel.card).endswith("· 2 visits")


def test_one_point_earned_is_said_in_the_singular(qtbot, till, window, counter, newcomer) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, newcomer.card)
    qtbot.keyClicks(counter.sale.amount, "20")
    window.detector.flush()
    qtbot.keyClick(counter.sale.amount, Qt.Key.Key_Return)
    assert counter.done is not None and counter.done.points_earned == 1
    assert counter.sale.result.text().startswith("You earned 1 point, balance 101.")
    assert shown(counter.panel.card).endswith("· 1 visit")


def test_the_f2_hint_names_the_screen_as_its_tab_does(window, counter) -> None:  # type: ignore[no-untyped-def]
    tab = window.nav_buttons["customers"].text().replace("F2", "").strip()
    hints = visible_labels(counter.panel)
    f2_hint = hints[hints.index("F2") + 1]
    assert f2_hint.startswith(f"{tab}:"), f"{f2_hint!r} does not name the {tab!r} tab"


def test_the_card_number_reads_as_printed_and_its_line_breaks_only_between_parts(
    qtbot, window, counter, newcomer
) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, newcomer.card)
    settle()
    card = newcomer.card
    printed = f"{card[:4]} {card[4:8]} {card[8:12]} {card[12]}"  # as on the card in the hand
    assert shown(counter.panel.card) == f"Card {printed} · +380671239988 · 0 visits"
    # a narrow panel wraps at " · " only: never a number cut in two or "0 / visits"
    parts = counter.panel.card.text().split(" · ")
    assert all(" " not in part for part in parts)

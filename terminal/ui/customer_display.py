# ruff: noqa: E501  (a style sheet reads best one rule per line)
"""The customer-facing display: a second window, full screen on a monitor turned to the customer.

It shows the customer at the counter only — a first name, points, tier progress — and forgets
them: the next customer, the idle timeout, or Esc at the counter clears it. Idle, it explains the
program and invites the customer to ask for a card. After the sale it can ask the NPS question;
the customer says a number and the cashier types it on the till's keypad (the counter records it
and calls :meth:`CustomerDisplay.nps_answered` so the customer sees it taken).

The counter drives it through five calls: :meth:`show_customer`, :meth:`show_sale`,
:meth:`ask_nps`, :meth:`nps_answered`, :meth:`show_idle`. Large type (the smallest text is
28 px on a 768-line screen): readable from 1.5 m.

Which monitor, and whether to use one at all, is a per-machine choice kept in ``QSettings``
(each till has its own monitors): :func:`display_preference` / :func:`save_display_preference`.
With only one screen connected, :func:`second_screen_status` says so in plain words instead of
opening a window over the cashier's own screen.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPixmap, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from terminal.app.display_content import (
    DisplayContent,
    Greeting,
    ProgramTerms,
    SaleFacts,
    TierProgress,
)
from terminal.app.results import CustomerView, SaleResult
from terminal.core.errors import LoyaltyError
from terminal.ui.money_format import format_money, format_points
from terminal.ui.services import AppServices

log = logging.getLogger("display")

IDLE_AFTER_CUSTOMER_MS = 180_000  # a customer who walked away without buying
IDLE_AFTER_SALE_MS = 25_000
IDLE_AFTER_NPS_MS = 30_000
IDLE_AFTER_THANKS_MS = 6_000

INK = "#14213D"
MUTED = "#4A5568"
ACCENT = "#0F6E66"
WARM = "#B45309"

STYLE = f"""
QWidget#customerDisplay {{ background: #F7F4EE; }}
QWidget {{ color: {INK}; font-size: 30px; }}
QLabel[role="shop"] {{ font-size: 44px; font-weight: 800; color: {ACCENT}; }}
QLabel[role="hello"] {{ font-size: 64px; font-weight: 800; }}
QLabel[role="caption"] {{ font-size: 28px; color: {MUTED}; font-weight: 600; }}
QLabel[role="huge"] {{ font-size: 120px; font-weight: 900; color: {ACCENT}; }}
QLabel[role="big"] {{ font-size: 72px; font-weight: 800; }}
QLabel[role="figure"] {{ font-size: 40px; font-weight: 700; }}
QLabel[role="invite"] {{ font-size: 52px; font-weight: 800; color: white; background: {ACCENT};
    border-radius: 24px; padding: 22px 36px; }}
QLabel[role="term"] {{ font-size: 32px; }}
QLabel[role="banner"] {{ font-size: 40px; font-weight: 800; color: {WARM}; background: #FFF1D6;
    border: 2px solid #F5C46B; border-radius: 20px; padding: 14px 28px; }}
QLabel[role="score"] {{ font-size: 48px; font-weight: 800; background: white; border: 3px solid #C9D1DB;
    border-radius: 16px; min-width: 64px; min-height: 84px; }}
QLabel[role="score"][chosen="true"] {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QFrame[role="card"] {{ background: white; border-radius: 28px; border: 1px solid #E4DED3; }}
QProgressBar {{ border: none; background: #E6E1D8; border-radius: 18px; min-height: 36px; max-height: 36px; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 18px; }}
"""

MARGINS = (48, 28, 48, 36)
MIN_SCALE = 0.6


def scaled_style(scale: float) -> str:
    """:data:`STYLE` with every pixel size multiplied by ``scale`` (fonts, paddings, radii)."""
    return re.sub(r"(\d+)px", lambda m: f"{max(1, round(int(m.group(1)) * scale))}px", STYLE)


SETTINGS_ENABLED = "customer_display/enabled"
SETTINGS_SCREEN = "customer_display/screen"


# -- which screen ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DisplayPreference:
    enabled: bool
    screen_name: str  # QScreen.name() of the chosen monitor; "" = the first one not the till's


def display_preference(settings: QSettings | None = None) -> DisplayPreference:
    settings = settings or QSettings()
    enabled = str(settings.value(SETTINGS_ENABLED, "false")).casefold() in ("true", "1")
    return DisplayPreference(enabled, str(settings.value(SETTINGS_SCREEN, "") or ""))


def save_display_preference(pref: DisplayPreference, settings: QSettings | None = None) -> None:
    settings = settings or QSettings()
    settings.setValue(SETTINGS_ENABLED, "true" if pref.enabled else "false")
    settings.setValue(SETTINGS_SCREEN, pref.screen_name)
    settings.sync()


def customer_screens() -> list[QScreen]:
    """Monitors other than the one the till's own window is on (the primary screen)."""
    primary = QGuiApplication.primaryScreen()
    return [s for s in QGuiApplication.screens() if s is not primary]


def second_screen_status() -> str:
    """Empty when a second monitor is there; otherwise what the owner should know and do."""
    if customer_screens():
        return ""
    return QGuiApplication.translate(
        "CustomerDisplay",
        "Only one screen is connected, so there is nowhere to show the customer display. "
        "Connect a second monitor facing the customer (HDMI or VGA), and it will appear here.",
    )


def screen_label(screen: QScreen) -> str:
    size = screen.size()
    model = screen.model() or screen.manufacturer() or ""
    text = f"{screen.name()} — {size.width()}×{size.height()}"
    return f"{text} ({model})" if model else text


# -- the window --------------------------------------------------------------------------------


def _label(text: str = "", role: str = "", center: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    if role:
        widget.setProperty("role", role)
    if center:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget


class Banner(QLabel):
    """A banner ("Happy birthday!", "Welcome to Silver!", "Ask for a loyalty card!") as wide as
    its text on one line when the screen has room, and wrapped, with the height of every line,
    when it has not.

    A word-wrapped QLabel hints a narrow, two-line size; given a centring alignment in its layout
    it was held to that width at one line's height, and both lines were drawn sliced in half.
    Placed between two stretches instead (:func:`_centred`), it gets this hint's width and the
    layout asks it how tall it is at that width.
    """

    def __init__(self, role: str = "banner") -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setProperty("role", role)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def sizeHint(self) -> QSize:
        """The narrowest width at which the text stays on one line (found by halving: Qt adds
        the style sheet's padding and its own indent, which only the label itself knows)."""
        one_line = self.minimumSizeHint().height()  # a wrapped label's height at any width
        narrow = self.minimumSizeHint().width()
        wide = max(narrow, self.fontMetrics().horizontalAdvance(self.text()) * 2 + 200)
        while wide - narrow > 1:
            middle = (narrow + wide) // 2
            if self.heightForWidth(middle) > one_line:
                narrow = middle
            else:
                wide = middle
        return QSize(wide, one_line)


def _centred(widget: QWidget) -> QHBoxLayout:
    """``widget`` in the middle of a row, at its hinted width, narrower when the row is."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    return row


class CustomerDisplay(QWidget):
    """The window the customer sees; ``services`` gives the till (program, shop name, logo)."""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.services = services
        self.content = DisplayContent(services.till)
        self.currency = services.till.currency()
        self.customer_id: str | None = None  # whose data is on screen, if anyone's
        self.setObjectName("customerDisplay")
        self.setWindowTitle(self.tr("Customer display"))
        self.scale = 1.0  # the style's sizes are for 1366×768; smaller screens get them smaller
        self.setStyleSheet(STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.show_idle)
        self._build()
        services.data.changed.connect(self._on_data_changed)
        self.show_idle()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Customer screens run from 1024×600 to full HD: below 1366×768 every size in the
        style (and the margins) shrinks with the screen, so each page still reads whole."""
        size = event.size()
        scale = max(MIN_SCALE, min(1.0, size.width() / 1366, size.height() / 768))
        if abs(scale - self.scale) > 0.01:
            self.scale = scale
            self.setStyleSheet(scaled_style(scale))
            layout = self.layout()
            if layout is not None:
                layout.setContentsMargins(*(round(m * scale) for m in MARGINS))
        super().resizeEvent(event)

    # -- building ------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        # the window takes the screen's size and the text follows it (resizeEvent), not the
        # other way round: at the full-size style a Russian page would ask for 1 080 px
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        outer.setContentsMargins(*MARGINS)
        outer.setSpacing(18)
        top = QHBoxLayout()
        self.logo = QLabel()
        self.logo.setFixedHeight(96)
        self.shop = _label(role="shop", center=False)
        top.addWidget(self.logo)
        top.addWidget(self.shop, 1)
        outer.addLayout(top)
        self.pages = QStackedLayout()
        outer.addLayout(self.pages, 1)
        self.idle_page = self._idle_page()
        self.customer_page = self._customer_page()
        self.sale_page = self._sale_page()
        self.nps_page = self._nps_page()
        for page in (self.idle_page, self.customer_page, self.sale_page, self.nps_page):
            self.pages.addWidget(page)

    def _idle_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setSpacing(22)
        self.invite = Banner("invite")  # a pill on one line; two on a narrow screen
        box.addStretch(1)
        box.addLayout(_centred(self.invite))
        box.addSpacing(18)
        self.terms_card = QFrame()
        self.terms_card.setProperty("role", "card")
        self.terms_box = QVBoxLayout(self.terms_card)
        self.terms_box.setContentsMargins(44, 30, 44, 30)
        self.terms_box.setSpacing(14)
        self.terms_card.setMaximumWidth(1180)
        row = QHBoxLayout()  # centred, yet wrapping lines get their height (no item alignment)
        row.addStretch(1)
        row.addWidget(self.terms_card, 8)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(2)
        return page

    def _progress_widgets(self) -> tuple[QProgressBar, QLabel]:
        bar = QProgressBar()
        bar.setRange(0, 100)
        bar.setTextVisible(False)
        text = _label(role="caption")
        return bar, text

    def _customer_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setSpacing(16)
        box.addStretch(1)
        self.hello = _label(role="hello")
        self.birthday = Banner()
        self.balance_caption = _label(self.tr("Your points"), "caption")
        self.balance = _label(role="huge")
        self.customer_bar, self.customer_tier = self._progress_widgets()
        box.addWidget(self.hello)
        box.addLayout(_centred(self.birthday))
        box.addSpacing(8)
        box.addWidget(self.balance_caption)
        box.addWidget(self.balance)
        box.addSpacing(12)
        box.addWidget(self.customer_tier)
        box.addWidget(self.customer_bar)
        box.addStretch(2)
        return page

    def _sale_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setSpacing(14)
        box.addStretch(1)
        self.thanks = _label(role="hello")
        box.addWidget(self.thanks)
        self.tier_up = Banner()
        box.addLayout(_centred(self.tier_up))
        figures = QGridLayout()
        figures.setHorizontalSpacing(60)
        self.earned_caption = _label(self.tr("Points earned"), "caption")
        self.earned = _label(role="huge")
        self.new_balance_caption = _label(self.tr("New balance"), "caption")
        self.new_balance = _label(role="huge")
        figures.addWidget(self.earned_caption, 0, 0)
        figures.addWidget(self.new_balance_caption, 0, 1)
        figures.addWidget(self.earned, 1, 0)
        figures.addWidget(self.new_balance, 1, 1)
        box.addLayout(figures)
        self.redeemed = _label(role="figure")
        box.addWidget(self.redeemed)
        box.addSpacing(8)
        self.sale_bar, self.sale_tier = self._progress_widgets()
        box.addWidget(self.sale_tier)
        box.addWidget(self.sale_bar)
        box.addStretch(2)
        return page

    def _nps_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setSpacing(26)
        box.addStretch(1)
        self.nps_question = _label(
            self.tr("How likely are you to recommend us to a friend?"), "hello"
        )
        box.addWidget(self.nps_question)
        # The eleven scores and, under their two ends, what 0 and 10 mean: one block as wide
        # as the scores, centred, so it fits a 1024-pixel customer screen.
        block = QWidget()
        column = QVBoxLayout(block)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.scores: list[QLabel] = []
        for score in range(11):
            cell = _label(str(score), "score")
            cell.setProperty("chosen", False)
            self.scores.append(cell)
            row.addWidget(cell)
        column.addLayout(row)
        scale = QHBoxLayout()
        scale.addWidget(_label(self.tr("0 — not at all"), "caption", center=False))
        scale.addStretch(1)
        scale.addWidget(_label(self.tr("10 — certainly"), "caption", center=False))
        column.addLayout(scale)
        box.addLayout(_centred(block))
        self.nps_hint = _label(self.tr("Tell the cashier your number."), "figure")
        box.addWidget(self.nps_hint)
        box.addStretch(2)
        return page

    # -- what the counter calls ----------------------------------------------------------

    def show_idle(self) -> None:
        """Nobody at the counter: the program's terms and an invitation. Forgets the customer."""
        self.idle_timer.stop()
        self.customer_id = None
        self._clear_customer_text()
        try:
            terms = self.content.terms()
        except LoyaltyError as exc:  # a locked database must not take the display down
            log.warning("display terms unavailable: %s", exc)
            self.pages.setCurrentWidget(self.idle_page)
            return
        self._show_shop(terms)
        self.invite.setText(self.tr("Ask for a loyalty card!"))
        while self.terms_box.count():
            item = self.terms_box.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for line in self._term_lines(terms):
            self.terms_box.addWidget(_label("•  " + line, "term", center=False))
        self.pages.setCurrentWidget(self.idle_page)

    def show_customer(self, view: CustomerView) -> None:
        """A card was scanned: greet this customer (whoever was shown before is cleared)."""
        greeting = self.content.greeting(view)
        self._clear_customer_text()
        self.customer_id = greeting.customer_id
        self._greet(greeting)
        self.pages.setCurrentWidget(self.customer_page)
        self.idle_timer.start(IDLE_AFTER_CUSTOMER_MS)

    def show_sale(self, result: SaleResult, view: CustomerView | None = None) -> None:
        """The sale is committed: points earned and the new balance (``view``: after the sale)."""
        if result.customer_id is None:  # a sale without a card: nothing personal to show
            self.show_idle()
            return
        facts = self.content.sale(result, view)
        if self.customer_id not in (None, result.customer_id):
            self._clear_customer_text()
        self.customer_id = result.customer_id
        self._show_sale_facts(facts)
        self.pages.setCurrentWidget(self.sale_page)
        self.idle_timer.start(IDLE_AFTER_SALE_MS)

    def ask_nps(self) -> None:
        """After a sale: the 0–10 question, answered aloud and typed by the cashier."""
        for cell in self.scores:
            self._choose(cell, False)
        self.nps_hint.setText(self.tr("Tell the cashier your number."))
        self.pages.setCurrentWidget(self.nps_page)
        self.idle_timer.start(IDLE_AFTER_NPS_MS)

    def nps_answered(self, score: int) -> None:
        """The cashier typed the customer's score: show it taken, thank, then go idle."""
        if not 0 <= score <= 10:
            return
        for value, cell in enumerate(self.scores):
            self._choose(cell, value == score)
        self.nps_hint.setText(self.tr("Thank you! Your answer helps us do better."))
        self.pages.setCurrentWidget(self.nps_page)
        self.idle_timer.start(IDLE_AFTER_THANKS_MS)

    # -- placing -------------------------------------------------------------------------

    def place_on(self, screen: QScreen) -> None:
        """Full screen on the customer's monitor."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()

    # -- inside --------------------------------------------------------------------------

    def _show_shop(self, terms: ProgramTerms) -> None:
        self.shop.setText(terms.shop_name)
        pixmap = (
            QPixmap(terms.logo_path)
            if terms.logo_path and Path(terms.logo_path).is_file()
            else QPixmap()
        )
        if pixmap.isNull():
            self.logo.clear()
            self.logo.hide()
        else:
            self.logo.setPixmap(
                pixmap.scaledToHeight(96, Qt.TransformationMode.SmoothTransformation)
            )
            self.logo.show()

    def _term_lines(self, terms: ProgramTerms) -> list[str]:
        lines: list[str] = []
        if terms.earns_points:
            if terms.best_earn_percent != terms.earn_percent:
                lines.append(
                    self.tr(
                        "{low}% of every purchase back in points, up to {high}% at {tier}"
                    ).format(
                        low=terms.earn_percent, high=terms.best_earn_percent, tier=terms.top_tier
                    )
                )
            else:
                lines.append(
                    self.tr("{low}% of every purchase back in points").format(
                        low=terms.earn_percent
                    )
                )
            lines.append(
                self.tr("1 point = {money}; points pay up to {cap}% of a purchase").format(
                    money=format_money(terms.point_value, self.currency),
                    cap=terms.redeem_cap_percent,
                )
            )
        if terms.gives_discount and terms.best_discount_percent != "0":
            lines.append(
                self.tr("Discounts up to {pct}% at {tier}").format(
                    pct=terms.best_discount_percent, tier=terms.top_tier
                )
            )
        if terms.welcome_points:
            lines.append(
                self.tr("{points} points as a welcome gift").format(
                    points=format_points(terms.welcome_points)
                )
            )
        if terms.birthday_points:
            lines.append(
                self.tr("{points} points for your birthday").format(
                    points=format_points(terms.birthday_points)
                )
            )
        if terms.expiry_days:
            days = terms.expiry_days
            if days == 365:
                lines.append(self.tr("Points stay valid for a year"))
            elif days % 365 == 0:
                lines.append(self.tr("Points stay valid for {n} years").format(n=days // 365))
            else:
                lines.append(self.tr("Points stay valid for {n} days").format(n=days))
        return lines

    def _greet(self, greeting: Greeting) -> None:
        name = greeting.first_name
        if greeting.birthday:
            self.hello.setText(self.tr("Hello, {name}!").format(name=name))
            self.birthday.setText(self.tr("Happy birthday! 🎉"))
            self.birthday.show()
        else:
            self.hello.setText(
                self.tr("Hello, {name}!").format(name=name) if name else self.tr("Hello!")
            )
            self.birthday.hide()
        self.balance.setText(format_points(greeting.balance))
        self._progress(self.customer_bar, self.customer_tier, greeting.progress)

    def _show_sale_facts(self, facts: SaleFacts) -> None:
        self.thanks.setText(
            self.tr("Thank you, {name}!").format(name=facts.first_name)
            if facts.first_name
            else self.tr("Thank you!")
        )
        earned = facts.points_earned + facts.bonus_points
        self.earned.setText("+" + format_points(earned) if earned else "0")
        self.new_balance.setText(format_points(facts.balance or 0))
        if facts.points_redeemed:
            self.redeemed.setText(
                self.tr("You paid with {points} points").format(
                    points=format_points(facts.points_redeemed)
                )
            )
            self.redeemed.show()
        else:
            self.redeemed.hide()
        if facts.tier_up:
            self.tier_up.setText(self.tr("Welcome to {tier}!").format(tier=facts.tier_up))
            self.tier_up.show()
        else:
            self.tier_up.hide()
        if facts.progress is not None:
            self._progress(self.sale_bar, self.sale_tier, facts.progress)
        else:
            self.sale_bar.hide()
            self.sale_tier.hide()

    def _progress(self, bar: QProgressBar, text: QLabel, progress: TierProgress) -> None:
        bar.setValue(progress.percent)
        bar.show()
        text.show()
        if progress.next_tier is None:
            text.setText(self.tr("{tier} — our highest level").format(tier=progress.tier))
        else:
            text.setText(
                self.tr("{tier} · {money} more to {next}").format(
                    tier=progress.tier,
                    money=format_money(progress.to_next or 0, self.currency),
                    next=progress.next_tier,
                )
            )

    def _clear_customer_text(self) -> None:
        """No trace of the previous customer may stay in any label, shown or hidden."""
        for widget in (
            self.hello,
            self.birthday,
            self.balance,
            self.customer_tier,
            self.thanks,
            self.tier_up,
            self.earned,
            self.new_balance,
            self.redeemed,
            self.sale_tier,
        ):
            widget.clear()
        self.customer_bar.setValue(0)
        self.sale_bar.setValue(0)

    def _choose(self, cell: QLabel, chosen: bool) -> None:
        cell.setProperty("chosen", chosen)
        cell.style().unpolish(cell)
        cell.style().polish(cell)

    def _on_data_changed(self, kinds: set[str]) -> None:
        if self.customer_id is None and kinds & {"program", "settings"}:
            self.show_idle()

    def visible_text(self) -> str:
        """Everything the customer can read right now (for tests and the support log)."""
        page = self.pages.currentWidget()
        parts = [self.shop.text()]
        parts += [w.text() for w in page.findChildren(QLabel) if w.isVisibleTo(page) and w.text()]
        return "\n".join(parts)


# -- the link the counter talks to --------------------------------------------------------------


class CustomerDisplayLink(QObject):
    """One per till window: opens or closes the display as the owner chose, and forwards the
    counter's calls to it (doing nothing while no display is open, so the counter need not ask).
    """

    def __init__(self, services: AppServices, settings: QSettings | None = None) -> None:
        super().__init__()
        self.services = services
        self.settings = settings
        self.display: CustomerDisplay | None = None

    def apply_preference(self) -> str:
        """Open the display on the chosen monitor, or close it; returns why not, if not."""
        pref = display_preference(self.settings)
        if not pref.enabled:
            self.close()
            return ""
        problem = second_screen_status()
        if problem:
            self.close()
            return problem
        screens = customer_screens()
        screen = next((s for s in screens if s.name() == pref.screen_name), screens[0])
        if self.display is None:
            self.display = CustomerDisplay(self.services)
        self.display.place_on(screen)
        return ""

    def close(self) -> None:
        if self.display is not None:
            self.display.close()
            self.display.deleteLater()
            self.display = None

    def show_customer(self, view: CustomerView) -> None:
        if self.display is not None:
            self.display.show_customer(view)

    def show_sale(self, result: SaleResult, view: CustomerView | None = None) -> None:
        if self.display is not None:
            self.display.show_sale(result, view)

    def ask_nps(self) -> None:
        if self.display is not None:
            self.display.ask_nps()

    def nps_answered(self, score: int) -> None:
        if self.display is not None:
            self.display.nps_answered(score)

    def show_idle(self) -> None:
        if self.display is not None:
            self.display.show_idle()


_LINKS: dict[int, CustomerDisplayLink] = {}


def display_link(services: AppServices) -> CustomerDisplayLink:
    """The window's one link (made on first use), shared by the counter and the Devices screen."""
    link = _LINKS.get(id(services))
    if link is None:
        link = CustomerDisplayLink(services)
        _LINKS[id(services)] = link
        link.destroyed.connect(lambda *_: _LINKS.pop(id(services), None))
    return link

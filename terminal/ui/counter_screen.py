"""The Counter (F1): scan, type the amount, Enter. The screen a cashier looks at all day.

Flow: a scan (anywhere, any time) shows the customer; the amount field has focus; ``+``/``-``/``*``
choose points; the quote updates on every keystroke; Enter commits ONE sale (its id is made when
the cashier first confirms, so a double Enter or a retry replays instead of charging twice); the
result says what to tell the customer; Esc or the next scan starts the next customer.

Errors are inline messages (and a beep for a bad scan), never a dialog to close.

When the shop has cashiers, the counter asks "Who is at the till?" (PIN, Enter) in place of the
sale panel at start and after Ctrl+L "Switch cashier"; scans keep working meanwhile, and the
signed-in person's id goes on every sale (a shop with no cashiers is never asked).
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from terminal.app.counter import Counter, PricedSale, SaleRequest
from terminal.app.customers import Customers
from terminal.app.nps import Nps
from terminal.app.program import ProgramBook
from terminal.app.results import CustomerView, SaleResult
from terminal.app.slip import SlipOutcome, SlipPrinter
from terminal.app.staff import StaffView
from terminal.core.errors import (
    DatabaseBusy,
    InvalidInput,
    LoyaltyError,
    QuoteOutdated,
    StorageError,
)
from terminal.core.ids import new_id
from terminal.core.money import parse_amount
from terminal.core.slip_text import SlipData
from terminal.i18n_text import plural_text, sentence_text
from terminal.ui import counter_theme, feedback_sound
from terminal.ui.counter_theme import restyle
from terminal.ui.customer_display import display_link
from terminal.ui.customer_lookup import CustomerLookup
from terminal.ui.customer_panel import CustomerPanel, key_hint
from terminal.ui.messages import message_for
from terminal.ui.money_format import format_money, format_points
from terminal.ui.nps_prompt import NpsPrompt
from terminal.ui.sale_panel import SalePanel
from terminal.ui.screens import ScreenSpec, register_screen, tr_title
from terminal.ui.services import AppServices
from terminal.ui.slip_printing import print_in_background
from terminal.ui.till_sign_in import TillSignIn

log = logging.getLogger("counter")

BUSY_RETRIES = 3
BUSY_RETRY_MS = 400
# Asking Qt Multimedia for cameras costs ~0.4 s the first time: done after the first paint, so
# the counter is ready to scan at once; the camera key appears a moment later on a till with one.
CAMERA_CHECK_MS = 600
CAMERA_KEY = "Ctrl+K"
# The customer display keeps "you earned N points" up this long before it asks the 0–10 question.
DISPLAY_NPS_AFTER_MS = 4000
IDLE_CHECK_MS = 15_000  # how often the counter asks whether the cashier has been idle too long
PRINT_SLIP_AGAIN_KEY = "Ctrl+P"
SWITCH_CASHIER_KEY = "Ctrl+L"


class CounterScreen(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.till = services.till
        self.currency = self.till.currency()
        self.customers = Customers(self.till)
        self.counter = Counter(self.till)
        self.view: CustomerView | None = None
        self.cardless = False
        self.priced: PricedSale | None = None
        self.sale_id: str | None = None
        self.done: SaleResult | None = None
        self.last_unknown_card: str | None = None
        self.unprinted_slip: SlipData | None = None  # the last slip the printer refused
        self.has_camera = False
        self._busy_tries = 0
        self._confirm_after_sign_in = False
        self._display_nps = QTimer(self)
        self._display_nps.setSingleShot(True)
        self._display_nps.timeout.connect(lambda: display_link(self.services).ask_nps())
        self.idle_check = QTimer(self)
        self.idle_check.setInterval(IDLE_CHECK_MS)
        self.idle_check.timeout.connect(self.sign_out_if_idle)
        self.idle_check.start()
        counter_theme.apply(self)
        self._build()
        self._shortcuts()
        services.data.changed.connect(self._on_data_changed)
        QTimer.singleShot(CAMERA_CHECK_MS, self.check_camera)

    # -- building ------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 12)
        outer.setSpacing(10)
        top = QHBoxLayout()
        self.finder = CustomerLookup(self.customers, self.currency, self)
        self.lookup = self.finder.field
        self.results = self.finder.results
        self.results_model = self.finder.model
        top.addWidget(self.lookup, 1)
        top.addWidget(key_hint("F3", self.tr("Find")))
        top.addWidget(key_hint("F4", self.tr("New customer")))
        self.camera_button = QPushButton(self.tr("Camera  {key}").format(key=CAMERA_KEY))
        self.camera_button.setObjectName("cameraButton")
        self.camera_button.setToolTip(self.tr("Read a card or a phone's QR code with the webcam"))
        self.camera_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Enter stays the sale's key
        self.camera_button.clicked.connect(self.scan_with_camera)
        self.camera_button.hide()  # shown by check_camera() when the till has a webcam
        top.addWidget(self.camera_button)
        self.cashier_button = QPushButton()
        self.cashier_button.setObjectName("cashierButton")
        self.cashier_button.setToolTip(self.tr("Who is at the till: sales are recorded as theirs"))
        self.cashier_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cashier_button.clicked.connect(self.switch_cashier)
        self.cashier_button.hide()  # only in a shop with cashiers
        top.addWidget(self.cashier_button)
        outer.addLayout(top)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(44)
        outer.addWidget(self.message)

        main = QHBoxLayout()
        main.setSpacing(14)
        left = QWidget()
        self.left_pages = QStackedLayout(left)
        self.panel = CustomerPanel(self.currency)
        self.panel.feedbackRequested.connect(self.record_feedback)
        self.left_pages.addWidget(self.panel)
        self.left_pages.addWidget(self.results)
        main.addWidget(left, 11)
        self.sale = SalePanel(self.currency)
        self.sale.set_categories(self._categories())
        self.sale.changed.connect(self.requote)
        self.sale.confirm.connect(self.confirm)
        self.nps = NpsPrompt()
        self.nps.answered.connect(self._nps_answered)
        self.nps.skipped.connect(self.next_customer)
        self.sale.extra.addWidget(self.nps)
        right = QWidget()
        self.right_pages = QStackedLayout(right)
        self.right_pages.addWidget(self.sale)
        self.sign_in = TillSignIn(self.services.access)
        self.sign_in.signedIn.connect(self._signed_in)
        self.right_pages.addWidget(self.sign_in)
        main.addWidget(right, 10)
        outer.addLayout(main, 1)
        self.finder.card.connect(self.handle_scan)
        self.finder.picked.connect(self._pick)
        self.finder.listed.connect(lambda: self.left_pages.setCurrentWidget(self.results))
        self.finder.message.connect(self.say)
        self.setTabOrder(self.lookup, self.sale.amount)
        self.sale.set_cardless(False, False)
        self.say("")

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in (
            ("F3", self.focus_lookup),
            ("F4", self.register_customer),
            ("F5", self.start_cardless),
            (CAMERA_KEY, self.scan_with_camera),
            ("Ctrl+M", self.record_feedback),
            (PRINT_SLIP_AGAIN_KEY, self.print_slip_again),
            (SWITCH_CASHIER_KEY, self.switch_cashier),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys the focused field did not use: Esc and the screen's F-keys."""
        if event.key() == Qt.Key.Key_Escape:
            self.next_customer()
            return
        if event.key() in (Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_F5):
            {
                Qt.Key.Key_F3: self.focus_lookup,
                Qt.Key.Key_F4: self.register_customer,
                Qt.Key.Key_F5: self.start_cardless,
            }[Qt.Key(event.key())]()
            return
        super().keyPressEvent(event)

    # -- messages ------------------------------------------------------------------------

    def say(self, text: str, tone: str = "error") -> None:
        """One inline line; the space is always kept so nothing jumps when a message comes."""
        if not text and self.signing_in():
            text, tone = self.tr("Who is at the till? Type your PIN on the right."), "info"
        self.message.setText(text or self.tr("●  Ready — scan the next card"))
        self.message.setProperty("tone", tone if text else "ready")
        restyle(self.message)

    def error(self, exc: LoyaltyError, *, beep: bool = False) -> None:
        self.say(message_for(exc), "error")
        if beep:
            feedback_sound.bad_scan()

    def screen_shown(self) -> None:
        self.check_sign_in()
        self.focus_work()

    def focus_work(self) -> None:
        """Where the keyboard belongs now: the PIN while someone must sign in, else the amount."""
        if self.signing_in():
            self.sign_in.pin.setFocus()
        else:
            self.sale.amount.setFocus()

    # -- who is at the till --------------------------------------------------------------

    def signing_in(self) -> bool:
        return self.right_pages.currentWidget() is self.sign_in

    def check_sign_in(self, why: str = "") -> bool:
        """Ask "Who is at the till?" when the shop has cashiers and nobody is signed in.
        Returns True when the panel is up."""
        needed = self.services.access.till_sign_in_needed()
        if needed and not self.signing_in():
            self.right_pages.setCurrentWidget(self.sign_in)
            self.sign_in.ask(why)
            # "ready", or a confirmation such as "Hello, Ivan!…" that is no longer true once
            # the panel asks who is at the till; an error or a warning stays to be read
            if self.message.property("tone") in ("ready", "ok"):
                self.say("")
        elif not needed and self.signing_in():
            self.right_pages.setCurrentWidget(self.sale)
        self._show_cashier()
        return needed

    def sign_out_if_idle(self) -> None:
        """The owner's "sign the cashier out after N minutes": the next person types their PIN
        (a sale already on the screen stays there for them)."""
        minutes = self.services.access.sign_out_if_idle()
        if not minutes:
            return
        self._confirm_after_sign_in = False
        self.check_sign_in(
            plural_text(
                "CounterScreen",
                "Signed out after %n minute(s) without a key press. Who is at the till?",
                minutes,
            )
        )
        if self.isVisible():
            self.focus_work()

    def _show_cashier(self) -> None:
        person = self.services.access.till_person()
        if person is not None:
            self.cashier_button.setText(
                self.tr("Cashier: {name}  ·  Switch  {key}").format(
                    name=person.name, key=SWITCH_CASHIER_KEY
                )
            )
        else:
            self.cashier_button.setText(self.tr("Nobody at the till"))
        self.cashier_button.setVisible(person is not None or self.signing_in())

    def switch_cashier(self) -> None:
        """Ctrl+L: whoever was at the till leaves; the next person types their PIN."""
        if self.services.access.till_person() is None and not self.check_sign_in():
            self.say(
                self.tr(
                    "No cashiers are set up, so nobody needs to sign in. The owner adds "
                    "cashiers on the Staff screen (Ctrl+F10)."
                ),
                "info",
            )
            return
        if self.done is not None:
            self.next_customer()
        self._confirm_after_sign_in = False
        self.services.access.sign_out_at_till()
        self.check_sign_in()
        self.focus_work()

    def _signed_in(self, person: StaffView) -> None:
        self.right_pages.setCurrentWidget(self.sale)
        self._show_cashier()
        self.say(
            self.tr("Hello, {name}! Sales are now recorded as yours.").format(name=person.name),
            "ok",
        )
        self.sale.amount.setFocus()
        if self._confirm_after_sign_in:
            self._confirm_after_sign_in = False
            self.confirm()

    # -- customers -----------------------------------------------------------------------

    def handle_scan(self, code: str) -> bool:
        """A scanner burst anywhere on this screen: show that customer, keep a typed amount."""
        self.nps.hide()
        if self.done is not None:
            self.next_customer()
        try:
            view = self.customers.by_card(code)
        except LoyaltyError as exc:
            self.last_unknown_card = (
                exc.params.get("card") if exc.code == "card_not_found" else None
            )
            log.info("scan refused: %s", exc.code)
            self.error(exc, beep=True)
            return True
        self.last_unknown_card = None
        self.show_customer(view)
        return True

    def show_customer(self, view: CustomerView) -> None:
        self.view = view
        self.cardless = False
        self.sale_id = None
        self.left_pages.setCurrentWidget(self.panel)
        self.panel.show_customer(view)
        self.sale.set_cardless(False, True)
        self.say("")
        self.focus_work()
        self.requote()
        display_link(self.services).show_customer(view)

    def focus_lookup(self) -> None:
        self.finder.focus()

    def _pick(self, customer_id: str) -> None:
        try:
            self.show_customer(self.customers.get(customer_id))
        except LoyaltyError as exc:
            self.error(exc)

    def next_customer(self) -> None:
        """Esc: forget this customer and sale; the till is ready for the next scan."""
        if self.left_pages.currentWidget() is self.results and self.view is None:
            self.left_pages.setCurrentWidget(self.panel)
        self.view = None
        self.cardless = False
        self.priced = None
        self.sale_id = None
        self.done = None
        self._busy_tries = 0
        self.nps.hide()
        self.panel.clear()
        self.left_pages.setCurrentWidget(self.panel)
        self.sale.reset()
        self.sale.set_cardless(False, False)
        self.say("")
        self.focus_work()
        self._display_nps.stop()
        display_link(self.services).show_idle()

    def start_cardless(self) -> None:
        """F5: a sale without a loyalty card, then offer to register the customer."""
        amount = self.sale.amount.text() if self.done is None else ""
        self.next_customer()
        self.cardless = True
        self.sale.amount.setText(amount)
        self.sale.set_cardless(True, False)
        self.say(self.tr("Sale without a card: type the amount and press Enter."), "info")
        self.requote()

    def register_customer(self) -> None:
        from terminal.ui.registration import RegistrationDialog

        if self.check_sign_in():
            self.sign_in.ask(self.tr("Type your PIN first: registrations are recorded as yours."))
            return
        dialog = RegistrationDialog(self.services, card_number=self.last_unknown_card, parent=self)
        if dialog.exec() and dialog.customer_id:
            self.last_unknown_card = None
            keep = self.sale.amount.text() if self.done is None else ""
            self.show_customer(self.customers.get(dialog.customer_id))
            if keep:
                self.sale.amount.setText(keep)
                self.requote()
            if dialog.enrolled is not None:
                self.say(
                    self.tr(
                        "Welcome, {name}! Card {card} is theirs, with {points} welcome points."
                    ).format(
                        name=dialog.enrolled.name,
                        card=dialog.enrolled.card,
                        points=format_points(dialog.enrolled.welcome_points),
                    ),
                    "ok",
                )
        self.focus_work()

    # -- the sale ------------------------------------------------------------------------

    def _request(self) -> SaleRequest | None:
        """The sale as typed, or None with the reason shown (nothing typed yet: no message)."""
        text = self.sale.amount.text().strip()
        if not text:
            return None
        amount = parse_amount(text, self.currency.decimals)
        if self.cardless:
            return SaleRequest(None, amount, category=self.sale.category())
        assert self.view is not None
        if self.view.card is None:
            raise InvalidInput(
                self.tr("This customer has no working card. Give them a new one at the desk (F2).")
            )
        return SaleRequest(self.view.card, amount, self.sale.redeem(), self.sale.category())

    def requote(self) -> None:
        if self.done is not None:
            return
        self.priced = None
        if self.view is None and not self.cardless:
            self.sale.show_quote(None)
            return
        try:
            request = self._request()
            if request is None:
                self.sale.show_quote(None)
                if self.message.property("tone") == "error":
                    self.say("")
                return
            self.priced = self.counter.quote(request)
        except LoyaltyError as exc:
            self.sale.show_quote(None)
            self.error(exc)
            return
        if self.message.property("tone") == "error":
            self.say("")
        if self.priced.quote is None:
            self.sale.show_cardless_total(self.priced.request.amount)
        else:
            self.sale.show_quote(self.priced.quote)
            if self.view is not None:
                self.panel.show_customer(self.view, self.priced.quote.tier_up)

    def confirm(self) -> None:
        """Enter: commit the sale once. A second Enter after success changes nothing."""
        if self.done is not None:
            return
        if self.view is None and not self.cardless:
            self.say(
                self.tr("Scan the customer's card first, or press F5 for a sale without a card."),
                "info",
            )
            return
        if self.priced is None:  # commit exactly the figures on the screen, never fresher ones
            self.requote()
        if self.priced is None:
            if not self.sale.amount.text().strip():
                self.say(self.tr("Type the amount first."), "info")
            return
        if self.check_sign_in(
            self.tr("Type your PIN: the sale is saved as soon as you are signed in.")
        ):
            self._confirm_after_sign_in = True
            return
        if self.sale_id is None:
            self.sale_id = new_id()  # once per sale: a retry or double Enter reuses it
        try:
            result = self.counter.commit(self.priced, self.sale_id, self.services.cashier_id)
        except QuoteOutdated as exc:
            self._refresh_view()
            self.requote()
            self.error(exc)
            return
        except DatabaseBusy as exc:
            self._busy_tries += 1
            if self._busy_tries <= BUSY_RETRIES:
                self.say(message_for(exc), "info")
                QTimer.singleShot(BUSY_RETRY_MS, self.confirm)
            else:
                self._busy_tries = 0
                self.say(
                    self.tr(
                        "The database is still busy. Nothing was charged; press Enter to try again."
                    )
                )
            return
        except StorageError as exc:
            log.error("sale not saved: %s", exc.code)
            self.error(exc)
            return
        except InvalidInput as exc:
            self.error(exc)
            return
        except LoyaltyError as exc:
            self.error(exc)
            return
        self._busy_tries = 0
        self._sale_done(result)

    def _sale_done(self, result: SaleResult) -> None:
        self.done = result
        self.sale.set_editable(False)
        self.say("")
        log.info("sale %s committed%s", result.sale_id, " (replayed)" if result.replayed else "")
        if result.customer_id is None:
            self.sale.show_result(
                self.tr(
                    "Sale saved: {money}. No card? Offer one — F4 registers them in a minute."
                ).format(money=format_money(result.to_pay, self.currency))
            )
        else:
            self.sale.show_result(self.customer_sentence(result))
            self._refresh_view()
            if self.view is not None:
                self.panel.show_customer(self.view, result.tier_up)
        self.services.announce("sale")
        if not result.replayed:  # a replay was already shown and printed the first time
            display_link(self.services).show_sale(result, self.view)
            if result.customer_id is not None:
                self._print_slip(result)
        if result.customer_id is not None and not result.replayed and Nps(self.till).enabled():
            self.nps.ask()
            self._display_nps.start(DISPLAY_NPS_AFTER_MS)
        else:
            self.sale.amount.setFocus()

    def customer_sentence(self, result: SaleResult) -> str:
        """What the cashier reads out, e.g. "You earned 37 points, balance 412".

        The counts are %n plurals, as the cashier says them aloud: "1 point", not "1 points"
        (and the three Russian and Ukrainian forms)."""
        bonus = sum(b.points for b in result.bonuses)
        parts = []
        if result.points_redeemed:
            parts.append(
                plural_text(
                    "CounterScreen", "You used %n point(s) ({money}).", result.points_redeemed
                ).format(money=format_money(result.redeemed_value, self.currency))
            )
        if bonus:
            parts.append(
                plural_text(
                    "CounterScreen",
                    "You earned %n point(s) and a {bonus}-point bonus, balance {balance}.",
                    result.points_earned,
                ).format(bonus=format_points(bonus), balance=format_points(result.balance or 0))
            )
        else:
            parts.append(
                plural_text(
                    "CounterScreen",
                    "You earned %n point(s), balance {balance}.",
                    result.points_earned,
                ).format(balance=format_points(result.balance or 0))
            )
        if result.tier_up:
            parts.append(self.tr("Welcome to {tier}!").format(tier=result.tier_up))
        parts.append(
            self.tr("To pay: {money}").format(money=format_money(result.to_pay, self.currency))
        )
        return " ".join(parts)

    def _nps_answered(self, score: int) -> None:
        if self.done is None:
            return
        try:
            Nps(self.till).record(score, self.done.sale_id)
        except LoyaltyError as exc:
            self.error(exc)
            return
        self.say(
            self.tr("Thank you! Score {score} saved. Scan the next card.").format(score=score), "ok"
        )
        self.sale.amount.setFocus()
        self._display_nps.stop()
        display_link(self.services).nps_answered(score)

    # -- the loyalty slip ----------------------------------------------------------------

    def _print_slip(self, result: SaleResult) -> None:
        """After the commit, when the owner switched slips on: printed off the UI thread, so a
        slow or missing printer never holds the next customer."""
        try:
            printer = SlipPrinter(self.till)
            if not printer.settings().enabled:
                return
        except LoyaltyError as exc:  # the sale is saved; only the slip is in doubt
            log.warning("slip settings unreadable: %s", exc.code)
            return
        print_in_background(lambda: printer.print_sale(result), self._slip_done)

    def print_slip_again(self) -> None:
        """Ctrl+P: send the slip the printer refused once more (after fixing paper or cable)."""
        data = self.unprinted_slip
        if data is None:
            return
        self.say(self.tr("Printing the slip again…"), "info")
        print_in_background(lambda: SlipPrinter(self.till).print_slip(data), self._slip_done)

    def _slip_done(self, outcome: SlipOutcome) -> None:
        if not shiboken6.isValid(self):  # the window closed while the printer was thinking
            return
        if outcome.printed:
            if self.unprinted_slip is not None and outcome.data == self.unprinted_slip:
                self.unprinted_slip = None
                self.say(self.tr("Slip printed."), "ok")
            return
        if not outcome.message:
            return
        self.unprinted_slip = outcome.data
        again = (
            " " + self.tr("{key} prints it again.").format(key=PRINT_SLIP_AGAIN_KEY)
            if outcome.data is not None
            else ""
        )
        self.say(
            self.tr("The sale is saved. {problem}").format(problem=sentence_text(outcome.message))
            + again,
            "info",
        )

    def record_feedback(self) -> None:
        """Ctrl+M: a complaint or suggestion from the customer at the counter."""
        if self.view is None:
            self.say(self.tr("Scan the customer's card first, then press Ctrl+M."), "info")
            return
        from terminal.ui import feedback_screen

        item = feedback_screen.open_feedback_dialog(self.services, self, self.view.customer_id)
        if item is not None:
            self.say(self.tr("Thank you: the owner will read it in Feedback (F10)."), "ok")
        self.focus_work()

    # -- the camera ----------------------------------------------------------------------

    def check_camera(self) -> None:
        """Show the camera key only on a till with a webcam (none: no button, no dead key)."""
        if not shiboken6.isValid(self):
            return
        from terminal.ui import camera_scanner  # Qt Multimedia loads only when asked

        self.has_camera = camera_scanner.camera_available()
        self.camera_button.setVisible(self.has_camera)

    def scan_with_camera(self) -> None:
        """Ctrl+K: read the card with the webcam; the number goes the way of a scanner burst."""
        if not self.has_camera:
            return
        from terminal.ui import camera_scanner

        dialog = camera_scanner.CameraScanDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.cardScanned.connect(self.handle_scan)
        dialog.finished.connect(lambda _r: QTimer.singleShot(0, self.focus_work))
        dialog.open()  # window-modal, no nested event loop: scans keep flowing to the counter

    def _refresh_view(self) -> None:
        if self.view is None or self.view.customer_id is None:
            return
        try:
            self.view = self.customers.get(self.view.customer_id)
        except LoyaltyError as exc:
            self.error(exc)

    def _categories(self) -> tuple[str, ...]:
        return ProgramBook(self.till).current().program.categories

    def _on_data_changed(self, kinds: set[str]) -> None:
        if "program" in kinds:
            self.sale.set_categories(self._categories())
            self.requote()
        if self.view is not None and self.done is None and kinds & {"customer", "card"}:
            self._refresh_view()
            if self.view is not None:
                self.panel.show_customer(self.view)


def _make(services: AppServices, parent: QWidget | None) -> QWidget:
    return CounterScreen(services, parent)


register_screen(ScreenSpec(key="counter", title=tr_title("Counter"), shortcut="F1", factory=_make))

"""Devices (F12, owner): the customer display and the slip printer.

The customer display is a choice of this machine (which of its monitors faces the customer), so
it is kept in ``QSettings``; with one monitor the option says what to plug in instead of
failing. The slip printer is a shop setting (saved in the database with the program), checked
before it is saved, with a "print test slip" button that reports in plain words.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from terminal.app.slip import SlipOutcome, SlipPrinter
from terminal.core.errors import LoyaltyError
from terminal.i18n_text import error_text, sentence_text
from terminal.ui.counter_theme import TONES
from terminal.ui.customer_display import (
    DisplayPreference,
    customer_screens,
    display_link,
    display_preference,
    save_display_preference,
    screen_label,
    second_screen_status,
)
from terminal.ui.screens import ScreenSpec, register_screen, tr_title
from terminal.ui.services import AppServices
from terminal.ui.slip_printing import print_in_background


def _say(label: QLabel, text: str, tone: str) -> None:
    label.setStyleSheet(f"color: {TONES[tone]}; font-size: 15px; font-weight: 600;")
    label.setText(text)


class ShopDevicesScreen(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.slips = SlipPrinter(services.till)
        self.link = display_link(services)
        self._build()
        self.load()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 18)
        outer.setSpacing(16)
        title = QLabel(self.tr("Devices"))
        title.setStyleSheet("font-size: 24px; font-weight: 700;")
        outer.addWidget(title)
        outer.addWidget(self._display_box())
        outer.addWidget(self._printer_box())
        outer.addStretch(1)

    def _display_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Customer display"))
        layout = QVBoxLayout(box)
        self.display_on = QCheckBox(
            self.tr("Show points and greetings to the customer on a second monitor")
        )
        layout.addWidget(self.display_on)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Monitor:")))
        self.display_screen = QComboBox()
        self.display_screen.setMinimumWidth(360)
        row.addWidget(self.display_screen)
        row.addStretch(1)
        self.display_apply = QPushButton(self.tr("Save and open the display"))
        self.display_apply.clicked.connect(self.save_display)
        row.addWidget(self.display_apply)
        layout.addLayout(row)
        self.display_status = QLabel()
        self.display_status.setWordWrap(True)
        layout.addWidget(self.display_status)
        return box

    def _printer_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Slip printer (ESC/POS receipt printer)"))
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(12)
        self.slip_on = QCheckBox(self.tr("Print a loyalty slip after each sale with a card"))
        grid.addWidget(self.slip_on, 0, 0, 1, 3)
        grid.addWidget(QLabel(self.tr("Printer address:")), 1, 0)
        self.slip_address = QLineEdit()
        self.slip_address.setPlaceholderText("network:192.168.1.50")
        self.slip_address.setMinimumWidth(320)
        grid.addWidget(self.slip_address, 1, 1)
        hint = QLabel(
            self.tr(
                "usb:VID:PID (e.g. usb:0416:5011), serial:/dev/ttyUSB0 (Windows: serial:COM3), "
                "network:192.168.1.50 — as written on the printer's self-test page"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5B6675;")
        grid.addWidget(hint, 2, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("Paper width:")), 3, 0)
        widths = QHBoxLayout()
        self.width_group = QButtonGroup(self)
        self.width_58 = QRadioButton(self.tr("58 mm"))
        self.width_80 = QRadioButton(self.tr("80 mm"))
        for button, mm in ((self.width_58, 58), (self.width_80, 80)):
            self.width_group.addButton(button, mm)
            widths.addWidget(button)
        widths.addStretch(1)
        grid.addLayout(widths, 3, 1)
        buttons = QHBoxLayout()
        self.slip_save = QPushButton(self.tr("Save"))
        self.slip_save.clicked.connect(self.save_printer)
        self.slip_test = QPushButton(self.tr("Print test slip"))
        self.slip_test.clicked.connect(self.print_test)
        buttons.addWidget(self.slip_save)
        buttons.addWidget(self.slip_test)
        buttons.addStretch(1)
        grid.addLayout(buttons, 4, 1)
        self.slip_status = QLabel()
        self.slip_status.setWordWrap(True)
        grid.addWidget(self.slip_status, 5, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        return box

    # -- loading and saving --------------------------------------------------------------

    def load(self) -> None:
        pref = display_preference(self.link.settings)
        screens = customer_screens()
        self.display_screen.clear()
        for screen in screens:
            self.display_screen.addItem(screen_label(screen), screen.name())
        problem = second_screen_status()
        self.display_on.setChecked(pref.enabled and not problem)
        for widget in (self.display_on, self.display_screen, self.display_apply):
            widget.setEnabled(not problem)
        if problem:
            _say(self.display_status, problem, "info")
        else:
            index = self.display_screen.findData(pref.screen_name)
            self.display_screen.setCurrentIndex(max(index, 0))
            _say(self.display_status, "", "muted")
        settings = self.slips.settings()
        self.slip_on.setChecked(settings.enabled)
        self.slip_address.setText(settings.printer)
        (self.width_58 if settings.width_mm == 58 else self.width_80).setChecked(True)

    def save_display(self) -> None:
        pref = DisplayPreference(
            self.display_on.isChecked(), str(self.display_screen.currentData() or "")
        )
        save_display_preference(pref, self.link.settings)
        problem = self.link.apply_preference()
        if problem:
            _say(self.display_status, problem, "info")
        elif pref.enabled:
            _say(self.display_status, self.tr("The customer display is on."), "ok")
        else:
            _say(self.display_status, self.tr("The customer display is off."), "ok")

    def save_printer(self) -> bool:
        try:
            saved = self.slips.save_settings(
                self.slip_on.isChecked(),
                self.slip_address.text(),
                self.width_group.checkedId() if self.width_group.checkedId() > 0 else 80,
            )
        except LoyaltyError as exc:
            _say(self.slip_status, error_text(exc), "error")
            return False
        self.slip_address.setText(saved.printer)
        self.services.announce("settings")
        _say(self.slip_status, self.tr("Printer settings saved."), "ok")
        return True

    def print_test(self) -> None:
        """Saved first (what is tested is what the counter will use), printed off the UI thread.

        Without an address there is nothing to try. The printing code's own words for that send
        the cashier at the counter to the Devices screen; the owner is on it already, so they are
        shown the field to fill instead.
        """
        if not self.save_printer():
            return
        if not self.slip_address.text().strip():
            _say(
                self.slip_status,
                self.tr("Type the printer's address in the field above, then print the test slip."),
                "error",
            )
            self.slip_address.setFocus()
            return
        self.slip_test.setEnabled(False)
        _say(self.slip_status, self.tr("Printing a test slip…"), "muted")
        print_in_background(self.slips.print_test, self._test_done)

    def _test_done(self, outcome: SlipOutcome) -> None:
        self.slip_test.setEnabled(True)
        if outcome.printed:
            _say(self.slip_status, self.tr("Test slip printed. Check the paper."), "ok")
        else:
            _say(self.slip_status, sentence_text(outcome.message), "error")


def _make(services: AppServices, parent: QWidget | None) -> QWidget:
    return ShopDevicesScreen(services, parent)


register_screen(
    ScreenSpec(
        key="devices",
        title=tr_title("Devices"),
        shortcut="F12",
        factory=_make,
        owner_only=True,
    )
)

"""Owner screen "Staff": cashiers and owners, their PINs, switching someone off, after how long
an idle cashier is signed out at the counter; and the audit log of owner actions. PINs are typed
masked and go straight to :class:`StaffRoster` (hashed)."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.app.staff import PIN_MAX, SIGN_OUT_CHOICES, StaffRoster, StaffView
from terminal.core.errors import LoyaltyError
from terminal.i18n_text import error_text, plural_text, sentence_text, short_datetime_format
from terminal.ui.report_tables import RowsModel
from terminal.ui.screens import ScreenSpec, register_screen, tr_title
from terminal.ui.services import AppServices


class StaffScreen(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.roster = StaffRoster(services.till)
        self.people: list[StaffView] = []
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Staff"))
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        layout.addWidget(title)
        form = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Name"))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(PIN_MAX)
        self.pin.setPlaceholderText(self.tr("PIN, 4–8 digits"))
        self.role = QComboBox()
        self.role.addItem(self.tr("Cashier"), "cashier")
        self.role.addItem(self.tr("Owner"), "owner")
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self._add)
        self.pin_button = QPushButton(self.tr("Set this PIN for the chosen person"))
        self.pin_button.clicked.connect(self._change_pin)
        self.off_button = QPushButton(self.tr("Switch on/off"))
        self.off_button.clicked.connect(self._toggle)
        for w in (
            self.name,
            self.pin,
            self.role,
            self.add_button,
            self.pin_button,
            self.off_button,
        ):
            form.addWidget(w)
        layout.addLayout(form)
        idle = QHBoxLayout()
        self.sign_out = QComboBox()
        for minutes in SIGN_OUT_CHOICES:
            self.sign_out.addItem(
                plural_text("StaffScreen", "after %n minute(s) without a key press", minutes)
                if minutes
                else self.tr("never"),
                minutes,
            )
        self.sign_out.activated.connect(self._set_sign_out)
        sign_out_label = QLabel(self.tr("Sign an idle cashier at this till out:"))
        sign_out_label.setBuddy(self.sign_out)
        idle.addWidget(sign_out_label)
        idle.addWidget(self.sign_out)
        idle.addStretch(1)
        layout.addLayout(idle)
        self.message = QLabel("")
        layout.addWidget(self.message)
        self.model = RowsModel([self.tr("Name"), self.tr("Role"), self.tr("Status")])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(self.tr("Owner actions")))
        self.audit_model = RowsModel([self.tr("When"), self.tr("Who"), self.tr("What")])
        audit = QTableView()
        audit.setModel(self.audit_model)
        audit.verticalHeader().setVisible(False)
        audit.horizontalHeader().setStretchLastSection(True)
        for column in (0, 1):  # the time and the name whole; the sentence takes the rest
            audit.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.audit = audit
        layout.addWidget(audit, 1)
        self.refresh()

    def screen_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.people = self.roster.list()
        roles = {"cashier": self.tr("Cashier"), "owner": self.tr("Owner")}
        self.model.set_rows(
            [
                [
                    p.name,
                    roles.get(p.role, p.role),
                    self.tr("Active") if p.active else self.tr("Switched off"),
                ]
                for p in self.people
            ],
            [p.id for p in self.people],
        )
        self.sign_out.setCurrentIndex(max(0, self.sign_out.findData(self.roster.sign_out_after())))
        locale = QLocale()
        self.audit_model.set_rows(
            [
                [locale.toString(a.at, short_datetime_format()), a.who, sentence_text(a.what)]
                for a in self.roster.audit_log()
            ]
        )

    def _actor(self) -> str:
        return self.services.access.current_staff_id() or ""

    def _chosen(self) -> StaffView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText(self.tr("Choose a person in the list first."))
            return None
        return self.people[rows[0].row()]

    def _run(self, action, done: str) -> None:  # type: ignore[no-untyped-def]
        try:
            action()
        except LoyaltyError as exc:
            self.message.setText(error_text(exc))
            return
        self.pin.clear()
        self.message.setText(done)
        self.refresh()

    def _add(self) -> None:
        self._run(
            lambda: self.roster.add(
                self._actor(), self.name.text(), self.pin.text(), self.role.currentData()
            ),
            self.tr("Added."),
        )
        if self.message.text() == self.tr("Added."):
            self.name.clear()

    def _change_pin(self) -> None:
        person = self._chosen()
        if person is not None:
            self._run(
                lambda: self.roster.change_pin(self._actor(), person.id, self.pin.text()),
                self.tr("PIN changed."),
            )

    def _toggle(self) -> None:
        person = self._chosen()
        if person is not None:
            self._run(
                lambda: self.roster.set_active(self._actor(), person.id, not person.active),
                self.tr("Saved."),
            )

    def _set_sign_out(self, _index: int) -> None:
        minutes = int(self.sign_out.currentData())
        self._run(lambda: self.roster.set_sign_out_after(self._actor(), minutes), self.tr("Saved."))


def _make(services: AppServices, parent: QWidget | None) -> QWidget:
    return StaffScreen(services, parent)


register_screen(
    ScreenSpec(
        key="staff",
        title=tr_title("Staff"),
        shortcut="Ctrl+F10",
        factory=_make,
        owner_only=True,
    )
)

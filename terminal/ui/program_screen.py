"""Program (F8, owner): edit the loyalty program, see what it means on a real check, save it.

The form on the left holds every rule; the right side answers the owner's two questions before
saving: "what does a customer get?" (a live worked example computed by the app, not here) and
"what exactly am I changing?" (the differences from the version in force, in plain words).
Saving makes a new version; nothing about past sales changes.
"""

from __future__ import annotations

import html
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from terminal.app.program import (
    ProgramBook,
    ProgramInfo,
    describe_changes,
    parse_program_file,
    worked_example,
)
from terminal.core.checkout import MAX, NONE
from terminal.core.errors import InvalidInput, LoyaltyError
from terminal.core.money import Currency
from terminal.core.program import Program, ProgramKind
from terminal.i18n_text import error_text, sentence_text
from terminal.ui import program_form as form
from terminal.ui.money_format import format_money, format_points, format_time
from terminal.ui.screens import ScreenSpec, register_screen, tr_title
from terminal.ui.services import AppServices

log = logging.getLogger("program")

TIER_COLUMNS = 4
PROMO_KEYS = ("name", "multiplier", "extra", "days", "hours", "dates", "categories")


class ProgramScreen(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.book = ProgramBook(services.till)
        self.currency: Currency = services.till.currency()
        self.info: ProgramInfo = self.book.current()
        self.draft: Program | None = self.info.program
        self._loading = False
        self._refresh = QTimer(self, singleShot=True, interval=150)
        self._refresh.timeout.connect(self.recompute)
        self._build()
        self.load(self.info.program)
        services.data.changed.connect(self._on_data_changed)

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(16)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        left = QVBoxLayout(body)
        left.setContentsMargins(0, 0, 8, 0)
        scroll.setWidget(body)
        outer.addWidget(scroll, 3)

        self.title = QLabel()
        self.title.setObjectName("screenTitle")
        self.title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.title.setWordWrap(True)
        left.addWidget(self.title)

        kind_box = QGroupBox(self.tr("What customers get"))
        kind_row = QHBoxLayout(kind_box)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[ProgramKind, QRadioButton] = {}
        for kind, text in (
            (ProgramKind.BONUS, self.tr("Points (cash-back)")),
            (ProgramKind.DISCOUNT, self.tr("Discount")),
            (ProgramKind.HYBRID, self.tr("Discount and points")),
        ):
            button = QRadioButton(text)
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            kind_row.addWidget(button)
            button.toggled.connect(self._changed)
        kind_row.addStretch()
        left.addWidget(kind_box)

        tiers_box = QGroupBox(self.tr("Tiers (by lifetime paid)"))
        tiers_layout = QVBoxLayout(tiers_box)
        self.tiers = QTableWidget(0, TIER_COLUMNS)
        self.tiers.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("From (paid)"), self.tr("Points %"), self.tr("Discount %")]
        )
        self._table_style(self.tiers)
        tiers_layout.addWidget(self.tiers)
        tier_buttons = QHBoxLayout()
        add_tier = QPushButton(self.tr("Add tier"))
        add_tier.clicked.connect(lambda: self._add_row(self.tiers, ["", "", "", ""]))
        remove_tier = QPushButton(self.tr("Remove selected"))
        remove_tier.clicked.connect(lambda: self._remove_row(self.tiers))
        tier_buttons.addWidget(add_tier)
        tier_buttons.addWidget(remove_tier)
        tier_buttons.addStretch()
        tiers_layout.addLayout(tier_buttons)
        left.addWidget(tiers_box)

        points_box = QGroupBox(self.tr("Points"))
        points = QGridLayout(points_box)
        self.point_value = self._line(self.tr("e.g. 1.00"))
        self.redeem_cap = self._line("50")
        self.min_balance = self._line("0")
        self.min_check = self._line("0")
        self.expiry_days = self._line(self.tr("empty: never"))
        self.earn_on_redeemed = QCheckBox(self.tr("Earn on the part paid with points too"))
        self.earn_on_redeemed.toggled.connect(self._changed)
        cells = [
            (self.tr("One point is worth"), self.point_value),
            (self.tr("Points may pay up to, % of a check"), self.redeem_cap),
            (self.tr("Minimum balance to spend points"), self.min_balance),
            (self.tr("Minimum check to earn points"), self.min_check),
            (self.tr("Points expire after, days"), self.expiry_days),
        ]
        for i, (label, widget) in enumerate(cells):
            points.addWidget(QLabel(label), i // 2, (i % 2) * 2)
            points.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        points.addWidget(self.earn_on_redeemed, 2, 2, 1, 2)
        left.addWidget(points_box)

        bonus_box = QGroupBox(self.tr("Bonuses"))
        bonus = QGridLayout(bonus_box)
        self.welcome = self._line("100")
        self.birthday = self._line("200")
        self.birthday_window = self._line("7")
        self.referrer = self._line("100")
        self.newcomer = self._line("100")
        self.referral_min = self._line("0")
        cells = [
            (self.tr("Welcome, points"), self.welcome),
            (self.tr("Birthday, points"), self.birthday),
            (self.tr("Birthday window, ± days"), self.birthday_window),
            (self.tr("Referral: to the referrer"), self.referrer),
            (self.tr("Referral: to the newcomer"), self.newcomer),
            (self.tr("Referral: minimum first check"), self.referral_min),
        ]
        for i, (label, widget) in enumerate(cells):
            bonus.addWidget(QLabel(label), i // 2, (i % 2) * 2)
            bonus.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        left.addWidget(bonus_box)

        promo_box = QGroupBox(self.tr("Promotions and categories"))
        promo_layout = QVBoxLayout(promo_box)
        cat_row = QFormLayout()
        self.categories = self._line(self.tr("e.g. Coffee, Pastry (empty: none)"))
        cat_row.addRow(self.tr("Purchase categories"), self.categories)
        self.stacking = QComboBox()
        self.stacking.addItem(self.tr("the most generous one applies"), "best")
        self.stacking.addItem(self.tr("they add up"), "sum")
        self.stacking.currentIndexChanged.connect(self._changed)
        cat_row.addRow(self.tr("When promotions overlap"), self.stacking)
        promo_layout.addLayout(cat_row)
        self.promotions = QTableWidget(0, len(PROMO_KEYS))
        self.promotions.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("×"),
                self.tr("+ %"),
                self.tr("Days"),
                self.tr("Hours"),
                self.tr("Dates"),
                self.tr("Categories"),
            ]
        )
        self.promotions.setToolTip(
            self.tr(
                "× multiplies the tier's rate (2 = double points); + % adds to it. "
                "Days like Mon–Fri, hours like 16:00–18:00, dates like 01.12.2026 – 31.12.2026; "
                "empty means always."
            )
        )
        self._table_style(self.promotions)
        promo_layout.addWidget(self.promotions)
        promo_buttons = QHBoxLayout()
        add_promo = QPushButton(self.tr("Add promotion"))
        add_promo.clicked.connect(
            lambda: self._add_row(self.promotions, [self.tr("Happy hour"), "2", "", "", "", "", ""])
        )
        remove_promo = QPushButton(self.tr("Remove selected"))
        remove_promo.clicked.connect(lambda: self._remove_row(self.promotions))
        promo_buttons.addWidget(add_promo)
        promo_buttons.addWidget(remove_promo)
        promo_buttons.addStretch()
        promo_layout.addLayout(promo_buttons)
        left.addWidget(promo_box)
        left.addStretch()

        right = QVBoxLayout()
        outer.addLayout(right, 2)

        example_box = QGroupBox(self.tr("Worked example"))
        example = QVBoxLayout(example_box)
        ask = QHBoxLayout()
        self.example_amount = QLineEdit(form.show_money(100_000, self.currency.decimals))
        self.example_amount.setMaximumWidth(120)
        self.example_amount.textChanged.connect(self._changed)
        self.example_tier = QComboBox()
        self.example_tier.currentIndexChanged.connect(self._changed)
        self.example_redeem = QCheckBox(self.tr("pays the most with points (balance 500)"))
        self.example_redeem.toggled.connect(self._changed)
        ask.addWidget(QLabel(self.tr("A check of")))
        ask.addWidget(self.example_amount)
        ask.addWidget(QLabel(self.tr("by a customer of")))
        ask.addWidget(self.example_tier, 1)
        example.addLayout(ask)
        example.addWidget(self.example_redeem)
        self.example_text = QLabel()
        self.example_text.setWordWrap(True)
        self.example_text.setTextFormat(Qt.TextFormat.RichText)
        self.example_text.setStyleSheet("font-size: 15px; padding: 6px 2px;")
        example.addWidget(self.example_text)
        right.addWidget(example_box)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(
            "color: #B42318; background: #FEF3F2; border: 1px solid #FDA29B; "
            "border-radius: 6px; padding: 8px; font-weight: 600;"
        )
        self.problem.hide()
        right.addWidget(self.problem)

        diff_box = QGroupBox(self.tr("Changes from the version in force"))
        diff = QVBoxLayout(diff_box)
        self.diff_text = QLabel()
        self.diff_text.setWordWrap(True)
        self.diff_text.setAlignment(Qt.AlignmentFlag.AlignTop)
        diff.addWidget(self.diff_text)
        right.addWidget(diff_box, 1)

        note_row = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Why (optional), e.g. Winter promotion"))
        note_row.addWidget(self.note)
        right.addLayout(note_row)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save as new version"))
        self.save_button.setDefault(True)
        self.save_button.setStyleSheet(
            "QPushButton { background: #0F6E66; color: white; font-weight: 600; padding: 8px 14px;"
            " border-radius: 6px; } QPushButton:disabled { background: #9FB8B5; }"
        )
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Undo changes"))
        self.revert_button.clicked.connect(lambda: self.load(self.info.program))
        export_button = QPushButton(self.tr("Export…"))
        export_button.clicked.connect(self.export_file)
        import_button = QPushButton(self.tr("Import…"))
        import_button.clicked.connect(self.import_file)
        for button in (self.save_button, self.revert_button, export_button, import_button):
            buttons.addWidget(button)
        right.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #067647;")
        right.addWidget(self.status)

    def _line(self, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setMaximumWidth(140)
        edit.textChanged.connect(self._changed)
        return edit

    def _table_style(self, table: QTableWidget) -> None:
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setMinimumHeight(130)
        table.itemChanged.connect(self._changed)

    def _add_row(self, table: QTableWidget, values: list[str]) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for col, value in enumerate(values):
            table.setItem(row, col, QTableWidgetItem(value))
        table.setCurrentCell(row, 0)
        self._changed()

    def _remove_row(self, table: QTableWidget) -> None:
        rows = sorted({index.row() for index in table.selectedIndexes()}, reverse=True)
        for row in rows:
            table.removeRow(row)
        self._changed()

    # -- program <-> fields -------------------------------------------------------------------

    def load(self, program: Program) -> None:
        """Show ``program`` in the fields."""
        self._loading = True
        try:
            d = self.currency.decimals
            self.kind_buttons[program.kind].setChecked(True)
            self.tiers.setRowCount(0)
            for tier in program.tiers:
                self._add_row(
                    self.tiers,
                    [
                        tier.name,
                        form.show_money(tier.threshold, d),
                        form.show_percent(tier.earn_bp),
                        form.show_percent(tier.discount_bp),
                    ],
                )
            self.point_value.setText(form.show_money(program.point_value, d))
            self.redeem_cap.setText(form.show_percent(program.redeem_cap_bp))
            self.min_balance.setText(str(program.min_balance_to_redeem))
            self.min_check.setText(form.show_money(program.min_check_to_earn, d))
            self.expiry_days.setText(
                "" if program.expiry_days is None else str(program.expiry_days)
            )
            self.earn_on_redeemed.setChecked(program.earn_on_redeemed)
            self.welcome.setText(str(program.welcome_points))
            self.birthday.setText(str(program.birthday_points))
            self.birthday_window.setText(str(program.birthday_window_days))
            self.referrer.setText(str(program.referral_referrer_points))
            self.newcomer.setText(str(program.referral_newcomer_points))
            self.referral_min.setText(form.show_money(program.referral_min_first_check, d))
            self.categories.setText(", ".join(program.categories))
            self.stacking.setCurrentIndex(0 if program.stacking == "best" else 1)
            self.promotions.setRowCount(0)
            for promo in program.promotions:
                self._add_row(
                    self.promotions,
                    [
                        promo.name,
                        form.show_percent(promo.multiplier_pct)
                        if promo.multiplier_pct != 100
                        else "",
                        form.show_percent(promo.extra_bp) if promo.extra_bp else "",
                        form.show_weekdays(promo.weekdays),
                        "–".join(t.strftime("%H:%M") for t in promo.hours) if promo.hours else "",
                        form.show_dates(promo.start, promo.end),
                        ", ".join(promo.categories),
                    ],
                )
        finally:
            self._loading = False
        self.recompute()

    def _cell(self, table: QTableWidget, row: int, col: int) -> str:
        item = table.item(row, col)
        return item.text() if item is not None else ""

    def read_fields(self) -> Program:
        """The program the fields describe; raises InvalidInput naming what is wrong."""
        d = self.currency.decimals
        kind = next(k for k, b in self.kind_buttons.items() if b.isChecked())
        tiers = []
        for row in range(self.tiers.rowCount()):
            name = self._cell(self.tiers, row, 0).strip()
            what = name or self.tr("Tier {n}").format(n=row + 1)
            tiers.append(
                {
                    "name": name,
                    "threshold": form.parse_money(self._cell(self.tiers, row, 1), d, what),
                    "earn_bp": form.parse_percent(self._cell(self.tiers, row, 2), what),
                    "discount_bp": form.parse_percent(self._cell(self.tiers, row, 3), what),
                }
            )
        promotions = [
            form.promotion_row(
                {key: self._cell(self.promotions, row, col) for col, key in enumerate(PROMO_KEYS)}
            )
            for row in range(self.promotions.rowCount())
        ]
        data: dict[str, Any] = {
            "kind": kind.value,
            "tiers": tiers,
            "point_value": form.parse_money(self.point_value.text(), d, self.tr("Point value")),
            "redeem_cap_bp": form.parse_percent(self.redeem_cap.text(), self.tr("Cap")),
            "min_balance_to_redeem": form.parse_count(
                self.min_balance.text(), self.tr("Minimum balance")
            ),
            "min_check_to_earn": form.parse_money(
                self.min_check.text(), d, self.tr("Minimum check")
            ),
            "earn_on_redeemed": self.earn_on_redeemed.isChecked(),
            "expiry_days": form.parse_count(self.expiry_days.text(), self.tr("Expiry"), empty=None),
            "welcome_points": form.parse_count(self.welcome.text(), self.tr("Welcome bonus")),
            "birthday_points": form.parse_count(self.birthday.text(), self.tr("Birthday bonus")),
            "birthday_window_days": form.parse_count(
                self.birthday_window.text(), self.tr("Birthday window")
            ),
            "referral_referrer_points": form.parse_count(
                self.referrer.text(), self.tr("Referral bonus")
            ),
            "referral_newcomer_points": form.parse_count(
                self.newcomer.text(), self.tr("Referral bonus")
            ),
            "referral_min_first_check": form.parse_money(
                self.referral_min.text(), d, self.tr("Referral minimum")
            ),
            "categories": form.split_names(self.categories.text()),
            "stacking": self.stacking.currentData(),
            "promotions": promotions,
            "milestones": [list(m) for m in self.info.program.milestones],
        }
        if data["expiry_days"] == 0:
            raise InvalidInput(self.tr("Expiry: leave it empty for points that never expire."))
        return replace(Program.from_dict(data), extras=self.info.program.extras)

    # -- live feedback ------------------------------------------------------------------------

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self._refresh.start()

    def recompute(self) -> None:
        self.title.setText(
            self.tr("Program version {version}, in force since {when}").format(
                version=self.info.version, when=format_time(self.info.created_at)
            )
        )
        try:
            self.draft = self.read_fields()
        except LoyaltyError as exc:
            self.draft = None
            self.problem.setText(error_text(exc))
            self.problem.show()
            self.save_button.setEnabled(False)
            self.example_text.setText(self.tr("Fix the field above to see the example."))
            return
        self.problem.hide()
        self._refresh_tiers()
        self._show_example(self.draft)
        changes = describe_changes(self.info.program, self.draft, self.currency.decimals)
        if changes:
            self.diff_text.setText("\n".join(f"• {sentence_text(line)}" for line in changes))
        else:
            self.diff_text.setText(self.tr("No changes yet."))
        self.save_button.setEnabled(bool(changes))
        self.revert_button.setEnabled(bool(changes))

    def _refresh_tiers(self) -> None:
        assert self.draft is not None
        names = [t.name for t in self.draft.tiers]
        current = self.example_tier.currentText()
        if [self.example_tier.itemText(i) for i in range(self.example_tier.count())] != names:
            self.example_tier.blockSignals(True)
            self.example_tier.clear()
            self.example_tier.addItems(names)
            if current in names:
                self.example_tier.setCurrentText(current)
            elif len(names) > 1:
                self.example_tier.setCurrentIndex(1)
            self.example_tier.blockSignals(False)

    def _show_example(self, program: Program) -> None:
        try:
            amount = form.parse_money(
                self.example_amount.text(), self.currency.decimals, self.tr("Check")
            )
            if amount <= 0:
                raise InvalidInput(self.tr("Type a check amount for the example."))
            q = worked_example(
                program,
                amount=amount,
                tier_name=self.example_tier.currentText() or None,
                balance=500,
                redeem=MAX if self.example_redeem.isChecked() else NONE,
                now=self.services.till.now(),
            )
        except LoyaltyError as exc:
            self.example_text.setText(error_text(exc))
            return
        money = lambda minor: format_money(minor, self.currency)  # noqa: E731
        lines = [
            self.tr("A {amount} check by a {tier} customer:").format(
                amount=f"<b>{money(amount)}</b>", tier=f"<b>{q.tier}</b>"
            ),
            self.tr("discount {discount}, points used {used}, to pay {to_pay},").format(
                discount=f"<b>{money(q.discount)}</b>",
                used=f"<b>{format_points(q.points_redeemed)}</b>",
                to_pay=f"<b>{money(q.to_pay)}</b>",
            ),
            self.tr("points earned {points}.").format(
                points=f"<b>{format_points(q.points_earned)}</b>"
            ),
            f"<span style='color:#5B6675'>{html.escape(sentence_text(q.explanation))}</span>",
        ]
        self.example_text.setText("<br>".join(lines))

    # -- actions ------------------------------------------------------------------------------

    def save(self) -> None:
        if self.draft is None or not self.services.access.require_owner(self):
            return
        try:
            info = self.book.save(
                self.draft,
                actor=self.services.actor_id or "owner",
                note=self.note.text(),
            )
        except LoyaltyError as exc:
            self.problem.setText(error_text(exc))
            self.problem.show()
            return
        log.info("program version %s saved", info.version)
        self.info = info
        self.note.clear()
        self.status.setText(
            self.tr(
                "Saved as version {version}. The next sale uses it; past sales keep theirs."
            ).format(version=info.version)
        )
        self.services.announce("program")
        self.load(info.program)

    def export_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the program"), "loyalty-program.json", "JSON (*.json)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the program in force to ``path``; a folder that is full, read-only or gone is
        said in words, and nothing half-written is left."""
        try:
            self.book.export_json(path)
        except LoyaltyError as exc:
            QMessageBox.warning(self, self.tr("Export the program"), error_text(exc))
            return
        self.status.setText(self.tr("Program written to {path}.").format(path=path))

    def import_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import a program"), "", "JSON (*.json)"
        )
        if not path:
            return
        try:
            program = parse_program_file(Path(path))
        except LoyaltyError as exc:
            QMessageBox.warning(self, self.tr("Import a program"), error_text(exc))
            return
        # Shown in the fields with its differences; saved only when the owner presses Save.
        self.load(program)
        self.status.setText(self.tr("Loaded from the file: check the changes, then save."))

    def _on_data_changed(self, kinds: set[str]) -> None:
        if "program" in kinds and self.draft == self.info.program:
            self.info = self.book.current()
            self.load(self.info.program)


register_screen(
    ScreenSpec(
        key="program",
        title=tr_title("Program"),
        shortcut="F8",
        factory=ProgramScreen,
        owner_only=True,
    )
)

"""Settings → Sync (Ctrl+F9, owner): how this till shares customers and sales with the shop's
other tills, and the buttons to do it by hand.

Shown: this till's number and shop, when news last left and arrived (how many events, from
which till), what waits to be sent, every other till known here with how far this till has its
news, and the conflicts the owner should look at, with the customers' names. Done here: export
a bundle, import one, make a pairing file for a new till, join a shop (a new, empty till only),
mark conflicts the owner has sorted out as dealt with (on every till, by its next news),
the PostgreSQL server's address (its password shown as *** once saved) with "Push and pull now",
and **folder sync**: a shared or USB folder and an interval.

Every action is a use case of ``terminal.sync`` run with :func:`run_in_background`, its button
(and the others) disabled until it reports, so the counter never freezes while a big bundle goes
in. :class:`FolderSyncScheduler` is the timer the app starts once: every minute it asks whether a
folder round is due and runs it in the background; the screen shows the last round's outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from terminal.core.errors import ERRORS_CONTEXT, LoyaltyError
from terminal.i18n_text import erased_marker_text, error_text, translated
from terminal.sync.exchange import SyncExchange
from terminal.sync.folder import FolderRound, FolderSync, FolderSyncBusy, Reason
from terminal.sync.hub import sync_with_hub
from terminal.sync.overview import Activity, SyncOverview, sync_overview
from terminal.sync.pairing import create_pairing, join_pairing
from terminal.sync.preferences import FOLDER_INTERVALS, SyncSettings
from terminal.ui.background import run_in_background
from terminal.ui.counter_theme import TONES
from terminal.ui.money_format import format_moment, format_money, format_time
from terminal.ui.screens import ScreenSpec, register_screen, tr_title
from terminal.ui.services import AppServices

log = logging.getLogger("sync")

CHECK_EVERY_MS = 60_000  # the scheduler asks once a minute whether a folder round is due
FIRST_CHECK_MS = 15_000  # and once shortly after start, when the counter is already up
BUNDLE_FILTER = "*.ltb"
PAIRING_FILTER = "*.pair"


def _t(text: str) -> str:
    return QCoreApplication.translate("SyncScreen", text)


def reason_text(reason: Reason) -> str:
    """A refusal recorded by the sync layer, in the interface language where we have it."""
    return translated(ERRORS_CONTEXT, reason.template, **reason.params)


def outcome_text(error: BaseException) -> str:
    if isinstance(error, LoyaltyError):
        return error_text(error)
    log.error("sync action failed: %s", error)
    return _t("It did not work: %1").replace("%1", str(error) or type(error).__name__)


def folder_round_text(last: FolderRound | None) -> tuple[str, str, str]:
    """(tone, the "last folder sync" line, what went wrong with single files: "" for nothing)."""
    if last is None:
        return "muted", _t("Folder sync has not run yet."), ""
    when = format_moment(last.at)
    if last.error is not None:
        line = _t("Last folder sync: %1 — %2").replace("%1", when)
        return "error", line.replace("%2", reason_text(last.error)), ""
    result = (
        QCoreApplication.translate("SyncScreen", "sent %n event(s)", None, last.exported)
        + ", "
        + QCoreApplication.translate("SyncScreen", "received %n event(s)", None, last.applied)
    )
    text = _t("Last folder sync: %1 — %2.").replace("%1", when).replace("%2", result)
    problems = [reason_text(last.export_error)] if last.export_error else []
    problems += [
        _t("%1 refused: %2").replace("%1", f.name).replace("%2", reason_text(f.refused))
        for f in last.refused
        if f.refused is not None
    ]
    return ("error" if problems else "ok"), text, "\n".join(problems)


class FolderSyncScheduler(QObject):
    """Runs a folder round when one is due, in the background; never two at once."""

    def __init__(
        self, services: AppServices, parent: QObject | None = None, check_ms: int = CHECK_EVERY_MS
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check)

    def start(self, first_check_ms: int = FIRST_CHECK_MS) -> None:
        self.timer.start()
        QTimer.singleShot(first_check_ms, self.check)

    def check(self) -> None:
        if self.running:
            return
        self.running = True
        till = self.services.till

        def work() -> FolderRound | None:
            prefs = SyncSettings(till).current()
            sync = FolderSync(till)
            if not sync.due(prefs.folder, prefs.minutes):
                return None
            return sync.run_round(prefs.folder)

        run_in_background(work, self._done)

    def _done(self, outcome: Any) -> None:
        self.running = False
        if outcome is None or isinstance(outcome, FolderSyncBusy):
            return
        if isinstance(outcome, Exception) and not isinstance(outcome, LoyaltyError):
            log.error("folder sync round failed: %s", outcome)
        kinds = {"sync"}
        if isinstance(outcome, FolderRound) and outcome.applied:
            kinds |= {"sale", "customer", "card", "program", "settings"}
        self.services.announce(*kinds)


def start_folder_sync(services: AppServices, parent: QObject) -> FolderSyncScheduler:
    """The app's one folder-sync timer (started once with the main window)."""
    scheduler = FolderSyncScheduler(services, parent)
    scheduler.start()
    return scheduler


class SyncScreen(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = SyncSettings(services.till)
        self.busy = False
        self.stale = False
        self.overview: SyncOverview | None = None
        self._build()
        services.data.changed.connect(self._on_data_changed)
        self.refresh()

    # ---- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        page = QWidget()
        scroll.setWidget(page)
        column = QVBoxLayout(page)
        column.setContentsMargins(24, 12, 24, 8)
        column.setSpacing(6)
        title = QLabel(self.tr("Sync"))
        title.setStyleSheet("font-size: 24px; font-weight: 700;")
        column.addWidget(title)
        self.till_line = QLabel()
        self.till_line.setWordWrap(True)
        self.till_line.setStyleSheet("font-size: 16px; font-weight: 600;")
        column.addWidget(self.till_line)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(22)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.message)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        grid.addWidget(self._exchange_box(), 0, 0)
        grid.addWidget(self._folder_box(), 1, 0)
        grid.addWidget(self._hub_box(), 0, 1)
        grid.addWidget(self._pairing_box(), 1, 1)
        grid.addWidget(self._conflicts_box(), 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)
        column.addLayout(grid, 1)
        self.action_buttons = [
            self.export_button,
            self.import_button,
            self.folder_now_button,
            self.choose_folder_button,
            self.hub_save_button,
            self.hub_button,
            self.pair_button,
            self.join_button,
            self.settle_button,
        ]

    def _muted(self, text: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {TONES['muted']};")
        return label

    def _exchange_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("This till's news"))
        layout = QVBoxLayout(box)
        self.sent_line = QLabel()
        self.sent_line.setWordWrap(True)
        self.received_line = QLabel()
        self.received_line.setWordWrap(True)
        layout.addWidget(self.sent_line)
        layout.addWidget(self.received_line)
        self.peers_line = self._muted()
        layout.addWidget(self.peers_line)
        self.peers = QTableWidget(0, 2)
        self.peers.setHorizontalHeaderLabels([self.tr("Till"), self.tr("Its news here, up to")])
        self._plain_table(self.peers)
        self.peers.setMaximumHeight(84)
        layout.addWidget(self.peers)
        row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Export bundle to folder…"))
        self.export_button.clicked.connect(self._choose_export)
        self.import_button = QPushButton(self.tr("Import bundle…"))
        self.import_button.clicked.connect(self._choose_import)
        for button in (self.export_button, self.import_button):
            button.setMinimumHeight(36)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def _folder_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Folder sync (shared or USB folder)"))
        layout = QVBoxLayout(box)
        self.folder_line = QLabel()
        self.folder_line.setWordWrap(True)
        layout.addWidget(self.folder_line)
        row = QHBoxLayout()
        self.choose_folder_button = QPushButton(self.tr("Choose folder…"))
        self.choose_folder_button.clicked.connect(self._choose_folder)
        row.addWidget(self.choose_folder_button)
        row.addWidget(QLabel(self.tr("Sync:")))
        self.interval = QComboBox()
        for minutes in FOLDER_INTERVALS:
            label = self.tr("Off") if minutes == 0 else self.tr("every %n minute(s)", "", minutes)
            self.interval.addItem(label, minutes)
        self.interval.activated.connect(self._interval_chosen)
        row.addWidget(self.interval)
        self.folder_now_button = QPushButton(self.tr("Sync with folder now"))
        self.folder_now_button.clicked.connect(self.sync_folder_now)
        row.addWidget(self.folder_now_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.folder_result = QLabel()
        self.folder_result.setWordWrap(True)
        layout.addWidget(self.folder_result)
        self.folder_problems = QLabel()
        self.folder_problems.setWordWrap(True)
        self.folder_problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_problems.setStyleSheet(f"color: {TONES['error']};")
        layout.addWidget(self.folder_problems)
        layout.addStretch(1)
        return box

    def _hub_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sync server (PostgreSQL)"))
        layout = QVBoxLayout(box)
        layout.addWidget(
            self._muted(
                self.tr(
                    "For tills in different places: each one sends its news to the server and "
                    "fetches the others'. Sales go on when the server cannot be reached."
                )
            )
        )
        row = QHBoxLayout()
        self.hub_address = QLineEdit()
        self.hub_address.setPlaceholderText("postgresql://user:password@host:5432/database")
        self.hub_address.returnPressed.connect(self._save_hub)
        row.addWidget(self.hub_address, 1)
        self.hub_save_button = QPushButton(self.tr("Save address"))
        self.hub_save_button.clicked.connect(self._save_hub)
        row.addWidget(self.hub_save_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.hub_button = QPushButton(self.tr("Push and pull now"))
        self.hub_button.setMinimumHeight(36)
        self.hub_button.clicked.connect(self.run_hub)
        row.addWidget(self.hub_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return box

    def _pairing_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Tills of this shop"))
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("New till number:")))
        self.pair_number = QSpinBox()
        self.pair_number.setRange(1, 99)
        row.addWidget(self.pair_number)
        self.pair_button = QPushButton(self.tr("Create pairing file for a new till…"))
        self.pair_button.clicked.connect(self._choose_pairing_file)
        row.addWidget(self.pair_button)
        row.addStretch(1)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.join_button = QPushButton(self.tr("Join a shop from a pairing file…"))
        self.join_button.clicked.connect(self._choose_join_file)
        row.addWidget(self.join_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.join_hint = self._muted()
        layout.addWidget(self.join_hint)
        layout.addStretch(1)
        return box

    def _conflicts_box(self) -> QGroupBox:
        self.conflicts_box = QGroupBox()
        layout = QVBoxLayout(self.conflicts_box)
        self.conflicts = QTableWidget(0, 3)
        self.conflicts.setHorizontalHeaderLabels(
            [self.tr("Noticed"), self.tr("Customer"), self.tr("What happened")]
        )
        self._plain_table(self.conflicts)
        self.conflicts.setWordWrap(True)
        header = self.conflicts.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.conflicts.setMinimumHeight(80)
        # takes the room left over, never asks for more: no scroll bar at 1366×768
        self.conflicts.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        layout.addWidget(self.conflicts, 1)
        row = QHBoxLayout()
        self.settle_button = QPushButton(self.tr("Mark as dealt with"))
        self.settle_button.setToolTip(
            self.tr(
                "Once you have sorted it out with the customer: the conflict leaves this list "
                "here and on the other tills."
            )
        )
        self.settle_button.clicked.connect(self._settle_selected)
        row.addWidget(self.settle_button)
        self.settle_hint = self._muted(self.tr("Select a conflict you have dealt with."))
        row.addWidget(self.settle_hint, 1)
        row.addStretch()  # the button keeps its own width while the hint is hidden
        layout.addLayout(row)
        self.conflicts.itemSelectionChanged.connect(self._update_buttons)
        return self.conflicts_box

    def _plain_table(self, table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    # ---- showing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self.stale = False
        view = sync_overview(self.services.till)
        self.overview = view
        self.till_line.setText(
            self.tr("This is till %1 of %2.")
            .replace("%1", str(view.till_number))
            .replace("%2", view.shop_name)
            + "  "
            + self.tr("%n event(s) of its own", "", view.local_events)
            + ", "
            + self.tr("%n waiting for sync.", "", view.waiting)
        )
        self.sent_line.setText(self._activity_text(view.last_sent, sent=True))
        self.received_line.setText(self._activity_text(view.last_received, sent=False))
        self._fill_peers(view)
        self._fill_conflicts(view)
        prefs = view.preferences
        if prefs.folder:
            self.folder_line.setText(self.tr("Folder: %1").replace("%1", prefs.folder))
        else:
            self.folder_line.setText(
                self.tr("No folder chosen. Choose a shared or USB folder all tills can reach.")
            )
        self.interval.setCurrentIndex(max(0, self.interval.findData(prefs.minutes)))
        tone, text, problems = folder_round_text(view.last_folder_round)
        self._tone(self.folder_result, "muted" if tone == "error" and problems else tone, text, 14)
        self.folder_problems.setText(problems)
        self.folder_problems.setVisible(bool(problems))
        if not self.hub_address.hasFocus() or not self.hub_address.isModified():
            self.hub_address.setText(prefs.hub_url_masked)
            self.hub_address.setModified(False)
        taken = {view.till_number, *view.paired, *(p.number for p in view.peers)}
        if self.pair_number.value() in taken or self.pair_number.value() == 1:
            # never 1, even on a till that has not heard of it: the shop's first till
            self.pair_number.setValue(next(n for n in range(2, 100) if n not in taken))
        if view.number_twice:
            self.join_hint.setText(
                self.tr(
                    "Another till of the shop has this till's number: make a pairing file with "
                    "a new number on the owner's till and join it here to take that number."
                )
            )
        else:
            self.join_hint.setText(
                self.tr("This till is new and empty: it can join a shop.")
                if view.join_refused is None
                else error_text(view.join_refused)
            )
        self._update_buttons()

    def _activity_text(self, activity: Activity | None, *, sent: bool) -> str:
        if activity is None:
            return self.tr("Nothing sent yet.") if sent else self.tr("Nothing received yet.")
        events = self.tr("%n event(s)", "", activity.count)
        how = {
            "export": self.tr("exported to a bundle"),
            "push": self.tr("pushed to the sync server"),
            "import": self.tr("imported from a bundle"),
            "pull": self.tr("pulled from the sync server"),
            "folder": self.tr("through the sync folder"),
        }.get(activity.how, "")
        if sent:
            text = self.tr("Last sent: %1 — %2").replace("%1", format_moment(activity.at))
        elif activity.tills:
            text = (
                self.tr("Last received: %1 — %2 from till %3")
                .replace("%1", format_moment(activity.at))
                .replace("%3", ", ".join(str(n) for n in activity.tills))
            )
        else:
            text = self.tr("Last received: %1 — %2").replace("%1", format_moment(activity.at))
        text = text.replace("%2", events if activity.count or activity.how else "…")
        return f"{text}, {how}." if how else f"{text}."

    def _fill_peers(self, view: SyncOverview) -> None:
        """Tills whose news arrived (with how far), then tills paired here but not heard of."""
        heard = {p.number for p in view.peers}
        rows = [
            (p.number, self.tr("event no. %1").replace("%1", str(p.events))) for p in view.peers
        ] + [
            (n, self.tr("paired here; no news from it yet"))
            for n in view.paired
            if n not in heard and n != view.till_number
        ]
        rows.sort()
        self.peers_line.setText(
            self.tr("Other tills known here:")
            if rows
            else self.tr("No other till is known here yet.")
        )
        self.peers.setVisible(bool(rows))
        self.peers.setRowCount(len(rows))
        for row, (number, cursor) in enumerate(rows):
            name = self.tr("Till %1").replace("%1", str(number))
            self.peers.setItem(row, 0, QTableWidgetItem(name))
            self.peers.setItem(row, 1, QTableWidgetItem(cursor))

    def _fill_conflicts(self, view: SyncOverview) -> None:
        count = len(view.conflicts)
        self.conflicts_box.setTitle(
            self.tr("Conflicts to look at (%n)", "", count)
            if count
            else self.tr("Conflicts to look at: none")
        )
        self.conflicts.setRowCount(count)
        currency = self.services.till.currency()
        for row, conflict in enumerate(view.conflicts):
            unknown = self.tr("(not on this till yet)")
            names = " / ".join(erased_marker_text(n) or unknown for n in conflict.customers)
            what = {
                "points_overspent": self.tr(
                    "Points were used twice on two tills while offline (spent, or taken back by "
                    "two refunds of one sale); nothing is owed now."
                )
                if conflict.overspent == 0
                else self.tr(
                    "Points were used twice on two tills while offline (spent, or taken back by "
                    "two refunds of one sale): %n point(s) are still owed, and the next points "
                    "the customer is given pay them back.",
                    "",
                    conflict.overspent,
                ),
                "points_debt_unsettled": self.tr(
                    "A refund on one till took back points the customer had already spent, "
                    "while another till gave them points without knowing; it has been made "
                    "good since."
                )
                if conflict.overspent == 0
                else self.tr(
                    "A refund on one till took back points the customer had already spent, "
                    "while another till gave them points without knowing. The balance is "
                    "right; their points lots hold %n point(s) more, which the next points "
                    "the customer is given pay off.",
                    "",
                    conflict.overspent,
                ),
                "card_assigned_twice": self.tr(
                    "Card %1 was given to two customers. The later one keeps it; the other "
                    "keeps their points but needs a new card."
                ),
                "sale_on_blocked_card": self.tr(
                    "A sale was made with card %1 after another till had blocked it. The sale "
                    "stands; the card stays blocked."
                ),
                "till_number_twice": self.tr(
                    "Two tills both call themselves till %2: one pairing file was used on both, "
                    "so the cards they give out can get the same numbers. Make a pairing file "
                    "with a new number here and join it on one of the two: that till takes the "
                    "new number."
                ).replace("%2", str(conflict.till_number)),
                "sale_refunded_twice": self.tr(
                    "A sale of %2 was refunded on two tills while offline: %3 more than its "
                    "check went back. Both refunds stand; the sale cannot be refunded again."
                )
                .replace("%2", format_money(conflict.sale_amount, currency))
                .replace("%3", format_money(conflict.refunded_over, currency)),
            }.get(conflict.kind, conflict.kind)
            items = (
                format_time(conflict.noticed_at),
                names or "—",
                what.replace("%1", conflict.card),
            )
            for column, text in enumerate(items):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.conflicts.setItem(row, column, item)
        self.conflicts.resizeRowsToContents()

    def _update_buttons(self) -> None:
        view = self.overview
        for button in self.action_buttons:
            button.setEnabled(not self.busy)
        if view is None or self.busy:
            return
        self.folder_now_button.setEnabled(bool(view.preferences.folder))
        self.hub_button.setEnabled(view.preferences.has_hub)
        self.join_button.setEnabled(view.can_join or view.number_twice)
        chosen = bool(self._selected_conflicts())
        self.settle_button.setEnabled(chosen)
        self.settle_hint.setVisible(bool(view.conflicts) and not chosen)

    def _tone(self, label: QLabel, tone: str, text: str, size: int = 15) -> None:
        label.setStyleSheet(f"color: {TONES[tone]}; font-size: {size}px; font-weight: 600;")
        label.setText(text)

    def say(self, tone: str, text: str) -> None:
        self._tone(self.message, tone, text)

    def _on_data_changed(self, kinds: set[str]) -> None:
        """Fresh figures when shown; a hidden screen does not read after every sale."""
        if kinds & {"sync", "sale", "customer", "card", "settings"}:
            if self.isVisible():
                self.refresh()
            else:
                self.stale = True

    def screen_shown(self) -> None:
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.refresh()
        super().showEvent(event)

    # ---- running the use cases -------------------------------------------------------------

    def _run(
        self, doing: str, work: Callable[[], Any], done: Callable[[Any], str], *kinds: str
    ) -> None:
        """``work`` off the UI thread with every action button off; ``done`` turns its result
        into the sentence shown; an error is shown in plain words instead."""
        self.busy = True
        self._update_buttons()
        self.say("info", doing)

        def finished(outcome: Any) -> None:
            self.busy = False
            if isinstance(outcome, BaseException):
                self.say("error", outcome_text(outcome))
                self.services.announce("sync")
            else:
                self.say("ok", done(outcome))
                self.services.announce("sync", *kinds)
            self._update_buttons()

        run_in_background(work, finished)

    def _selected_conflicts(self) -> list[str]:
        view = self.overview
        if view is None:
            return []
        rows = sorted({index.row() for index in self.conflicts.selectedIndexes()})
        return [view.conflicts[r].conflict_id for r in rows if r < len(view.conflicts)]

    def _settle_selected(self) -> None:
        chosen = self._selected_conflicts()
        if not chosen:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Mark as dealt with?"),
            self.tr(
                "%n conflict(s) will leave the list, on this till and on the others once "
                "they have this till's news. Do this once you have sorted it out with the "
                "customer.",
                "",
                len(chosen),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        exchange, actor = SyncExchange(self.services.till), self.services.actor_id

        def work() -> int:
            for conflict_id in chosen:
                exchange.settle_conflict(conflict_id, actor)
            return len(chosen)

        self._run(
            self.tr("Marking as dealt with…"),
            work,
            lambda n: self.tr("%n conflict(s) marked as dealt with.", "", n),
        )

    def _choose_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the bundle"))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        till = self.services.till

        def done(result: Any) -> str:
            if result.path is None:
                return self.tr("Nothing new to export: the other tills have all of it.")
            return self.tr("Exported %n event(s) to %1.", "", result.count).replace(
                "%1", str(result.path)
            )

        self._run(self.tr("Exporting…"), lambda: SyncExchange(till).export(folder), done)

    def _choose_import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Bundle to import"),
            "",
            self.tr("Till bundles (%1);;All files (*)").replace("%1", BUNDLE_FILTER),
        )
        if name:
            self.import_from(Path(name))

    def import_from(self, path: Path) -> None:
        till = self.services.till

        def done(result: Any) -> str:
            if not result.applied:
                return self.tr("Nothing new in that bundle: this till already had all of it.")
            return self.tr("Till %1: %n new event(s) applied.", "", result.applied).replace(
                "%1", str(result.terminal_number)
            )

        self._run(
            self.tr("Checking and importing %1…").replace("%1", path.name),
            lambda: SyncExchange(till).import_file(path),
            done,
            "sale",
            "customer",
            "card",
            "program",
            "settings",
        )

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder the tills sync through"))
        if folder:
            self.set_folder(folder)

    def set_folder(self, folder: str) -> None:
        minutes = int(self.interval.currentData() or 0)
        try:
            self.settings.set_folder_sync(folder, minutes)
        except LoyaltyError as exc:
            self.say("error", error_text(exc))
            return
        self.say("ok", self.tr("This till syncs through %1.").replace("%1", folder))
        self.refresh()

    def _interval_chosen(self, _index: int) -> None:
        self.set_interval(int(self.interval.currentData() or 0))

    def set_interval(self, minutes: int) -> None:
        folder = self.overview.preferences.folder if self.overview else ""
        try:
            self.settings.set_folder_sync(folder, minutes)
        except LoyaltyError as exc:
            self.say("error", error_text(exc))
        else:
            self.say(
                "ok",
                self.tr("Folder sync is off.")
                if minutes == 0
                else self.tr("Folder sync runs every %n minute(s).", "", minutes),
            )
        self.refresh()

    def sync_folder_now(self) -> None:
        till = self.services.till
        folder = self.overview.preferences.folder if self.overview else ""

        def done(result: FolderRound) -> str:
            return folder_round_text(result)[1]

        self._run(
            self.tr("Syncing with the folder…"),
            lambda: FolderSync(till).run_round(folder),
            done,
            "sale",
            "customer",
            "card",
            "program",
            "settings",
        )

    def _save_hub(self) -> bool:
        """Save the typed address; False when it was refused (the reason is shown)."""
        if not self.hub_address.isModified():
            return True
        try:
            self.settings.set_hub_url(self.hub_address.text())
        except LoyaltyError as exc:
            self.say("error", error_text(exc))
            return False
        self.hub_address.setModified(False)
        self.hub_address.clearFocus()
        self.say(
            "ok",
            self.tr("Sync server address saved.")
            if self.hub_address.text().strip()
            else self.tr("Sync server address removed."),
        )
        self.refresh()
        return True

    def run_hub(self) -> None:
        if not self._save_hub():  # an address typed but not saved yet is the one meant
            return
        till = self.services.till
        settings = self.settings

        def done(result: Any) -> str:
            return (
                self.tr("Sync server: sent %n event(s)", "", result.pushed)
                + ", "
                + self.tr("received %n event(s).", "", result.pulled)
            )

        self._run(
            self.tr("Talking to the sync server…"),
            lambda: sync_with_hub(till, settings.hub_url()),
            done,
            "sale",
            "customer",
            "card",
            "program",
            "settings",
        )

    def _choose_pairing_file(self) -> None:
        number = self.pair_number.value()
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Pairing file for till %1").replace("%1", str(number)),
            f"till{number}.pair",
            self.tr("Pairing files (%1)").replace("%1", PAIRING_FILTER),
        )
        if name:
            self.create_pairing_file(number, Path(name))

    def create_pairing_file(self, number: int, path: Path) -> None:
        till = self.services.till

        def done(result: Any) -> str:
            return (
                self.tr(
                    "Pairing file for till %1 written to %2. It holds the shop's key: carry it "
                    "to the new till, join there, then delete it."
                )
                .replace("%1", str(result.till_number))
                .replace("%2", str(path))
            )

        self._run(
            self.tr("Writing the pairing file…"),
            lambda: create_pairing(till, number, path),
            done,
        )

    def _choose_join_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Pairing file"),
            "",
            self.tr("Pairing files (%1);;All files (*)").replace("%1", PAIRING_FILTER),
        )
        if name:
            self.join_from(Path(name))

    def join_from(self, path: Path) -> None:
        till = self.services.till

        def done(result: Any) -> str:
            if result.renumbered_from:
                return (
                    self.tr(
                        "This is now till %1 (it was till %2): the cards it gives from now on "
                        "carry the new number. The other tills learn it with this till's next "
                        "news."
                    )
                    .replace("%1", str(result.till_number))
                    .replace("%2", str(result.renumbered_from))
                )
            return (
                self.tr(
                    "This is now till %1 of %2. Import the other tills' bundles or sync with "
                    "the folder or server to get the customers."
                )
                .replace("%1", str(result.till_number))
                .replace("%2", result.shop_name)
            )

        self._run(self.tr("Joining the shop…"), lambda: join_pairing(till, path), done, "settings")


def _make(services: AppServices, parent: QWidget | None) -> QWidget:
    return SyncScreen(services, parent)


register_screen(
    ScreenSpec(
        key="sync",
        title=tr_title("Sync"),
        shortcut="Ctrl+F9",
        factory=_make,
        owner_only=True,
    )
)

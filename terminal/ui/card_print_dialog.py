"""Print a card or sheets of cards: a preview of the real drawing, the Qt print preview with the
system print dialog behind it, and "Save as PDF" that works without any printer.

Opened from the customer desk and right after registration (:func:`print_card`) and from the
Cards screen for new or remaining stock (:func:`print_sheets`). The drawing is the same code the
CLI uses (terminal.cardprint), so a card printed here and one from ``cards print`` are identical.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QMarginsF, QStandardPaths, Qt, Signal
from PySide6.QtGui import QPageLayout, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.cardprint import CardJob, Layout, card_job, display_number, sheet_job, write_pdf
from terminal.cardprint import geometry as g
from terminal.cardprint.output import Cancelled, paint_page, render_page, scale_to_units
from terminal.core.errors import LoyaltyError
from terminal.i18n_text import error_text
from terminal.ui.services import AppServices

log = logging.getLogger("cards")

JobFactory = Callable[[bool, bool], CardJob]  # (with back, with holder's name) -> job


class CardPrintDialog(QDialog):
    """Options, a true-to-print preview, then Print… (preview + system dialog) or Save as PDF…"""

    pdfSaved = Signal(str)
    _pdfProgress = Signal(int)
    _pdfFinished = Signal(str, str)  # outcome (saved | failed | cancelled), path or reason

    def __init__(
        self,
        make_job: JobFactory,
        *,
        title: str,
        pdf_name: str,
        single_card: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cardPrintDialog")
        self.setWindowTitle(title)
        self._make_job = make_job
        self._pdf_name = pdf_name
        self._single = single_card
        self.preview_dialog: QPrintPreviewDialog | None = None
        self.printer: QPrinter | None = None
        self.saved_path: Path | None = None
        self.pages_painted = 0  # pages the last print (or print preview) received
        self.progress: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._pdfProgress.connect(self._on_pdf_progress, Qt.ConnectionType.QueuedConnection)
        self._pdfFinished.connect(self._on_pdf_finished, Qt.ConnectionType.QueuedConnection)

        self.back_box = QCheckBox(self.tr("Print the back too (program terms, shop phone)"))
        self.back_box.setObjectName("backBox")
        self.name_box = QCheckBox(self.tr("Holder's name on the card"))
        self.name_box.setObjectName("nameBox")
        self.name_box.setChecked(True)
        self.name_box.setVisible(single_card)
        self.front_view = QLabel()
        self.front_view.setObjectName("frontPreview")
        self.back_view = QLabel()
        self.back_view.setObjectName("backPreview")
        for view in (self.front_view, self.back_view):
            view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("printButton")
        self.print_button.setDefault(True)
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        self.pdf_button.setObjectName("pdfButton")
        close_button = QPushButton(self.tr("Close"))
        close_button.setObjectName("closeButton")

        previews = QHBoxLayout()
        previews.addWidget(self.front_view)
        previews.addWidget(self.back_view)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(previews, 1)
        layout.addWidget(self.back_box)
        layout.addWidget(self.name_box)
        layout.addLayout(buttons)

        self.back_box.toggled.connect(self._refresh)
        self.name_box.toggled.connect(self._refresh)
        self.print_button.clicked.connect(self.open_print_preview)
        self.pdf_button.clicked.connect(self.save_pdf)
        close_button.clicked.connect(self.reject)
        self._refresh()

    # -- the job and its preview -------------------------------------------------------------

    def job(self) -> CardJob:
        return self._make_job(self.back_box.isChecked(), self.name_box.isChecked())

    def _refresh(self) -> None:
        job = self.job()
        pages = job.pages
        if self._single:
            self.summary.setText(
                self.tr("Card %1 · credit-card size 85.6 × 54 mm").replace(
                    "%1", display_number(job.faces[0].number)
                )
            )
        else:
            sheets = -(-len(job.faces) // (g.SHEET_COLUMNS * g.SHEET_ROWS))
            self.summary.setText(
                self.tr("%1 cards on %n A4 sheet(s) of 10, with crop marks", "", sheets).replace(
                    "%1", QLocale().toString(len(job.faces))
                )
            )
        height = 300 if self._single else 460
        dpi = 150 if self._single else 60
        self._show(self.front_view, render_page(job, 0, dpi, preview=True), height)
        self.back_view.setVisible(job.with_back)
        if job.with_back:
            self._show(self.back_view, render_page(job, 1, dpi, preview=True), height)
        self.message.clear()
        log.debug("preview of %d page(s)", len(pages))

    def _show(self, view: QLabel, image: object, height: int) -> None:
        pixmap = QPixmap.fromImage(image)  # type: ignore[arg-type]
        view.setPixmap(pixmap.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation))

    # -- printing ----------------------------------------------------------------------------

    def open_print_preview(self) -> QPrintPreviewDialog:
        """Qt's print preview; its Print button opens the system print dialog."""
        job = self.job()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)
        printer.setDocName(self.windowTitle())
        printer.setPageLayout(
            QPageLayout(job.page_size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
        )
        preview = QPrintPreviewDialog(printer, self)
        preview.setWindowTitle(self.tr("Print preview"))
        preview.paintRequested.connect(lambda device: self.paint_to(device, job))
        self.printer = printer
        self.preview_dialog = preview
        preview.open()
        return preview

    def paint_to(self, printer: QPrinter, job: CardJob) -> None:
        """Paint every page on the printer (or the preview's pages) at its own resolution."""
        painter = QPainter()
        if not painter.begin(printer):
            self.message.setText(self.tr("The printer could not be started."))
            return
        try:
            paper = printer.pageLayout().fullRect(QPageLayout.Unit.Millimeter)
            # a single card on bigger paper gets a thin outline to cut along
            outline = job.layout is Layout.CARD and paper.width() > g.CARD_W / g.MM + 1
            self.pages_painted = 0
            for index, page in enumerate(job.pages):
                if index:
                    printer.newPage()
                painter.save()
                scale_to_units(painter, printer.resolution())
                painter.translate(*_page_offset(job, paper.width() * g.MM, paper.height() * g.MM))
                paint_page(painter, job, page, preview=outline)
                painter.restore()
                self.pages_painted += 1
        finally:
            painter.end()

    def save_pdf(self) -> Path | None:
        """Ask where, then write the PDF on a worker thread with a progress bar; returns the
        chosen path (``saved_path`` is set and ``pdfSaved`` emitted once it is written)."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save cards as PDF"),
            str(Path(folder) / self._pdf_name),
            self.tr("PDF files (*.pdf)"),
        )
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        job = self.job()
        self._cancel.clear()
        self.pdf_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.progress = QProgressDialog(
            self.tr("Writing the PDF…"), self.tr("Stop"), 0, len(job.pages), self
        )
        self.progress.setObjectName("pdfProgress")
        self.progress.setWindowTitle(self.windowTitle())
        self.progress.setMinimumDuration(400)
        self.progress.canceled.connect(self._cancel.set)
        title = self.windowTitle()
        thread = threading.Thread(
            target=self._write_in_background, args=(job, path, title), daemon=True
        )
        thread.start()
        return Path(path)

    def _write_in_background(self, job: CardJob, path: str, title: str) -> None:
        """Worker thread: paints the PDF, reports through queued signals only."""

        def progress(done: int, total: int) -> bool:
            with contextlib.suppress(RuntimeError):
                self._pdfProgress.emit(done)
            return not self._cancel.is_set()

        try:
            write_pdf(job, path, title=title, progress=progress)
        except Cancelled:
            outcome, detail = "cancelled", ""
        except (LoyaltyError, OSError) as exc:
            log.warning("saving cards as PDF failed: %s", type(exc).__name__)
            problem = error_text(exc) if isinstance(exc, LoyaltyError) else exc.strerror
            outcome, detail = "failed", problem or str(exc)
        else:
            outcome, detail = "saved", path
        with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
            self._pdfFinished.emit(outcome, detail)

    def _on_pdf_progress(self, done: int) -> None:
        if self.progress is not None:
            if self.progress.wasCanceled():
                self._cancel.set()
                return
            self.progress.setValue(done)

    def _on_pdf_finished(self, outcome: str, detail: str) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        self.pdf_button.setEnabled(True)
        self.print_button.setEnabled(True)
        if outcome == "saved":
            self.saved_path = Path(detail)
            self.message.setText(self.tr("Saved to %1").replace("%1", detail))
            self.pdfSaved.emit(detail)
        elif outcome == "cancelled":
            self.message.setText(self.tr("Stopped; no PDF was written."))
        else:
            self.message.setText(self.tr("Could not save the PDF: %1").replace("%1", detail))

    def reject(self) -> None:
        self._cancel.set()  # a PDF being written stops and leaves no partial file
        super().reject()


def _page_offset(job: CardJob, paper_w: float, paper_h: float) -> tuple[float, float]:
    """Where the job's page sits on the printer's paper (units): a lone card centred across and
    2 cm from the top (office printers cannot print at the very edge); a sheet centred."""
    page_w, page_h = job.page_units
    if paper_w <= page_w + g.MM and paper_h <= page_h + g.MM:
        return 0.0, 0.0
    if job.layout is Layout.CARD:
        return (paper_w - page_w) / 2, min(20 * g.MM, max(0.0, paper_h - page_h) / 2)
    return (paper_w - page_w) / 2, (paper_h - page_h) / 2


def _tr(text: str) -> str:
    return QCoreApplication.translate("CardPrintDialog", text)


def _refuse(parent: QWidget | None, exc: LoyaltyError) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _tr("Cards"),
        error_text(exc),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("cardPrintRefused")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def print_card(
    services: AppServices, parent: QWidget | None, card_number: str
) -> CardPrintDialog | None:
    """Print one customer's card (desk, after registration). Returns the open dialog, or None
    after telling the user why this card cannot be printed (unknown, blocked, replaced)."""
    till = services.till
    try:
        first = card_job(till, card_number)
    except LoyaltyError as exc:
        _refuse(parent, exc)
        return None
    number = first.faces[0].number

    def make(back: bool, with_name: bool) -> CardJob:
        return card_job(till, number, back=back, with_name=with_name)

    dialog = CardPrintDialog(
        make,
        title=_tr("Print card %1").replace("%1", display_number(number)),
        pdf_name=f"card-{number}.pdf",
        single_card=True,
        parent=parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def print_sheets(
    services: AppServices, parent: QWidget | None, numbers: Sequence[str], batch: str = ""
) -> CardPrintDialog | None:
    """Print stock numbers on A4 sheets of ten (new batch, or what is left of one)."""
    till = services.till
    chosen = list(numbers)
    if not chosen:
        return None

    def make(back: bool, _with_name: bool) -> CardJob:
        return sheet_job(till, chosen, back=back)

    dialog = CardPrintDialog(
        make,
        title=_tr("Print card sheets"),
        pdf_name=f"cards-{batch or chosen[0]}.pdf",
        single_card=False,
        parent=parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog

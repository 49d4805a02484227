"""Pages of cards: one CR80 card per page (card printers) or A4 sheets of ten with crop marks
(office printers, print shops), written to PDF, painted on a printer, or rasterized.

A :class:`CardJob` knows its pages; every output paints them with the same code. Sheets with a
back interleave front and back pages and mirror the back columns, so a duplex print (flip on the
long edge) puts each back behind its own front.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from terminal.cardprint import geometry as g
from terminal.cardprint.content import CardFace
from terminal.cardprint.painter import paint_back, paint_crop_marks, paint_front
from terminal.core.errors import QT_TRANSLATE_NOOP, StorageError

PDF_DPI = 1200
_APP: list[QGuiApplication] = []


def ensure_qt() -> None:
    """Fonts and painting need a Qt application; the CLI has none, so make a windowless one.

    A plain QCoreApplication made first cannot be turned into one, and Qt would abort the whole
    process at the first font: refuse with an error instead, which is reported and logged."""
    app = QCoreApplication.instance()
    if app is None:
        _APP.append(
            QGuiApplication(
                [sys.argv[0] if sys.argv else "loyalty-terminal", "-platform", "offscreen"]
            )
        )
    elif not isinstance(app, QGuiApplication):
        raise RuntimeError("painting needs a QGuiApplication, but a QCoreApplication came first")


class Layout(StrEnum):
    CARD = "card"  # one card per CR80 page
    SHEET = "sheet"  # ten cards per A4 page


@dataclass(frozen=True)
class Page:
    faces: tuple[CardFace, ...]
    back: bool


@dataclass(frozen=True)
class CardJob:
    faces: tuple[CardFace, ...]
    layout: Layout
    with_back: bool = False

    @property
    def pages(self) -> list[Page]:
        per_page = 1 if self.layout is Layout.CARD else g.SHEET_COLUMNS * g.SHEET_ROWS
        pages: list[Page] = []
        for start in range(0, len(self.faces), per_page):
            chunk = self.faces[start : start + per_page]
            pages.append(Page(chunk, back=False))
            if self.with_back:
                pages.append(Page(chunk, back=True))
        return pages

    @property
    def page_size(self) -> QPageSize:
        if self.layout is Layout.CARD:
            return QPageSize(
                QSizeF(g.CARD_W / g.MM, g.CARD_H / g.MM), QPageSize.Unit.Millimeter, "CR80"
            )
        return QPageSize(QPageSize.PageSizeId.A4)

    @property
    def page_units(self) -> tuple[float, float]:
        return (g.CARD_W, g.CARD_H) if self.layout is Layout.CARD else (g.A4_W, g.A4_H)


def paint_page(p: QPainter, job: CardJob, page: Page, *, preview: bool = False) -> None:
    """One page in units, with the painter already scaled to 0.01 mm at the page's corner."""
    if job.layout is Layout.CARD:
        paint = paint_back if page.back else paint_front
        paint(p, page.faces[0], outline=preview)
        return
    slots = g.mirrored_slots() if page.back else g.sheet_slots()
    for face, slot in zip(page.faces, slots, strict=False):
        p.save()
        p.translate(slot.x, slot.y)
        p.setClipRect(-g.BLEED, -g.BLEED, slot.w + 2 * g.BLEED, slot.h + 2 * g.BLEED)
        (paint_back if page.back else paint_front)(p, face, bleed=g.BLEED)
        p.restore()
    paint_crop_marks(p)


def scale_to_units(p: QPainter, dpi: float) -> None:
    p.scale(dpi / 2540, dpi / 2540)


class Cancelled(Exception):
    """The user stopped a long PDF; nothing was written."""


def write_pdf(
    job: CardJob,
    path: Path | str,
    title: str = "Loyalty cards",
    progress: Callable[[int, int], bool] | None = None,
) -> Path:
    """Write the job as a PDF, atomically: a reader never sees a half-written file.

    ``progress(pages_done, pages_total)`` is called after every page (from whatever thread runs
    this); returning False stops, removes the partial file and raises :class:`Cancelled`.
    Painting on a QPdfWriter works off the GUI thread, so big batches never freeze the window.
    """
    ensure_qt()
    target = Path(path)
    if not job.faces:
        raise ValueError("nothing to print")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise StorageError(
            QT_TRANSLATE_NOOP("Errors", "The folder {folder} does not exist."),
            path=str(target),
            folder=folder,
        )
    fd, tmp_name = tempfile.mkstemp(prefix=".cards-", suffix=".pdf", dir=folder)
    os.close(fd)
    try:
        writer = QPdfWriter(tmp_name)
        writer.setResolution(PDF_DPI)
        writer.setTitle(title)
        writer.setCreator("loyalty-terminal")
        writer.setPageLayout(
            # "Portrait" keeps the size as given: CR80 stays 85.6 mm wide, 54 mm tall.
            QPageLayout(job.page_size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
        )
        painter = QPainter()
        if not painter.begin(writer):
            raise StorageError(
                QT_TRANSLATE_NOOP("Errors", "Cannot write {target}."),
                path=str(target),
                target=target,
            )
        pages = job.pages
        try:
            for index, page in enumerate(pages):
                if index:
                    writer.newPage()
                painter.save()
                scale_to_units(painter, PDF_DPI)
                paint_page(painter, job, page)
                painter.restore()
                if progress is not None and not progress(index + 1, len(pages)):
                    raise Cancelled("stopped by the user")
        finally:
            painter.end()
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def render_page(job: CardJob, index: int = 0, dpi: int = 300, *, preview: bool = False) -> QImage:
    """A page as an image at ``dpi``: previews, screenshots and the round-trip tests."""
    ensure_qt()
    width_u, height_u = job.page_units
    image = QImage(
        round(width_u * dpi / 2540), round(height_u * dpi / 2540), QImage.Format.Format_RGB32
    )
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    try:
        scale_to_units(painter, dpi)
        paint_page(painter, job, job.pages[index], preview=preview)
    finally:
        painter.end()
    return image

"""Printable loyalty cards: CR80 cards and A4 sheets of ten, with QR and EAN-13 codes.

``render_card_pdf`` and ``render_sheet_pdf`` are what the CLI, the self-test and the print dialog
use; everything else is the layout (:mod:`geometry`), the codes (:mod:`symbols`), what a card
says (:mod:`content`), the drawing (:mod:`painter`) and the page outputs (:mod:`output`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from terminal.app.till import Till
from terminal.cardprint.content import (
    CardFace,
    display_number,
    face_for_card,
    faces_for_numbers,
)
from terminal.cardprint.output import CardJob, Layout, ensure_qt, render_page, write_pdf
from terminal.i18n_text import plural_text


def card_job(
    till: Till, card_number: str, *, back: bool = False, with_name: bool = True
) -> CardJob:
    ensure_qt()
    face = face_for_card(till, card_number, with_name=with_name)
    return CardJob((face,), Layout.CARD, with_back=back)


def sheet_job(till: Till, numbers: Sequence[str], *, back: bool = False) -> CardJob:
    ensure_qt()
    return CardJob(tuple(faces_for_numbers(till, numbers)), Layout.SHEET, with_back=back)


def render_card_pdf(
    till: Till, card_number: str, out: Path | str, *, back: bool = False, with_name: bool = True
) -> Path:
    """One card (front, and back on a second page) on CR80 pages, for a card printer."""
    job = card_job(till, card_number, back=back, with_name=with_name)
    title = QCoreApplication.translate("CardPrint", "Loyalty card %1")
    return write_pdf(job, out, title=title.replace("%1", display_number(card_number)))


def render_sheet_pdf(
    till: Till, numbers: Sequence[str], out: Path | str, *, back: bool = False
) -> Path:
    """A4 sheets of ten cards with crop marks; backs interleaved and mirrored for duplex."""
    job = sheet_job(till, numbers, back=back)
    title = plural_text("CardPrint", "%n loyalty card(s)", len(numbers))
    return write_pdf(job, out, title=title)


__all__ = [
    "CardFace",
    "CardJob",
    "Layout",
    "card_job",
    "display_number",
    "faces_for_numbers",
    "render_card_pdf",
    "render_page",
    "render_sheet_pdf",
    "sheet_job",
    "write_pdf",
]

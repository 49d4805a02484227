"""Where everything sits on a card and on a sheet, in hundredths of a millimetre.

All measures are integers or floats of *units* (1 unit = 0.01 mm) so the same numbers drive the
PDF (vector), the raster preview and the printer. Pure Python: no Qt here, so the layout rules
(printer-safe margins, crop marks, code sizes) are tested without a display.

Code sizes are chosen for cheap scanners and 300 dpi printers: the EAN-13 X-dimension is 5 dots
at 300 dpi (0.423 mm, 128 % of nominal) with the 11X/7X quiet zones, and a QR module is 9 dots at
300 dpi (0.762 mm) with the 4-module quiet zone the QR standard asks for.
"""

from __future__ import annotations

from dataclasses import dataclass

MM = 100  # units per millimetre
DOT_300 = 2540 / 300  # one dot of a 300 dpi printer, in units

CARD_W = 8560  # CR80: 85.6 mm
CARD_H = 5400  # 54 mm
CARD_RADIUS = 318  # CR80 corner radius 3.18 mm (drawn as a thin guide on single cards only)
SAFE = 300  # nothing printed closer than 3 mm to a card edge (card printers, guillotine drift)
BLEED = 100  # coloured areas run 1 mm past the cut line on sheets, so a drift leaves no sliver

# EAN-13: 95 modules, quiet zones of 11 modules on the left and 7 on the right.
EAN_X = 5 * DOT_300
EAN_MODULES = 95
EAN_QUIET_LEFT = 11
EAN_QUIET_RIGHT = 7
EAN_BAR_H = 1500  # 15 mm: truncated height, still far above what hand scanners need

# QR: version 1 (21 × 21) holds 13 digits even at error correction H.
QR_MODULE = 9 * DOT_300
QR_QUIET = 4

HEADER_H = 1500  # the shop's band at the top of the front

A4_W = 21000
A4_H = 29700
SHEET_COLUMNS = 2
SHEET_ROWS = 5
SHEET_GAP_X = 600  # 6 mm between columns: two clean cuts, bleed stays inside the gap
SHEET_GAP_Y = 200  # 2 mm between rows
CROP_OFFSET = 150  # crop marks start 1.5 mm away from the cut line, never touch the card
CROP_LENGTH = 400  # and are up to 4 mm long
PRINTER_MARGIN = 420  # most office printers cannot print the outer 4.2 mm of a page


@dataclass(frozen=True)
class Box:
    """A rectangle in units: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


def ean_box_width() -> float:
    """The barcode's full width including both quiet zones."""
    return (EAN_QUIET_LEFT + EAN_MODULES + EAN_QUIET_RIGHT) * EAN_X


def qr_box_side(modules: int = 21) -> float:
    """The QR symbol's side including its quiet zone."""
    return (modules + 2 * QR_QUIET) * QR_MODULE


@dataclass(frozen=True)
class FrontLayout:
    """The fixed places on the front of a card (origin at the card's top-left corner)."""

    header: Box
    name: Box
    ean: Box  # including quiet zones
    number: Box
    qr: Box  # including the quiet zone


def front_layout(qr_modules: int = 21) -> FrontLayout:
    side = qr_box_side(qr_modules)
    body_top = HEADER_H
    qr = Box(CARD_W - SAFE - side, body_top + (CARD_H - body_top - side) / 2, side, side)
    ean_w = ean_box_width()
    ean = Box(SAFE, 2500, ean_w, EAN_BAR_H)
    number = Box(
        SAFE + EAN_QUIET_LEFT * EAN_X - 80, ean.bottom + 100, EAN_MODULES * EAN_X + 160, 520
    )
    name = Box(SAFE + EAN_QUIET_LEFT * EAN_X - 80, body_top + 250, qr.x - SAFE - 300, 560)
    return FrontLayout(Box(0, 0, CARD_W, HEADER_H), name, ean, number, qr)


def sheet_slots() -> list[Box]:
    """The ten card places on an A4 sheet, row by row, centred on the page."""
    grid_w = SHEET_COLUMNS * CARD_W + (SHEET_COLUMNS - 1) * SHEET_GAP_X
    grid_h = SHEET_ROWS * CARD_H + (SHEET_ROWS - 1) * SHEET_GAP_Y
    left = (A4_W - grid_w) / 2
    top = (A4_H - grid_h) / 2
    return [
        Box(left + col * (CARD_W + SHEET_GAP_X), top + row * (CARD_H + SHEET_GAP_Y), CARD_W, CARD_H)
        for row in range(SHEET_ROWS)
        for col in range(SHEET_COLUMNS)
    ]


def mirrored_slots() -> list[Box]:
    """Slots for the backs of a sheet printed duplex (flip on the long edge): columns swap, so
    the back of each card lands behind its front."""
    slots = sheet_slots()
    mirrored: list[Box] = []
    for row in range(SHEET_ROWS):
        cols = slots[row * SHEET_COLUMNS : (row + 1) * SHEET_COLUMNS]
        mirrored.extend(reversed(cols))
    return mirrored


def crop_marks() -> list[Line]:
    """Cut guides in the page margins, one per cut line, kept inside the printable area."""
    slots = sheet_slots()
    xs = sorted({s.x for s in slots} | {s.right for s in slots})
    ys = sorted({s.y for s in slots} | {s.bottom for s in slots})
    grid_left, grid_right = xs[0], xs[-1]
    grid_top, grid_bottom = ys[0], ys[-1]
    lines: list[Line] = []
    for x in xs:
        top_end = grid_top - CROP_OFFSET
        top_start = max(PRINTER_MARGIN, top_end - CROP_LENGTH)
        lines.append(Line(x, top_start, x, top_end))
        bottom_start = grid_bottom + CROP_OFFSET
        bottom_end = min(A4_H - PRINTER_MARGIN, bottom_start + CROP_LENGTH)
        lines.append(Line(x, bottom_start, x, bottom_end))
    for y in ys:
        left_end = grid_left - CROP_OFFSET
        left_start = max(PRINTER_MARGIN, left_end - CROP_LENGTH)
        lines.append(Line(left_start, y, left_end, y))
        right_start = grid_right + CROP_OFFSET
        right_end = min(A4_W - PRINTER_MARGIN, right_start + CROP_LENGTH)
        lines.append(Line(right_start, y, right_end, y))
    return lines

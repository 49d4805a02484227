"""The two machine-readable codes of a card, as plain module patterns the painter draws as
vector rectangles (crisp in a PDF at any printer resolution, no resampled bitmaps).

The QR holds the digits only: a keyboard-wedge scanner "types" digits, and digits are the same
keys under English, Russian and Ukrainian layouts, so the till receives the same number.
"""

from __future__ import annotations

import barcode
import qrcode
from qrcode.constants import ERROR_CORRECT_H

from terminal.core.cards import normalize_card_number


def qr_matrix(number: str) -> list[list[bool]]:
    """The dark/light modules of the QR code for a card number (no quiet zone)."""
    digits = normalize_card_number(number)
    code = qrcode.QRCode(version=None, error_correction=ERROR_CORRECT_H, border=0, box_size=1)
    code.add_data(digits)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def ean13_modules(number: str) -> str:
    """The 95 EAN-13 modules ("1" = bar) of a card number, guard bars included."""
    digits = normalize_card_number(number)
    symbol = barcode.get("ean13", digits)
    if symbol.get_fullcode() != digits:  # python-barcode recomputes the check digit
        raise ValueError(f"EAN-13 encoder disagrees about {digits}")
    return "".join(symbol.build())


def bar_runs(modules: str) -> list[tuple[int, int]]:
    """Consecutive bars as (first module, width in modules), so each bar is one rectangle."""
    runs: list[tuple[int, int]] = []
    start = -1
    for i, module in enumerate(modules + "0"):
        if module == "1" and start < 0:
            start = i
        elif module != "1" and start >= 0:
            runs.append((start, i - start))
            start = -1
    return runs

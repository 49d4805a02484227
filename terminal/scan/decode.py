"""Decode QR and EAN-13 codes in an image and keep those that are our card numbers.

Accepts a PIL image (or anything zxing-cpp reads, e.g. a numpy array) or a QImage (a camera
frame), so the camera widget, the tests and any future "scan a photo" feature share one path. Qt
is imported only when a QImage arrives, and no widget is ever needed. A QImage becomes a PIL
image, not a numpy array: numpy is not a dependency and would add ~40 MB to the packaged app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import zxingcpp
from PIL import Image

from terminal.core.cards import normalize_card_number
from terminal.core.errors import InvalidCardNumber

CARD_FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.EAN13)


@dataclass(frozen=True)
class ScannedCode:
    """One code found in the picture: its raw text, its symbology, and the card number if it is
    one of ours (``None`` for a product barcode or a foreign QR)."""

    text: str
    format: str  # "QRCode" | "EAN13"
    card: str | None


def _qimage_to_pil(image: Any) -> Image.Image:
    from PySide6.QtGui import QImage

    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = gray.width(), gray.height(), gray.bytesPerLine()
    data = bytes(gray.constBits())[: stride * height]
    return Image.frombuffer("L", (width, height), data, "raw", "L", stride, 1).copy()


def _as_decodable(image: Any) -> Any:
    if type(image).__name__ == "QImage":
        return _qimage_to_pil(image)
    return image


def codes_in(image: Any) -> list[ScannedCode]:
    """Every QR or EAN-13 code zxing-cpp finds, top to bottom as it reports them."""
    found: list[ScannedCode] = []
    for result in zxingcpp.read_barcodes(_as_decodable(image), formats=CARD_FORMATS):
        if not result.valid:
            continue
        try:
            card: str | None = normalize_card_number(result.text)
        except InvalidCardNumber:
            card = None
        found.append(ScannedCode(result.text, _format_name(result.format), card))
    return found


def card_numbers_in(image: Any) -> list[str]:
    """The distinct card numbers in a picture, in the order found (QR and EAN-13 of one card
    count once)."""
    numbers: list[str] = []
    for code in codes_in(image):
        if code.card and code.card not in numbers:
            numbers.append(code.card)
    return numbers


def _format_name(fmt: Any) -> str:
    if fmt == zxingcpp.BarcodeFormat.QRCode:
        return "QRCode"
    if fmt == zxingcpp.BarcodeFormat.EAN13:
        return "EAN13"
    return str(getattr(fmt, "name", fmt))

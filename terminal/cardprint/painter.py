"""Drawing a card face with QPainter, in units of 0.01 mm (see :mod:`geometry`).

The same functions paint onto a PDF writer, a printer and a QImage, so what the owner previews
is what the printer gets. Codes are drawn as filled rectangles without anti-aliasing: sharp
edges on every device, and exact module sizes in the PDF.
"""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from terminal.cardprint import geometry as g
from terminal.cardprint.content import CardFace
from terminal.cardprint.symbols import bar_runs, ean13_modules, qr_matrix

log = logging.getLogger("cards")

BRAND = QColor("#1F4E79")  # the band: dark enough for white text, prints well in grey too
INK = QColor("#111111")
MUTED = QColor("#5A6472")
CODE_INK = QColor("#000000")
PAPER = QColor("#FFFFFF")
SANS = "DejaVu Sans"
MONO = "DejaVu Sans Mono"


def _tr(text: str) -> str:
    return QCoreApplication.translate("CardPrint", text)


def _font(family: str, size_units: float, bold: bool = False) -> QFont:
    font = QFont(family)
    font.setPixelSize(max(1, round(size_units)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def _fitted_font(
    family: str, text: str, max_width: float, largest: float, smallest: float, bold: bool = False
) -> QFont:
    """The largest size (down to ``smallest``) at which ``text`` fits on one line."""
    size = largest
    while size > smallest:
        font = _font(family, size, bold)
        if QFontMetricsF(font).horizontalAdvance(text) <= max_width:
            return font
        size -= 10
    return _font(family, smallest, bold)


def _draw_line(
    p: QPainter, box: g.Box, text: str, font: QFont, color: QColor, align: Qt.AlignmentFlag
) -> None:
    p.setFont(font)
    p.setPen(color)
    metrics = QFontMetricsF(font)
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, box.w)
    p.drawText(
        QRectF(box.x, box.y, box.w, box.h), int(align | Qt.AlignmentFlag.AlignVCenter), shown
    )


@cache
def _logo(path: str) -> QImage | None:
    if not path:
        return None
    image = QImage(path)
    if image.isNull():
        log.warning("the logo file set in the shop settings cannot be read; cards print without it")
        return None
    return image


def draw_ean13(p: QPainter, number: str, box: g.Box) -> None:
    """EAN-13 bars inside ``box`` (which includes the quiet zones, kept white)."""
    p.fillRect(QRectF(box.x, box.y, box.w, box.h), PAPER)
    left = box.x + g.EAN_QUIET_LEFT * g.EAN_X
    for start, width in bar_runs(ean13_modules(number)):
        p.fillRect(QRectF(left + start * g.EAN_X, box.y, width * g.EAN_X, box.h), CODE_INK)


def draw_qr(p: QPainter, number: str, box: g.Box) -> None:
    """The QR code centred in ``box`` with its quiet zone white."""
    matrix = qr_matrix(number)
    p.fillRect(QRectF(box.x, box.y, box.w, box.h), PAPER)
    size = len(matrix) * g.QR_MODULE
    x0 = box.x + (box.w - size) / 2
    y0 = box.y + (box.h - size) / 2
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                run = c
                while run < len(row) and row[run]:
                    run += 1
                p.fillRect(
                    QRectF(
                        x0 + c * g.QR_MODULE,
                        y0 + r * g.QR_MODULE,
                        (run - c) * g.QR_MODULE,
                        g.QR_MODULE,
                    ),
                    CODE_INK,
                )
                c = run
            else:
                c += 1


def _card_shape() -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(QRectF(8, 8, g.CARD_W - 16, g.CARD_H - 16), g.CARD_RADIUS, g.CARD_RADIUS)
    return path


def _draw_outline(p: QPainter) -> None:
    """A hairline card outline with CR80 corners, for single cards on a page larger than a card
    and for previews; never on sheets (the crop marks say where to cut)."""
    path = _card_shape()
    p.setClipping(False)
    pen = QPen(QColor("#C8CDD3"))
    pen.setWidthF(15)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)


def _header(p: QPainter, face: CardFace, height: float, bleed: float, subtitle: str) -> None:
    p.fillRect(QRectF(-bleed, -bleed, g.CARD_W + 2 * bleed, height + bleed), BRAND)
    text_left = g.SAFE
    logo = _logo(face.shop.logo_path)
    if logo is not None:
        logo_h = height - 2 * 250
        logo_w = min(2400.0, logo_h * logo.width() / max(1, logo.height()))
        target = QRectF(g.SAFE, 250, logo_w, logo_h)
        scaled_h = min(logo_h, logo_w * logo.height() / max(1, logo.width()))
        target.setTop(250 + (logo_h - scaled_h) / 2)
        target.setHeight(scaled_h)
        p.drawImage(target, logo)
        text_left = g.SAFE + logo_w + 250
    width = g.CARD_W - g.SAFE - text_left
    name = face.shop.name or _tr("Loyalty card")
    if subtitle:
        name_font = _fitted_font(SANS, name, width, 560, 300, bold=True)
        _draw_line(
            p, g.Box(text_left, 220, width, 700), name, name_font, PAPER, Qt.AlignmentFlag.AlignLeft
        )
        _draw_line(
            p,
            g.Box(text_left, 900, width, 400),
            subtitle,
            _font(SANS, 280),
            QColor("#D6E4F0"),
            Qt.AlignmentFlag.AlignLeft,
        )
    else:
        name_font = _fitted_font(SANS, name, width, 420, 260, bold=True)
        _draw_line(
            p,
            g.Box(text_left, 0, width, height),
            name,
            name_font,
            PAPER,
            Qt.AlignmentFlag.AlignLeft,
        )


def paint_front(p: QPainter, face: CardFace, *, bleed: float = 0, outline: bool = False) -> None:
    """The front at the painter's origin: shop band, holder, EAN-13 with the number, QR."""
    layout = g.front_layout(len(qr_matrix(face.number)))
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    p.fillRect(QRectF(-bleed, -bleed, g.CARD_W + 2 * bleed, g.CARD_H + 2 * bleed), PAPER)
    if outline:  # the card's rounded corners, so the band does not poke out of them
        p.setClipPath(_card_shape())
    _header(p, face, layout.header.h, bleed, _tr("Loyalty card"))
    if face.holder:
        font = _fitted_font(SANS, face.holder, layout.name.w, 400, 300)
        _draw_line(p, layout.name, face.holder, font, INK, Qt.AlignmentFlag.AlignLeft)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    draw_ean13(p, face.number, layout.ean)
    draw_qr(p, face.number, layout.qr)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    number_font = _fitted_font(MONO, face.display_number, layout.number.w, 440, 300, bold=True)
    _draw_line(
        p, layout.number, face.display_number, number_font, INK, Qt.AlignmentFlag.AlignHCenter
    )
    if outline:
        _draw_outline(p)
    p.restore()


def paint_back(p: QPainter, face: CardFace, *, bleed: float = 0, outline: bool = False) -> None:
    """The back: the program's terms in short lines, the shop phone and the number again."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    p.fillRect(QRectF(-bleed, -bleed, g.CARD_W + 2 * bleed, g.CARD_H + 2 * bleed), PAPER)
    if outline:  # the card's rounded corners, so the band does not poke out of them
        p.setClipPath(_card_shape())
    band = 950
    _header(p, face, band, bleed, "")
    width = g.CARD_W - 2 * g.SAFE
    lines = [_tr("Show this card at the till to earn and spend points."), *face.shop.terms]
    body = _font(SANS, 265)
    metrics = QFontMetricsF(body)
    p.setFont(body)
    p.setPen(INK)
    y = band + 250.0
    bottom_limit = g.CARD_H - g.SAFE - 520
    for line in lines:
        rect = metrics.boundingRect(
            QRectF(0, 0, width - 220, 10_000), int(Qt.TextFlag.TextWordWrap), line
        )
        if y + rect.height() > bottom_limit:
            log.warning("program terms are too long for the card back; the rest is left off")
            break
        p.setBrush(MUTED)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(QPointF(g.SAFE + 55, y + metrics.ascent() * 0.62), 38, 38)
        p.setPen(INK)
        p.drawText(
            QRectF(g.SAFE + 220, y, width - 220, rect.height() + 5),
            int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft),
            line,
        )
        y += rect.height() + 90
    footer = g.Box(g.SAFE, g.CARD_H - g.SAFE - 420, width, 420)
    if face.shop.phone:
        _draw_line(
            p,
            footer,
            _tr("Tel. %1").replace("%1", face.shop.phone),
            _font(SANS, 300, bold=True),
            INK,
            Qt.AlignmentFlag.AlignLeft,
        )
    _draw_line(p, footer, face.display_number, _font(MONO, 300), MUTED, Qt.AlignmentFlag.AlignRight)
    if outline:
        _draw_outline(p)
    p.restore()


def paint_crop_marks(p: QPainter) -> None:
    pen = QPen(QColor("#000000"))
    pen.setWidthF(12)  # 0.12 mm: visible, and thin enough to cut on
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setPen(pen)
    for line in g.crop_marks():
        p.drawLine(QPointF(line.x1, line.y1), QPointF(line.x2, line.y2))
    p.restore()

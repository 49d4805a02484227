"""The decoder keeps our card numbers and tells foreign codes apart."""

from __future__ import annotations

import zxingcpp
from PIL import Image

from terminal.app.enrollment import Enrollment
from terminal.cardprint import card_job, render_page
from terminal.core.customer_form import CustomerForm
from terminal.scan import card_numbers_in, codes_in


def _product_ean13() -> Image.Image:
    symbol = zxingcpp.create_barcode("4820000000017", zxingcpp.BarcodeFormat.EAN13)
    image = zxingcpp.write_barcode_to_image(symbol, scale=4, add_quiet_zones=True)
    return Image.fromarray(image)  # zxing's image has the array interface PIL reads


def test_a_rendered_card_as_qimage_gives_its_number_once(till) -> None:
    card = Enrollment(till).register(CustomerForm("A", "0671111111")).card
    frame = render_page(card_job(till, card), 0, dpi=150)
    assert card_numbers_in(frame) == [card]
    assert sorted(c.format for c in codes_in(frame)) == ["EAN13", "QRCode"]


def test_a_product_barcode_is_seen_but_is_not_a_card() -> None:
    codes = codes_in(_product_ean13())
    assert [(c.text, c.format, c.card) for c in codes] == [("4820000000017", "EAN13", None)]
    assert card_numbers_in(_product_ean13()) == []


def test_a_blank_frame_has_no_codes() -> None:
    assert codes_in(Image.new("L", (640, 480), 255)) == []

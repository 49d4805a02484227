"""Acceptance: every code printed on a card or a sheet scans back to the number in the database,
straight from the renderer, from the PDF, and after a simulated 300 dpi print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from terminal.app.card_stock import CardStock
from terminal.app.enrollment import Enrollment
from terminal.app.settings import put_setting
from terminal.cardprint import card_job, render_card_pdf, render_page, render_sheet_pdf
from terminal.cardprint import geometry as g
from terminal.cli import main
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import CardUnavailable
from terminal.scan import card_numbers_in, codes_in

SHOP = "Кав'ярня «Ранок»"


def _shop(till, logo: Path | None = None) -> None:
    with till.write() as s:
        put_setting(s, "shop_name", SHOP, till.now())
        put_setting(s, "shop_phone", "+380 44 000 11 22", till.now())
        if logo is not None:
            put_setting(s, "logo_path", str(logo), till.now())


def _formats_by_number(image) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for code in codes_in(image):
        found.setdefault(code.text, set()).add(code.format)
    return found


def _printed(page: Image.Image, dpi_in: int) -> Image.Image:
    """What comes out of a 300 dpi printer: resampled to 300 dpi and the ink slightly spread."""
    scale = 300 / dpi_in
    small = page.resize((round(page.width * scale), round(page.height * scale)), Image.LANCZOS)
    return small.filter(ImageFilter.GaussianBlur(radius=1.2))


def _slot_crops(page: Image.Image, dpi: int) -> list[Image.Image]:
    px = dpi / 2540
    return [
        page.crop((round(s.x * px), round(s.y * px), round(s.right * px), round(s.bottom * px)))
        for s in g.sheet_slots()
    ]


def test_single_card_codes_decode_from_the_renderer(till, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 120), "#E0A030").save(logo)
    _shop(till, logo)
    card = Enrollment(till).register(CustomerForm("Олена Петренко", "0671234567")).card
    image = render_page(card_job(till, card), 0, dpi=300)
    assert _formats_by_number(image) == {card: {"QRCode", "EAN13"}}
    # the logo is drawn in the band at the top left
    assert image.pixelColor(round(g.SAFE * 300 / 2540) + 10, 90).name() == "#e0a030"


def test_single_card_pdf_decodes_and_carries_real_cyrillic_text(
    till, tmp_path: Path, rasterize
) -> None:
    _shop(till)
    card = Enrollment(till).register(CustomerForm("Олена Петренко", "0671234567")).card
    pdf = render_card_pdf(till, card, tmp_path / "card.pdf", back=True)
    front = rasterize(pdf, 1, 600)
    assert _formats_by_number(front) == {card: {"QRCode", "EAN13"}}
    assert _formats_by_number(_printed(front, 600)) == {card: {"QRCode", "EAN13"}}
    assert abs(front.width - 85.6 / 25.4 * 600) < 3 and abs(front.height - 54 / 25.4 * 600) < 3
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert SHOP in text and "Олена Петренко" in text and "2010 0000 0001 4" in text
        assert "5 % back in points, 1 point = 1.00 ₴" in text
        assert "Tel. +380 44 000 11 22" in text
    if shutil.which("pdffonts"):
        fonts = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert "DejaVu" in fonts


def test_every_code_on_a_ten_card_sheet_decodes_in_its_place(
    till, tmp_path: Path, rasterize
) -> None:
    _shop(till)
    batch = CardStock(till).reserve(10)
    pdf = render_sheet_pdf(till, batch.numbers, tmp_path / "sheet.pdf")
    page = rasterize(pdf, 1, 600)
    assert abs(page.width - 210 / 25.4 * 600) < 3 and abs(page.height - 297 / 25.4 * 600) < 3
    straight = page.resize((round(page.width / 2), round(page.height / 2)), Image.LANCZOS)
    printed = _printed(page, 600)
    for crops in (_slot_crops(straight, 300), _slot_crops(printed, 300)):
        decoded = [_formats_by_number(crop) for crop in crops]
        assert decoded == [{n: {"QRCode", "EAN13"}} for n in batch.numbers]


def test_sheet_card_scanned_at_registration_is_assigned_once(till, tmp_path: Path) -> None:
    batch = CardStock(till).reserve(10)
    sheet = render_page(card_job_sheet := _sheet(till, batch.numbers), 0, dpi=300)
    assert card_job_sheet.pages[0].faces[7].number == batch.numbers[7]
    scanned = card_numbers_in(_slot_crops(_qimage_to_pil(sheet), 300)[7])
    assert scanned == [batch.numbers[7]]
    enrolled = Enrollment(till).register(
        CustomerForm("Ірина", "0679998877"), card_number=scanned[0]
    )
    assert enrolled.card == batch.numbers[7]
    with pytest.raises(CardUnavailable, match="already belongs"):
        Enrollment(till).register(CustomerForm("Petro", "0671112233"), card_number=scanned[0])


def test_cli_batch_pdf_csv_and_database_agree(till, tmp_path: Path, rasterize) -> None:
    db = str(till.db_path)
    pdf, csv_file = tmp_path / "batch.pdf", tmp_path / "batch.csv"
    code = main(
        ["--db", db, "cards", "batch", "--count", "10", "--out", str(pdf), "--csv", str(csv_file)]
    )
    assert code == 0
    stock = CardStock(till)
    numbers = stock.batch_numbers(stock.report().batches[0].batch)
    csv_numbers = [line.split(",")[0] for line in csv_file.read_text().splitlines()[1:]]
    assert csv_numbers == numbers and len(numbers) == 10
    page = _printed(rasterize(pdf, 1, 300), 300)
    assert [card_numbers_in(crop) for crop in _slot_crops(page, 300)] == [[n] for n in numbers]


def test_cli_print_refuses_a_missing_folder_and_unknown_card(till, tmp_path: Path, capsys) -> None:
    db = str(till.db_path)
    assert (
        main(
            [
                "--db",
                db,
                "cards",
                "print",
                "--card",
                "2010000000014",
                "--out",
                str(tmp_path / "none" / "c.pdf"),
            ]
        )
        != 0
    )
    assert (
        main(
            [
                "--db",
                db,
                "cards",
                "print",
                "--card",
                "2010000000014",
                "--out",
                str(tmp_path / "c.pdf"),
            ]
        )
        == 4
    )
    assert "no card 2010000000014" in capsys.readouterr().err
    assert not (tmp_path / "c.pdf").exists()


def _sheet(till, numbers):
    from terminal.cardprint import sheet_job

    return sheet_job(till, numbers)


def _qimage_to_pil(image) -> Image.Image:
    from terminal.scan.decode import _qimage_to_pil as convert

    return convert(image)

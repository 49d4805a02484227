"""The loyalty slip: its text on 58/80 mm rolls, the ESC/POS bytes, and a printer that is gone."""

from __future__ import annotations

import socket
import sqlite3
from datetime import date, datetime

import pytest
from escpos.printer import Dummy

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.slip import PrinterAddress, SlipPrinter, render
from terminal.core.checkout import Redeem, RedeemMode
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import InvalidInput
from terminal.core.slip_text import SlipData, mask_card, slip_lines

CUT = b"\x1dV"
QR_STORE = b"\x1d(k"  # GS ( k: the printer draws the QR itself


def _data(**kw: object) -> SlipData:
    values: dict[str, object] = {
        "shop_name": "Кава & Хліб",
        "card": "2010000000014",
        "at": datetime(2026, 3, 2, 10, 5),
        "points_earned": 25,
        "points_redeemed": 40,
        "balance": 1285,
        "tier": "Silver",
        "expiring": ((60, date(2026, 3, 20)),),
    }
    values.update(kw)
    return SlipData(**values)  # type: ignore[arg-type]


def test_mask_shows_only_the_last_four_digits() -> None:
    assert mask_card("2010000000014") == "•••• 0014"


@pytest.mark.parametrize(("width", "chars"), [(58, 32), (80, 48)])
def test_lines_fit_the_roll(width: int, chars: int) -> None:
    lines = slip_lines(_data(shop_name="A very long shop name that wraps nicely"), width)
    texts = [line.text for line in lines]
    assert any(t.startswith("Points earned") and t.endswith("+25") for t in texts)
    assert any(t.startswith("Points spent") and t.endswith("-40") for t in texts)
    assert any(t.startswith("Expire 20.03.2026") and t.endswith("60") for t in texts)
    assert all(len(line.text) <= (chars // 2 if line.big else chars) for line in lines)
    assert all("2010000000014" not in t for t in texts)  # the full number only in the QR
    balance = next(line for line in lines if line.text.startswith("Balance"))
    assert balance.big and balance.text.endswith("1285")


def test_bytes_have_text_qr_and_cut() -> None:
    payload = render(_data(), 58)
    assert payload.startswith(b"\x1b@")  # initialise
    assert b"Points earned" in payload and b"+25" in payload
    assert b"1285" in payload
    assert "Кава".encode("cp866") in payload  # Cyrillic in the printer's code page
    qr = payload.index(QR_STORE)
    assert b"2010000000014" in payload[qr:]  # the card number stored in the QR symbol
    assert payload.rstrip(b"\n").endswith(CUT + b"\x00") or CUT in payload[-8:]
    assert payload.index(b"Balance") < qr < payload.rindex(CUT)


def test_sale_slip_goes_to_the_printer(till) -> None:  # type: ignore[no-untyped-def]
    enrolled = Enrollment(till).register(CustomerForm("Olha", "0671112233"))
    result = Counter(till).checkout(
        SaleRequest(enrolled.card, 50_000, Redeem(RedeemMode.POINTS, 40)), "sale-1"
    )
    printed: list[Dummy] = []

    def connect(_address: PrinterAddress) -> Dummy:
        printed.append(Dummy())
        return printed[-1]

    slips = SlipPrinter(till, connect)
    assert slips.print_sale(result).printed is False  # slips are off by default: nothing sent
    slips.save_settings(True, "network:192.168.1.50", 80)
    outcome = slips.print_sale(result)

    assert outcome.printed, outcome.message
    output = printed[-1].output
    assert f"+{result.points_earned}".encode() in output
    assert b"-40" in output
    assert str(result.balance).encode() in output
    assert enrolled.card.encode() in output[output.index(QR_STORE) :]
    assert CUT in output


def test_offline_printer_keeps_the_sale_and_says_so(till, db_path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    enrolled = Enrollment(till).register(CustomerForm("Olha", "0671112233"))
    slips = SlipPrinter(till)
    slips.save_settings(True, f"network:127.0.0.1:{port}", 58)

    result = Counter(till).checkout(SaleRequest(enrolled.card, 20_000), "sale-2")
    outcome = slips.print_sale(result)

    assert outcome.printed is False
    assert "is not connected or switched off" in outcome.message
    assert outcome.data is not None and outcome.data.balance == result.balance
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM purchase WHERE id = 'sale-2'").fetchone() == (1,)


def test_out_of_paper_is_said_plainly(till) -> None:  # type: ignore[no-untyped-def]
    class NoPaper(Dummy):
        def paper_status(self) -> int:
            return 0

    slips = SlipPrinter(till, lambda _a: NoPaper())
    slips.save_settings(True, "usb:0416:5011", 58)
    outcome = slips.print_test()
    assert not outcome.printed
    assert "out of paper" in outcome.message


def test_test_slip_prints_and_says_test(till) -> None:  # type: ignore[no-untyped-def]
    device = Dummy()
    slips = SlipPrinter(till, lambda _a: device)
    slips.save_settings(False, "serial:/dev/ttyUSB0:19200", 58)
    assert slips.print_test().printed
    assert b"TEST SLIP" in device.output and CUT in device.output


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("usb:0416:5011", "usb:0416:5011"),
        ("serial:/dev/ttyUSB0", "serial:/dev/ttyUSB0"),
        ("network:192.168.1.50", "network:192.168.1.50"),
        ("network:printer.local:9100", "network:printer.local:9100"),
    ],
)
def test_printer_addresses(text: str, parsed: str) -> None:
    assert str(PrinterAddress.parse(text)) == parsed


@pytest.mark.parametrize("text", ["", "usb:xyz:1", "lpt1", "network:", "network:1.2.3.4:99999"])
def test_bad_printer_addresses_are_explained(text: str) -> None:
    with pytest.raises(InvalidInput, match="not a printer address"):
        PrinterAddress.parse(text)


def test_settings_refuse_a_bad_width(till) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="58 or 80"):
        SlipPrinter(till).save_settings(True, "usb:0416:5011", 57)

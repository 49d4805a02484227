"""Printing the loyalty slip on the shop's ESC/POS receipt printer, after the sale.

The sale is committed before anything is sent to the printer and printing never raises into the
counter: an unplugged, switched-off or paper-less printer gives a :class:`SlipOutcome` with a
plain message ("the sale is saved; …") and the slip's data, so the cashier can print it again.
The message is a translatable :class:`~terminal.core.sentences.Sentence`: the screens show it in
the till's language.

The slip is first rendered to python-escpos's in-memory ``Dummy`` printer, then the finished
bytes go to the real device in one write: the rendering is what the tests check, and a half-sent
slip cannot happen because of a slow rendering step.

Printer addresses, as the owner types them in the settings:
``usb:0416:5011`` (vendor and product id, hex), ``serial:/dev/ttyUSB0`` (optionally ``:19200``
baud), ``network:192.168.1.50`` (optionally ``:9100``).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from terminal.app.customers import Customers
from terminal.app.journal import ChangeSet, record_event
from terminal.app.results import SaleResult
from terminal.app.settings import get_setting, put_setting
from terminal.app.till import Till
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput, LoyaltyError
from terminal.core.sentences import Sentence
from terminal.core.slip_text import DOTS_PER_LINE, SLIP_TEXTS, WIDTHS_MM, SlipData, slip_lines

log = logging.getLogger("slip")

CONNECT_TIMEOUT_S = 3
QR_SIZE = {58: 5, 80: 6}


@dataclass(frozen=True)
class PrinterAddress:
    kind: str  # usb | serial | network
    target: str  # "0416:5011", "/dev/ttyUSB0", "192.168.1.50"
    option: int | None = None  # baud rate or TCP port

    @classmethod
    def parse(cls, text: str) -> PrinterAddress:
        kind, _, rest = (text or "").strip().partition(":")
        kind = kind.casefold()
        if kind == "usb":
            parts = rest.split(":")
            if len(parts) == 2 and all(_is_hex(p) for p in parts):
                return cls("usb", f"{parts[0]}:{parts[1]}")
        elif kind == "serial" and rest:
            device, _, baud = rest.partition(":")
            if not baud or baud.isdigit():
                return cls("serial", device, int(baud) if baud else None)
        elif kind == "network" and rest:
            host, _, port = rest.partition(":")
            if host and (not port or (port.isdigit() and 0 < int(port) < 65536)):
                return cls("network", host, int(port) if port else None)
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors",
                "“{text}” is not a printer address. Write usb:VID:PID (e.g. usb:0416:5011), "
                "serial:/dev/ttyUSB0 or network:192.168.1.50.",
            ),
            field="slip_printer",
            text=text,
        )

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}" + (f":{self.option}" if self.option else "")


def _is_hex(text: str) -> bool:
    try:
        int(text, 16)
    except ValueError:
        return False
    return 0 < len(text) <= 4


def open_printer(address: PrinterAddress) -> Any:
    """The python-escpos device for an address, opened (raises if it cannot be reached)."""
    from escpos import printer

    if address.kind == "usb":
        vendor, product = (int(p, 16) for p in address.target.split(":"))
        device: Any = printer.Usb(vendor, product, timeout=CONNECT_TIMEOUT_S * 1000)
    elif address.kind == "serial":
        device = printer.Serial(address.target, baudrate=address.option or 9600)
    else:
        device = printer.Network(
            address.target, port=address.option or 9100, timeout=CONNECT_TIMEOUT_S
        )
    device.open()
    return device


Connect = Callable[[PrinterAddress], Any]


@dataclass(frozen=True)
class SlipSettings:
    enabled: bool
    printer: str
    width_mm: int


@dataclass(frozen=True)
class SlipOutcome:
    printed: bool
    message: str  # a Sentence (English as a str; sentence_text translates it); "" = say nothing
    data: SlipData | None = None  # what was (or should have been) printed, for "print again"


def not_printed(reason: object) -> Sentence:
    """“The slip was not printed: …” (the reason an error or a sentence, translated too)."""
    return Sentence(
        QT_TRANSLATE_NOOP("Outcomes", "The slip was not printed: {reason}"), reason=reason
    )


def slip_words() -> dict[str, str]:
    """The slip's words in the till's language (the translators the GUI or CLI installed;
    ``QCoreApplication.translate`` is safe from the printing thread)."""
    from PySide6.QtCore import QCoreApplication

    return {text: QCoreApplication.translate("Slip", text) for text in SLIP_TEXTS}


def render(data: SlipData, width_mm: int, words: dict[str, str] | None = None) -> bytes:
    """The slip as ESC/POS bytes: text lines, the card's QR code, a cut."""
    # python-escpos loads its printer capability database on import (~0.5 s): only when printing
    from escpos.printer import Dummy

    dummy = Dummy()
    dummy.profile.profile_data["media"]["width"]["pixel"] = DOTS_PER_LINE[width_mm]
    dummy.hw("INIT")
    for line in slip_lines(data, width_mm, words):
        dummy.set(
            align="center" if line.center else "left",
            bold=line.bold,
            double_width=line.big,
            double_height=line.big,
            normal_textsize=not line.big,
        )
        dummy.text(line.text + "\n")
    dummy.set(align="center", bold=False, normal_textsize=True)
    dummy.qr(data.card, size=QR_SIZE[width_mm], native=True)
    dummy.text(data.card + "\n")
    dummy.cut()
    return bytes(dummy.output)


def _problem(address: str, exc: BaseException) -> Sentence:
    """A whole sentence for the cashier (translators get whole sentences, not pieces); the
    technical detail goes to the log."""
    text = str(exc).casefold()
    if "paper" in text:
        template = QT_TRANSLATE_NOOP(
            "Outcomes",
            "The slip printer ({address}) is out of paper. Put in a new roll and print again.",
        )
    elif isinstance(exc, socket.timeout | TimeoutError) or "timed out" in text:
        template = QT_TRANSLATE_NOOP(
            "Outcomes",
            "The slip printer ({address}) does not answer. Check its cable and power, then "
            "print the slip again.",
        )
    elif "refused" in text or "not found" in text or "no such" in text or "could not" in text:
        template = QT_TRANSLATE_NOOP(
            "Outcomes",
            "The slip printer ({address}) is not connected or switched off. Check its cable and "
            "power, then print the slip again.",
        )
    else:
        template = QT_TRANSLATE_NOOP(
            "Outcomes",
            "The slip printer ({address}) could not print. Check its cable and power, then "
            "print the slip again.",
        )
    return Sentence(template, address=address)


class SlipPrinter:
    """Slips for sales and the settings' test slip; ``connect`` is replaceable for tests."""

    def __init__(self, till: Till, connect: Connect = open_printer) -> None:
        self.till = till
        self.connect = connect

    def settings(self) -> SlipSettings:
        with self.till.read() as s:
            return SlipSettings(
                bool(get_setting(s, "slip_enabled")),
                str(get_setting(s, "slip_printer") or ""),
                int(get_setting(s, "slip_width") or 80),
            )

    def save_settings(self, enabled: bool, printer: str, width_mm: int) -> SlipSettings:
        """Checked and journaled like every shop setting."""
        printer = printer.strip()
        if printer:
            printer = str(PrinterAddress.parse(printer))
        elif enabled:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Enter the printer's address to print slips."),
                field="slip_printer",
            )
        if width_mm not in WIDTHS_MM:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The paper is 58 or 80 mm wide."), field="slip_width"
            )
        now = self.till.now()
        with self.till.write() as s:
            changes = ChangeSet(s)
            for key, value in (
                ("slip_enabled", bool(enabled)),
                ("slip_printer", printer),
                ("slip_width", width_mm),
            ):
                if get_setting(s, key) != value:
                    put_setting(s, key, value, now)
                    changes.update("shop_setting", key, {"value": value})
            if changes.updates:
                record_event(s, self.till.terminal_id, "settings.changed", changes.payload(), now)
        return SlipSettings(bool(enabled), printer, width_mm)

    def slip_for_sale(self, result: SaleResult) -> SlipData | None:
        """What the slip of a committed sale says; ``None`` for a sale without a card."""
        if result.customer_id is None or result.card is None:
            return None
        view = Customers(self.till).get(result.customer_id, visits=0)
        with self.till.read() as s:
            shop_name = str(get_setting(s, "shop_name"))
            shop_phone = str(get_setting(s, "shop_phone") or "")
        return SlipData(
            shop_name=shop_name,
            card=result.card,
            at=result.created_at,
            points_earned=result.points_earned,
            bonus_points=sum(b.points for b in result.bonuses),
            points_redeemed=result.points_redeemed,
            balance=view.balance,
            tier=result.tier,
            expiring=tuple((x.points, x.expires_at.date()) for x in view.expiring),
            shop_phone=shop_phone,
        )

    def print_sale(self, result: SaleResult) -> SlipOutcome:
        """After the commit: print if slips are on. Never raises; the sale is already saved."""
        settings = self.settings()
        if not settings.enabled:
            return SlipOutcome(False, "")
        try:
            data = self.slip_for_sale(result)
        except LoyaltyError as exc:
            return SlipOutcome(False, not_printed(exc))
        if data is None:
            return SlipOutcome(False, "")
        return self.print_slip(data, settings)

    def print_test(self) -> SlipOutcome:
        """The settings' "print test slip": a sample slip with a made-up card."""
        settings = self.settings()
        with self.till.read() as s:
            shop_name = str(get_setting(s, "shop_name"))
            shop_phone = str(get_setting(s, "shop_phone") or "")
        data = SlipData(
            shop_name=shop_name,
            card="2000000000008",
            at=self.till.now(),
            points_earned=25,
            points_redeemed=10,
            balance=315,
            shop_phone=shop_phone,
            test=True,
        )
        return self.print_slip(data, settings)

    def print_slip(self, data: SlipData, settings: SlipSettings | None = None) -> SlipOutcome:
        settings = settings or self.settings()
        if not settings.printer:
            return SlipOutcome(
                False,
                Sentence(
                    QT_TRANSLATE_NOOP(
                        "Outcomes", "No slip printer is set up: enter its address in Devices."
                    )
                ),
                data,
            )
        try:
            address = PrinterAddress.parse(settings.printer)
        except InvalidInput as exc:
            return SlipOutcome(False, Sentence.of_error(exc), data)
        payload = render(data, settings.width_mm, slip_words())
        device = None
        try:
            device = self.connect(address)
            _check_paper(device)
            device._raw(payload)
        except Exception as exc:  # drivers raise OSError, usb and escpos errors alike
            log.warning("slip not printed on %s: %s", address.kind, exc)
            return SlipOutcome(False, _problem(str(address), exc), data)
        finally:
            if device is not None:
                try:
                    device.close()
                except Exception:  # closing a dead device must not hide the real outcome
                    log.debug("closing the slip printer failed", exc_info=True)
        return SlipOutcome(True, Sentence(QT_TRANSLATE_NOOP("Outcomes", "Slip printed.")), data)


class OutOfPaper(Exception):
    pass


def _check_paper(device: Any) -> None:
    """Ask the printer for its paper sensor when it can answer; most USB/serial ones can."""
    sock = getattr(device, "device", None)
    if isinstance(sock, socket.socket):
        sock.settimeout(1.0)  # a printer that keeps no status channel must not hold the counter
    try:
        status = device.paper_status()
    except Exception:  # no status channel (network models, Dummy): print and hope
        return
    if status == 0:
        raise OutOfPaper("out of paper")

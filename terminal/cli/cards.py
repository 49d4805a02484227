"""``cards print`` (one card to PDF) and ``cards batch`` (reserve stock numbers, A4 sheets, CSV)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from terminal.app.card_stock import CardStock, numbers_csv
from terminal.app.files import cannot_write, partial_name, remove_quietly, write_text_whole
from terminal.cli.context import Cli
from terminal.cli.language import cli_help
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput, StorageError
from terminal.core.sentences import QT_TRANSLATE_N_NOOP, Count, Sentence


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    cards = sub.add_parser(
        "cards", help=cli_help("print loyalty cards and pre-numbered sheets"), parents=[common]
    )
    csub = cards.add_subparsers(dest="cards_command", metavar="ACTION", required=True)

    one = csub.add_parser(
        "print", help=cli_help("one card as a CR80 PDF (card printer)"), parents=[common]
    )
    one.add_argument("--card", required=True, help=cli_help("the card number"))
    one.add_argument("--out", required=True, help=cli_help("the PDF file to write"))
    one.add_argument(
        "--back", action="store_true", help=cli_help("add the back (terms, phone) as page 2")
    )
    one.add_argument("--no-name", action="store_true", help=cli_help("leave the holder's name off"))
    one.set_defaults(handler=_print)

    batch = csub.add_parser(
        "batch",
        help=cli_help("reserve N new stock numbers and print them on A4 sheets of 10"),
        parents=[common],
    )
    batch.add_argument("--count", required=True, type=int, help=cli_help("how many cards"))
    batch.add_argument("--out", required=True, help=cli_help("the PDF file to write"))
    batch.add_argument(
        "--csv", default=None, help=cli_help("also write the numbers as CSV (print shop)")
    )
    batch.add_argument(
        "--back",
        action="store_true",
        help=cli_help("add back pages after each sheet (duplex, flip on the long edge)"),
    )
    batch.set_defaults(handler=_batch)

    stock = csub.add_parser(
        "stock", help=cli_help("how many cards of each status, and the batches"), parents=[common]
    )
    stock.set_defaults(handler=_stock)


def _check_pdf_target(path: str) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "The output file must end in .pdf: {path}"),
            field="out",
            path=path,
        )
    if not (target.parent if str(target.parent) else Path(".")).is_dir():
        raise StorageError(
            QT_TRANSLATE_NOOP("Errors", "The folder {parent} does not exist."),
            path=path,
            parent=target.parent,
        )
    return target


def _write_text(path: str, text: str) -> Path:
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise StorageError(
            QT_TRANSLATE_NOOP("Errors", "The folder {folder} does not exist."),
            path=path,
            folder=folder,
        )
    return write_text_whole(target, text)


def _check_writable(target: Path) -> None:
    """Refuse now, in plain words, a file that cannot be made (a read-only or forbidden
    folder): found after the stock numbers are reserved, it would leave a batch nobody has."""
    probe = partial_name(target)
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise cannot_write(exc, target) from exc
    remove_quietly(probe)


def _print(cli: Cli) -> int:
    from terminal.cardprint import display_number, render_card_pdf

    a = cli.args
    target = _check_pdf_target(a.out)
    cli.speak_shop_language(painting=True)  # the card's words in the shop's language
    render_card_pdf(cli.till, a.card, target, back=a.back, with_name=not a.no_name)
    from terminal.core.cards import normalize_card_number

    number = normalize_card_number(a.card)
    pages = 2 if a.back else 1
    written = Sentence(
        QT_TRANSLATE_NOOP("Cli", "Card {card} written to {path} ({pages})."),
        context="Cli",
        card=display_number(number),
        path=target,
        pages=Count("Cli", QT_TRANSLATE_N_NOOP("Cli", "%n page(s)"), pages),
    )
    cli.emit({"card": number, "out": str(target), "pages": pages}, lambda: cli.sentence(written))
    return 0


def _batch(cli: Cli) -> int:
    from terminal.cardprint import display_number, render_sheet_pdf

    a = cli.args
    target = _check_pdf_target(a.out)
    if a.csv and not (Path(a.csv).parent if str(Path(a.csv).parent) else Path(".")).is_dir():
        raise StorageError(
            QT_TRANSLATE_NOOP("Errors", "The folder {parent} does not exist."),
            path=a.csv,
            parent=Path(a.csv).parent,
        )
    _check_writable(target)
    if a.csv:
        _check_writable(Path(a.csv))
    # Ready to paint before reserving: a batch is journaled and cannot be taken back.
    cli.speak_shop_language(painting=True)  # the card's words in the shop's language
    stock = CardStock(cli.till)
    reserved = stock.reserve(a.count)
    # The numbers are reserved (and journaled) first: if the PDF fails, the batch is still
    # listed by ``cards stock`` and its sheets can be printed again from the Cards screen.
    render_sheet_pdf(cli.till, reserved.numbers, target, back=a.back)
    if a.csv:
        _write_text(a.csv, numbers_csv(reserved.numbers, display_number))
    sheets = -(-reserved.count // 10)
    cli.emit(
        {
            "batch": reserved.batch,
            "count": reserved.count,
            "first": reserved.numbers[0],
            "last": reserved.numbers[-1],
            "out": str(target),
            "csv": a.csv,
            "sheets": sheets,
        },
        lambda: cli.translate(
            QT_TRANSLATE_NOOP(
                "Cli",
                "Reserved {cards} (batch {batch}): {first} … {last}; {sheets} written to {path}.",
            )
            if not a.csv
            else QT_TRANSLATE_NOOP(
                "Cli",
                "Reserved {cards} (batch {batch}): {first} … {last}; {sheets} written to {path}, "
                "numbers to {csv}.",
            ),
            cards=Count("Cli", "%n card(s)", reserved.count),
            batch=reserved.batch,
            first=display_number(reserved.numbers[0]),
            last=display_number(reserved.numbers[-1]),
            sheets=Count("Cli", "%n sheet(s)", sheets),
            path=target,
            csv=a.csv,
        ),
    )
    return 0


def _stock(cli: Cli) -> int:
    report = CardStock(cli.till).report()

    def text() -> str:
        counts = report.counts
        lines = [
            cli.translate(
                QT_TRANSLATE_NOOP(
                    "Cli",
                    "In stock {stock}, active {active}, blocked {blocked}, replaced {replaced}.",
                ),
                **{key: counts[key] for key in ("stock", "active", "blocked", "replaced")},
            )
        ]
        for b in report.batches:
            row = cli.translate(
                QT_TRANSLATE_NOOP("Cli", "{batch}: {cards}, {in_stock} still in stock"),
                batch=b.batch,
                cards=Count("Cli", "%n card(s)", b.count),
                in_stock=b.in_stock,
            )
            lines.append(f"  {row}")
        return "\n".join(lines)

    cli.emit(
        {
            "counts": report.counts,
            "batches": [
                {
                    "batch": b.batch,
                    "reserved_at": b.reserved_at.isoformat(),
                    "count": b.count,
                    "in_stock": b.in_stock,
                    "first": b.first,
                    "last": b.last,
                }
                for b in report.batches
            ],
        },
        text,
    )
    return 0

"""Customer data rights from the command line.

* ``customer-data export CARD_OR_PHONE --out FILE`` — everything stored about the person, as
  JSON (or a printable PDF when FILE ends in .pdf);
* ``customer-data erase CARD_OR_PHONE --yes`` — anonymize them (sales and points stay);
* ``consent CARD_OR_PHONE on|off`` — record their yes or no to offers, with the time.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from terminal.app.privacy import Privacy
from terminal.cli.context import Cli, ExitCode
from terminal.cli.language import cli_help
from terminal.core.errors import QT_TRANSLATE_NOOP
from terminal.core.sentences import QT_TRANSLATE_N_NOOP, Count, Day, Sentence


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    data = sub.add_parser(
        "customer-data", help=cli_help("export or erase everything stored about a customer")
    )
    actions = data.add_subparsers(dest="data_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help=cli_help("write the customer's data to a JSON or PDF file"), parents=[common]
    )
    export.add_argument("who", metavar="CARD_OR_PHONE")
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        help=cli_help("the file to write: .json, or .pdf for a printable copy"),
    )
    export.set_defaults(handler=_export)
    erase = actions.add_parser(
        "erase",
        help=cli_help(
            "anonymize the customer (name, phone, e-mail, birthday); sales and points stay"
        ),
        parents=[common],
    )
    erase.add_argument("who", metavar="CARD_OR_PHONE")
    erase.add_argument(
        "--yes", action="store_true", help=cli_help("confirm: this cannot be undone")
    )
    erase.set_defaults(handler=_erase)

    consent = sub.add_parser(
        "consent", help=cli_help("record a customer's yes or no to offers"), parents=[common]
    )
    consent.add_argument("who", metavar="CARD_OR_PHONE")
    consent.add_argument("answer", choices=("on", "off"))
    consent.set_defaults(handler=_consent)


def _export(cli: Cli) -> int:
    if cli.args.out.suffix.lower() == ".pdf":
        cli.speak_shop_language(painting=True)  # the customer reads the PDF in the shop's language
    result = Privacy(cli.till).export(cli.args.who, cli.args.out)
    rows = Count("Cli", QT_TRANSLATE_N_NOOP("Cli", "%n record(s)"), sum(result.sections.values()))
    written = Sentence(
        QT_TRANSLATE_NOOP("Cli", "Wrote the customer's data to {path}: {rows}."),
        context="Cli",
        path=result.path,
        rows=rows,
    )
    cli.emit(
        {"customer_id": result.customer_id, "path": str(result.path), "sections": result.sections},
        lambda: cli.sentence(written),
    )
    return int(ExitCode.OK)


def _erase(cli: Cli) -> int:
    if not cli.args.yes:
        problem = QT_TRANSLATE_NOOP("Cli", "erasing cannot be undone; add --yes to confirm.")
        return cli.fail(ExitCode.USAGE, "usage", problem)
    result = Privacy(cli.till).erase(cli.args.who, actor="cli")
    erased = Sentence(
        QT_TRANSLATE_NOOP(
            "Cli",
            "Erased the customer's personal data. Their {sales} and {points} stay in the books, "
            "without a name.",
        ),
        context="Cli",
        sales=Count("Cli", QT_TRANSLATE_N_NOOP("Cli", "%n sale(s)"), result.purchases_kept),
        points=Count("Points", "%n point(s)", result.balance_kept),
    )
    cli.emit(
        {
            "customer_id": result.customer_id,
            "erased_at": result.erased_at.isoformat(),
            "purchases_kept": result.purchases_kept,
            "balance_kept": result.balance_kept,
        },
        lambda: cli.sentence(erased),
    )
    return int(ExitCode.OK)


def _consent(cli: Cli) -> int:
    on = cli.args.answer == "on"
    result = Privacy(cli.till).set_consent(cli.args.who, on, actor="cli", source="cli")
    if not result.changed:
        template = (
            QT_TRANSLATE_NOOP("Cli", "No change: consent was already given.")
            if on
            else QT_TRANSLATE_NOOP("Cli", "No change: consent was already withdrawn.")
        )
    else:
        template = (
            QT_TRANSLATE_NOOP("Cli", "Consent given at {when}.")
            if on
            else QT_TRANSLATE_NOOP("Cli", "Consent withdrawn at {when}.")
        )
    cli.emit(
        {
            "customer_id": result.customer_id,
            "consent": result.consent,
            "changed": result.changed,
            "at": result.at.isoformat(),
        },
        lambda: cli.translate(
            template,
            when=cli.translate(
                QT_TRANSLATE_NOOP("Cli", "{day} {time}"),
                day=Day(result.at),
                time=f"{result.at:%H:%M}",
            ),
        ),
    )
    return int(ExitCode.OK)

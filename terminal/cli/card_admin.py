"""``card block``, ``card unblock`` and ``card replace``: the desk's card actions, scriptable."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.app.card_admin import CardAdmin
from terminal.cli.context import Cli
from terminal.cli.language import cli_help
from terminal.core.cards import BLOCKED_AT_THE_DESK
from terminal.core.sentences import QT_TRANSLATE_NOOP, Count


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    card = sub.add_parser(
        "card", help=cli_help("block, unblock or replace a customer's card"), parents=[common]
    )
    csub = card.add_subparsers(dest="card_command", metavar="ACTION", required=True)

    block = csub.add_parser(
        "block", help=cli_help("stop a card from working (lost, stolen)"), parents=[common]
    )
    block.add_argument("number", help=cli_help("the card number"))
    block.add_argument("--reason", default=None, help=cli_help("why, kept in the audit log"))
    block.set_defaults(handler=_block)

    unblock = csub.add_parser(
        "unblock", help=cli_help("let a blocked card work again"), parents=[common]
    )
    unblock.add_argument("number", help=cli_help("the card number"))
    unblock.add_argument("--reason", default=None, help=cli_help("why, kept in the audit log"))
    unblock.set_defaults(handler=_unblock)

    replace = csub.add_parser(
        "replace",
        help=cli_help("give the card's owner a new card; balance and history follow them"),
        parents=[common],
    )
    replace.add_argument("old", help=cli_help("the lost or damaged card's number"))
    replace.add_argument(
        "--new", default=None, help=cli_help("a pre-printed card to give (default: a new number)")
    )
    replace.add_argument("--reason", default=None, help=cli_help("why, kept in the audit log"))
    replace.set_defaults(handler=_replace)


# The reason the app writes when none is given (stored in English, shown translated).
_UNSAID_REASON = BLOCKED_AT_THE_DESK

# A card's status as the command line names it.
_STATUSES = {
    "active": QT_TRANSLATE_NOOP("Cli", "active"),
    "stock": QT_TRANSLATE_NOOP("Cli", "in stock"),
    "blocked": QT_TRANSLATE_NOOP("Cli", "blocked"),
    "replaced": QT_TRANSLATE_NOOP("Cli", "replaced"),
}


def _block(cli: Cli) -> int:
    result = CardAdmin(cli.till).block(cli.args.number, cli.args.reason)

    def text() -> str:
        reason = cli.translate(result.reason) if result.reason == _UNSAID_REASON else result.reason
        if result.customer_name:
            return cli.translate(
                QT_TRANSLATE_NOOP("Cli", "Card {card} ({name}) is blocked: {reason}."),
                card=result.card,
                name=result.customer_name,
                reason=reason,
            )
        return cli.translate(
            QT_TRANSLATE_NOOP("Cli", "Card {card} is blocked: {reason}."),
            card=result.card,
            reason=reason,
        )

    cli.emit(result, text)
    return 0


def _unblock(cli: Cli) -> int:
    result = CardAdmin(cli.till).unblock(cli.args.number, cli.args.reason)
    cli.emit(
        result,
        lambda: cli.translate(
            QT_TRANSLATE_NOOP("Cli", "Card {card} works again (status {status})."),
            card=result.card,
            status=cli.translate(_STATUSES.get(result.status, result.status)),
        ),
    )
    return 0


def _replace(cli: Cli) -> int:
    result = CardAdmin(cli.till).replace(cli.args.old, cli.args.new, reason=cli.args.reason)
    cli.emit(
        result,
        lambda: cli.translate(
            QT_TRANSLATE_NOOP(
                "Cli",
                "{name} now has card {new} (card {old} no longer works); balance {points}.",
            ),
            name=result.customer_name,
            new=result.new_card,
            old=result.old_card,
            points=Count("Points", "%n point(s)", result.balance),
        ),
    )
    return 0

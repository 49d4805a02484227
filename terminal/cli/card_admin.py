"""``card block``, ``card unblock`` and ``card replace``: the desk's card actions, scriptable."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.app.card_admin import CardAdmin
from terminal.cli.context import Cli


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    card = sub.add_parser(
        "card", help="block, unblock or replace a customer's card", parents=[common]
    )
    csub = card.add_subparsers(dest="card_command", metavar="ACTION", required=True)

    block = csub.add_parser(
        "block", help="stop a card from working (lost, stolen)", parents=[common]
    )
    block.add_argument("number", help="the card number")
    block.add_argument("--reason", default=None, help="why, kept in the audit log")
    block.set_defaults(handler=_block)

    unblock = csub.add_parser("unblock", help="let a blocked card work again", parents=[common])
    unblock.add_argument("number", help="the card number")
    unblock.add_argument("--reason", default=None, help="why, kept in the audit log")
    unblock.set_defaults(handler=_unblock)

    replace = csub.add_parser(
        "replace",
        help="give the card's owner a new card; balance and history follow them",
        parents=[common],
    )
    replace.add_argument("old", help="the lost or damaged card's number")
    replace.add_argument(
        "--new", default=None, help="a pre-printed card to give (default: a new number)"
    )
    replace.add_argument("--reason", default=None, help="why, kept in the audit log")
    replace.set_defaults(handler=_replace)


def _block(cli: Cli) -> int:
    result = CardAdmin(cli.till).block(cli.args.number, cli.args.reason)
    owner = f" ({result.customer_name})" if result.customer_name else ""
    cli.emit(result, f"Card {result.card}{owner} is blocked: {result.reason}.")
    return 0


def _unblock(cli: Cli) -> int:
    result = CardAdmin(cli.till).unblock(cli.args.number, cli.args.reason)
    cli.emit(result, f"Card {result.card} works again (status {result.status}).")
    return 0


def _replace(cli: Cli) -> int:
    result = CardAdmin(cli.till).replace(cli.args.old, cli.args.new, reason=cli.args.reason)
    cli.emit(
        result,
        f"{result.customer_name} now has card {result.new_card} (card {result.old_card} no "
        f"longer works); balance {result.balance} points.",
    )
    return 0

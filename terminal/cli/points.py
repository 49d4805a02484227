"""``points adjust``: the owner adds or takes away a customer's points, with a reason.

Other owner commands trust whoever can run the command on the till's computer; this one mints
or removes value, so it asks for the owner PIN like the till window does (with the same
five-tries lockout). The PIN comes from ``--pin``, else ``$LOYALTY_OWNER_PIN`` (kept out of the
shell history), else a hidden prompt when a person is at the terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from typing import Any

from terminal.app.adjustments import PointAdjustments
from terminal.app.customers import Customers
from terminal.app.staff import StaffRoster
from terminal.cli.context import Cli
from terminal.cli.language import cli_help
from terminal.core.adjustments import clean_reason, parse_point_change
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput

PIN_ENV = "LOYALTY_OWNER_PIN"
_CUSTOMER_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    points = sub.add_parser(
        "points", help=cli_help("owner corrections of a customer's points"), parents=[common]
    )
    psub = points.add_subparsers(dest="points_command", metavar="ACTION", required=True)
    adjust = psub.add_parser(
        "adjust",
        help=cli_help("add (+N) or take away (-N) points, with a reason; needs the owner PIN"),
        parents=[common],
    )
    adjust.add_argument(
        "who", metavar="CARD_PHONE_OR_ID", help=cli_help("card, phone or customer id")
    )
    adjust.add_argument("--points", required=True, help=cli_help("e.g. +50 or -20"))
    adjust.add_argument(
        "--reason", required=True, help=cli_help("why: shown in the points history")
    )
    adjust.add_argument(
        "--pin",
        default=None,
        help=cli_help("the owner PIN (or set ${env}; else it is asked)").format(env=PIN_ENV),
    )
    adjust.set_defaults(handler=_adjust)


def _owner_pin(cli: Cli) -> str:
    pin = cli.args.pin or os.environ.get(PIN_ENV, "")
    if not pin and sys.stdin.isatty():
        pin = getpass.getpass(cli.translate(QT_TRANSLATE_NOOP("Cli", "Owner PIN: ")))
    if not pin:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "The owner PIN is needed: give it with --pin or ${env}."),
            field="pin",
            env=PIN_ENV,
        )
    return pin


def _adjust(cli: Cli) -> int:
    roster = StaffRoster(cli.till)
    if not roster.owner_exists():
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors", "No owner PIN is set yet: set it in the till window first."
            ),
            field="pin",
        )
    # a typo in the points or an empty reason is said before the PIN is tried (and counted)
    parse_point_change(cli.args.points)
    clean_reason(cli.args.reason)
    owner = roster.sign_in(_owner_pin(cli), role="owner")
    who = cli.args.who.strip()
    customer_id = who if _CUSTOMER_ID.match(who) else Customers(cli.till).find(who).customer_id
    result = PointAdjustments(cli.till).adjust(
        owner.id, customer_id, cli.args.points, cli.args.reason
    )
    cli.emit(
        result,
        lambda: cli.translate(
            QT_TRANSLATE_NOOP("Cli", "{name}: {change} ({reason}); balance {before} → {after}."),
            name=result.name,
            # the abbreviated unit, as the desk writes it: no number agreement to get wrong
            change=cli.translate(
                QT_TRANSLATE_NOOP("Cli", "{points} pts"), points=f"{result.points:+d}"
            ),
            reason=result.reason,
            before=result.balance_before,
            after=result.balance,
        ),
    )
    return 0

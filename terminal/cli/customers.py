"""``customer add``, ``customer show`` and ``balance``."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.results import CustomerView
from terminal.cli.context import Cli
from terminal.cli.language import cli_help
from terminal.core.customer_form import CustomerForm
from terminal.core.sentences import QT_TRANSLATE_NOOP, Count, Day


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    customer = sub.add_parser(
        "customer", help=cli_help("register or show a customer"), parents=[common]
    )
    csub = customer.add_subparsers(dest="customer_command", metavar="ACTION", required=True)

    add = csub.add_parser(
        "add", help=cli_help("register a customer and issue a card"), parents=[common]
    )
    add.add_argument("--name", required=True)
    add.add_argument("--phone", default="")
    add.add_argument("--email", default="")
    add.add_argument("--birthday", default=None, help=cli_help("YYYY-MM-DD or DD.MM.YYYY"))
    add.add_argument("--card", default=None, help=cli_help("a pre-printed card to assign"))
    add.add_argument(
        "--referrer", default=None, help=cli_help("the card of the customer who referred")
    )
    add.add_argument("--consent", action="store_true", help=cli_help("agrees to receive messages"))
    add.set_defaults(handler=_add)

    show = csub.add_parser("show", help=cli_help("a customer by card or phone"), parents=[common])
    show.add_argument("card_or_phone")
    show.add_argument(
        "--visits", type=int, default=10, help=cli_help("how many recent sales to list")
    )
    show.set_defaults(handler=_show)

    balance = sub.add_parser("balance", help=cli_help("points balance of a card"), parents=[common])
    balance.add_argument("card")
    balance.set_defaults(handler=_balance)


def _add(cli: Cli) -> int:
    a = cli.args
    result = Enrollment(cli.till).register(
        CustomerForm(a.name, a.phone, a.email, a.birthday, a.consent),
        card_number=a.card,
        referrer_card=a.referrer,
    )
    cli.emit(
        result,
        lambda: cli.translate(
            QT_TRANSLATE_NOOP("Cli", "Registered {name}: card {card}, balance {points}."),
            name=result.name,
            card=result.card,
            points=_points(result.balance),
        ),
    )
    return 0


def _points(n: int) -> Count:
    return Count("Points", "%n point(s)", n)


def _expiring(cli: Cli, points: int, expires_at: date) -> str:
    """One "points expire on a day" line (translated as a noun phrase, "Згоряння 31.03.2026:
    120 балів", so no verb has to agree with the number)."""
    return cli.translate(
        QT_TRANSLATE_NOOP("Cli", "{points} expire on {day}"),
        points=_points(points),
        day=Day(expires_at),
    )


def _view_json(view: CustomerView) -> dict[str, Any]:
    return {
        "customer_id": view.customer_id,
        "name": view.name,
        "phone": view.phone,
        "email": view.email,
        "birthday": view.birthday,
        "card": view.card,
        "cards": view.cards,
        "balance": view.balance,
        "tier": view.tier,
        "next_tier": view.next_tier,
        "to_next_tier": view.to_next_tier,
        "lifetime_paid": view.lifetime_paid,
        "visits": view.visits,
        "expiring": view.expiring,
        "purchases": view.purchases,
    }


def _show(cli: Cli) -> int:
    view = Customers(cli.till).find(cli.args.card_or_phone, visits=cli.args.visits)

    def text() -> str:
        none = "—"
        lines = [
            cli.translate(
                QT_TRANSLATE_NOOP("Cli", "{name}  card {card}  phone {phone}"),
                name=view.name,
                card=view.card or none,
                phone=view.phone or none,
            ),
            cli.translate(
                QT_TRANSLATE_NOOP(
                    "Cli", "Balance {points}, tier {tier}, lifetime paid {paid}, {visits}"
                ),
                points=_points(view.balance),
                tier=view.tier,
                paid=cli.amount(view.lifetime_paid),
                visits=Count("Cli", "%n visit(s)", view.visits),
            ),
        ]
        if view.next_tier:
            lines.append(
                cli.translate(
                    QT_TRANSLATE_NOOP("Cli", "{amount} to {tier}"),
                    amount=cli.amount(view.to_next_tier or 0),
                    tier=view.next_tier,
                )
            )
        lines += [_expiring(cli, lot.points, lot.expires_at) for lot in view.expiring]
        for p in view.purchases:
            row = cli.translate(
                QT_TRANSLATE_NOOP("Cli", "{day} {time}  {amount}  paid {paid}  +{earned} −{spent}"),
                day=Day(p.at),
                time=f"{p.at:%H:%M}",
                amount=cli.amount(p.amount),
                paid=cli.amount(p.paid),
                earned=p.points_earned,
                spent=p.points_redeemed,
            )
            if p.refunded_amount:
                row += cli.translate(
                    QT_TRANSLATE_NOOP("Cli", ", refunded {amount}"),
                    amount=cli.amount(p.refunded_amount),
                )
            lines.append(f"  {row}  [{p.sale_id}]")
        return "\n".join(lines)

    cli.emit(_view_json(view), text)
    return 0


def _balance(cli: Cli) -> int:
    view = Customers(cli.till).by_card(cli.args.card)
    data = {
        "card": view.card,
        "balance": view.balance,
        "tier": view.tier,
        "expiring": view.expiring,
    }

    def text() -> str:
        lines = [
            cli.translate(
                QT_TRANSLATE_NOOP("Cli", "Card {card}: {points}, tier {tier}"),
                card=view.card,
                points=_points(view.balance),
                tier=view.tier,
            )
        ]
        lines += [_expiring(cli, x.points, x.expires_at) for x in view.expiring]
        return "\n".join(lines)

    cli.emit(data, text)
    return 0

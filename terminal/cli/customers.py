"""``customer add``, ``customer show`` and ``balance``."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.app.customers import Customers
from terminal.app.enrollment import Enrollment
from terminal.app.results import CustomerView
from terminal.cli.context import Cli
from terminal.core.customer_form import CustomerForm


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    customer = sub.add_parser("customer", help="register or show a customer", parents=[common])
    csub = customer.add_subparsers(dest="customer_command", metavar="ACTION", required=True)

    add = csub.add_parser("add", help="register a customer and issue a card", parents=[common])
    add.add_argument("--name", required=True)
    add.add_argument("--phone", default="")
    add.add_argument("--email", default="")
    add.add_argument("--birthday", default=None, help="YYYY-MM-DD or DD.MM.YYYY")
    add.add_argument("--card", default=None, help="a pre-printed card to assign")
    add.add_argument("--referrer", default=None, help="the card of the customer who referred")
    add.add_argument("--consent", action="store_true", help="agrees to receive messages")
    add.set_defaults(handler=_add)

    show = csub.add_parser("show", help="a customer by card or phone", parents=[common])
    show.add_argument("card_or_phone")
    show.add_argument("--visits", type=int, default=10, help="how many recent sales to list")
    show.set_defaults(handler=_show)

    balance = sub.add_parser("balance", help="points balance of a card", parents=[common])
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
        f"Registered {result.name}: card {result.card}, balance {result.balance} points.",
    )
    return 0


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
        lines = [
            f"{view.name}  card {view.card or '—'}  phone {view.phone or '—'}",
            f"Balance {view.balance} points, tier {view.tier}, "
            f"lifetime paid {cli.money(view.lifetime_paid)}, {view.visits} visits",
        ]
        if view.next_tier:
            lines.append(f"{cli.money(view.to_next_tier or 0)} to {view.next_tier}")
        for lot in view.expiring:
            lines.append(f"{lot.points} points expire on {lot.expires_at:%Y-%m-%d}")
        for p in view.purchases:
            refunded = f", refunded {cli.money(p.refunded_amount)}" if p.refunded_amount else ""
            lines.append(
                f"  {p.at:%Y-%m-%d %H:%M}  {cli.money(p.amount)}  paid {cli.money(p.paid)}  "
                f"+{p.points_earned} −{p.points_redeemed}{refunded}  [{p.sale_id}]"
            )
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
        lines = [f"Card {view.card}: {view.balance} points, tier {view.tier}"]
        lines += [f"{x.points} points expire on {x.expires_at:%Y-%m-%d}" for x in view.expiring]
        return "\n".join(lines)

    cli.emit(data, text)
    return 0

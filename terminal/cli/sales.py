"""``sale`` and ``refund``: the same checkout and refund paths as the counter screen."""

from __future__ import annotations

import argparse
import uuid
from typing import Any

from terminal.app.counter import Counter, SaleRequest
from terminal.app.refunds import Refunds
from terminal.app.results import SaleResult
from terminal.cli.context import Cli
from terminal.core.checkout import Redeem
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.money import parse_amount


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    sale = sub.add_parser("sale", help="record a sale on a card (or without one)", parents=[common])
    sale.add_argument("--card", default=None, help="card number; omit for a sale without a card")
    sale.add_argument("--amount", required=True, help="check amount, e.g. 123.45 or 123,45")
    sale.add_argument("--redeem", default="none", help="none, max or a number of points")
    sale.add_argument("--id", dest="sale_id", default=None, help="client sale UUID (idempotent)")
    sale.add_argument("--category", default=None)
    sale.add_argument("--dry-run", action="store_true", help="show the quote, record nothing")
    sale.set_defaults(handler=_sale)

    refund = sub.add_parser("refund", help="refund a sale in full or in part", parents=[common])
    refund.add_argument("--sale", required=True, help="the sale id")
    refund.add_argument("--amount", default=None, help="part of the check to refund")
    refund.add_argument("--id", dest="refund_id", default=None, help="client refund UUID")
    refund.set_defaults(handler=_refund)


def _uuid(text: str | None, what: str) -> str | None:
    if text is None:
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“{text}” is not a valid {what} id (a UUID)."),
            text=text,
            what=what,
        ) from None


def _sale(cli: Cli) -> int:
    a = cli.args
    amount = parse_amount(a.amount, cli.decimals())
    request = SaleRequest(a.card, amount, Redeem.parse(a.redeem), a.category)
    counter = Counter(cli.till)
    if a.dry_run:
        priced = counter.quote(request)
        q = priced.quote
        data: dict[str, Any] = {
            "dry_run": True,
            "amount": amount,
            "discount": q.discount if q else 0,
            "points_redeemed": q.points_redeemed if q else 0,
            "redeemed_value": q.redeemed_value if q else 0,
            "to_pay": q.to_pay if q else amount,
            "points_earned": q.points_earned if q else 0,
            "bonuses": [{"kind": b.kind, "points": b.points} for b in q.bonuses] if q else [],
            "balance": q.balance_after if q else None,
            "tier": q.tier if q else None,
            "tier_up": q.tier_up if q else None,
            "max_redeemable": q.max_redeemable if q else 0,
        }
        cli.emit(
            data,
            lambda: (
                f"Quote: to pay {cli.money(data['to_pay'])}, "
                f"{data['points_redeemed']} points spent, {data['points_earned']} earned, "
                f"balance after {data['balance']}. Nothing was recorded."
            ),
        )
        return 0
    result = counter.checkout(request, _uuid(a.sale_id, "sale"))
    cli.emit(result, lambda: _sale_text(cli, result))
    return 0


def _sale_text(cli: Cli, r: SaleResult) -> str:
    if r.card is None:
        return f"Sale {r.sale_id}: {cli.money(r.to_pay)} without a card."
    parts = [f"Sale {r.sale_id}: to pay {cli.money(r.to_pay)}"]
    if r.points_redeemed:
        parts.append(f"{r.points_redeemed} points spent (−{cli.money(r.redeemed_value)})")
    if r.discount:
        parts.append(f"discount {cli.money(r.discount)}")
    parts.append(f"{r.points_earned} points earned")
    for b in r.bonuses:
        parts.append(f"{b.kind} bonus {b.points}")
    parts.append(f"balance {r.balance}")
    if r.tier_up:
        parts.append(f"now {r.tier_up}!")
    if r.replayed:
        parts.append("(already recorded earlier; nothing charged again)")
    return ", ".join(parts) + "."


def _refund(cli: Cli) -> int:
    a = cli.args
    amount = parse_amount(a.amount, cli.decimals()) if a.amount is not None else None
    sale_id = _uuid(a.sale, "sale")
    assert sale_id is not None
    result = Refunds(cli.till).refund(sale_id, amount, _uuid(a.refund_id, "refund"))
    cli.emit(
        result,
        lambda: (
            f"Refunded {cli.money(result.amount)} of the check: give back "
            f"{cli.money(result.money_returned)}, {result.points_returned} points returned, "
            f"{result.points_reversed} points taken back"
            + (f", balance {result.balance}" if result.balance is not None else "")
            + "."
        ),
    )
    return 0

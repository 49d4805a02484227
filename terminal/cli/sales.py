"""``sale`` and ``refund``: the same checkout and refund paths as the counter screen."""

from __future__ import annotations

import argparse
import uuid
from typing import Any

from terminal.app.counter import Counter, SaleRequest
from terminal.app.refunds import Refunds
from terminal.app.results import SaleResult
from terminal.cli.context import Cli
from terminal.cli.language import cli_help
from terminal.core.checkout import Redeem, check_cardless
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.money import parse_amount
from terminal.core.sentences import Count, Sentence


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    sale = sub.add_parser(
        "sale", help=cli_help("record a sale on a card (or without one)"), parents=[common]
    )
    sale.add_argument(
        "--card", default=None, help=cli_help("card number; omit for a sale without a card")
    )
    sale.add_argument(
        "--amount", required=True, help=cli_help("check amount, e.g. 123.45 or 123,45")
    )
    sale.add_argument("--redeem", default="none", help=cli_help("none, max or a number of points"))
    sale.add_argument(
        "--id", dest="sale_id", default=None, help=cli_help("client sale UUID (idempotent)")
    )
    sale.add_argument("--category", default=None)
    sale.add_argument(
        "--dry-run", action="store_true", help=cli_help("show the quote, record nothing")
    )
    sale.set_defaults(handler=_sale)

    refund = sub.add_parser(
        "refund", help=cli_help("refund a sale in full or in part"), parents=[common]
    )
    refund.add_argument("--sale", required=True, help=cli_help("the sale id"))
    refund.add_argument("--amount", default=None, help=cli_help("part of the check to refund"))
    refund.add_argument("--id", dest="refund_id", default=None, help=cli_help("client refund UUID"))
    refund.set_defaults(handler=_refund)


# What an id names, said in the error about a mistyped one (translated with it).
_ID_OF = {
    "sale": QT_TRANSLATE_NOOP("Cli", "sale"),
    "refund": QT_TRANSLATE_NOOP("Cli", "refund"),
}


def _uuid(text: str | None, what: str) -> str | None:
    if text is None:
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“{text}” is not a valid {what} id (a UUID)."),
            text=text,
            what=Sentence(_ID_OF[what], context="Cli"),
        ) from None


def _sale(cli: Cli) -> int:
    a = cli.args
    amount = parse_amount(a.amount, cli.decimals())
    redeem = Redeem.parse(a.redeem)
    if a.card is None:
        check_cardless(redeem)  # refused, not dropped: the customer expects to pay less
    request = SaleRequest(a.card, amount, redeem, a.category)
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
        cli.emit(data, lambda: _quote_text(cli, data))
        return 0
    result = counter.checkout(request, _uuid(a.sale_id, "sale"))
    cli.emit(result, lambda: _sale_text(cli, result))
    return 0


def _points(n: int) -> Count:
    return Count("Points", "%n point(s)", n)


def _quote_text(cli: Cli, data: dict[str, Any]) -> str:
    if data["balance"] is None:
        return cli.translate(
            QT_TRANSLATE_NOOP(
                "Cli", "Quote: to pay {to_pay} without a card. Nothing was recorded."
            ),
            to_pay=cli.amount(data["to_pay"]),
        )
    return cli.translate(
        QT_TRANSLATE_NOOP(
            "Cli",
            "Quote: to pay {to_pay}, {spent} spent, {earned} earned, balance after {balance}. "
            "Nothing was recorded.",
        ),
        to_pay=cli.amount(data["to_pay"]),
        spent=_points(data["points_redeemed"]),
        earned=_points(data["points_earned"]),
        balance=data["balance"],
    )


# The bonuses a sale can bring, as the sale's summary names them.
_BONUSES = {
    "welcome": QT_TRANSLATE_NOOP("Cli", "welcome bonus {points}"),
    "birthday": QT_TRANSLATE_NOOP("Cli", "birthday bonus {points}"),
    "referral": QT_TRANSLATE_NOOP("Cli", "referral bonus {points}"),
    "milestone": QT_TRANSLATE_NOOP("Cli", "visit milestone bonus {points}"),
}


def _sale_text(cli: Cli, r: SaleResult) -> str:
    t = cli.translate
    if r.card is None:
        return t(
            QT_TRANSLATE_NOOP("Cli", "Sale {sale}: {to_pay} without a card."),
            sale=r.sale_id,
            to_pay=cli.amount(r.to_pay),
        )
    parts = [
        t(
            QT_TRANSLATE_NOOP("Cli", "Sale {sale}: to pay {to_pay}"),
            sale=r.sale_id,
            to_pay=cli.amount(r.to_pay),
        )
    ]
    if r.points_redeemed:
        parts.append(
            t(
                QT_TRANSLATE_NOOP("Cli", "{points} spent (−{value})"),
                points=_points(r.points_redeemed),
                value=cli.amount(r.redeemed_value),
            )
        )
    if r.discount:
        parts.append(
            t(QT_TRANSLATE_NOOP("Cli", "discount {amount}"), amount=cli.amount(r.discount))
        )
    parts.append(t(QT_TRANSLATE_NOOP("Cli", "{points} earned"), points=_points(r.points_earned)))
    for b in r.bonuses:
        template = _BONUSES.get(b.kind, QT_TRANSLATE_NOOP("Cli", "{kind} bonus {points}"))
        parts.append(t(template, kind=b.kind, points=b.points))
    parts.append(t(QT_TRANSLATE_NOOP("Cli", "balance {balance}"), balance=r.balance))
    if r.tier_up:
        # No "!": the parts are joined into one sentence that ends with a full stop.
        parts.append(t(QT_TRANSLATE_NOOP("Cli", "now {tier}"), tier=r.tier_up))
    if r.replayed:
        parts.append(
            t(QT_TRANSLATE_NOOP("Cli", "(already recorded earlier; nothing charged again)"))
        )
    return ", ".join(parts) + "."


def _refund(cli: Cli) -> int:
    a = cli.args
    refunds = Refunds(cli.till)  # open first: a mistyped id is then told in the shop's language
    amount = parse_amount(a.amount, cli.decimals()) if a.amount is not None else None
    sale_id = _uuid(a.sale, "sale")
    assert sale_id is not None
    result = refunds.refund(sale_id, amount, _uuid(a.refund_id, "refund"))
    params = {
        "amount": cli.amount(result.amount),
        "money": cli.amount(result.money_returned),
        "returned": _points(result.points_returned),
        "reversed": _points(result.points_reversed),
        "balance": result.balance,
    }
    if result.replayed:
        # The same --id again: the money went back the first time; saying "give back" again
        # would have the cashier pay it twice.
        template = QT_TRANSLATE_NOOP(
            "Cli",
            "Refund {refund} was already made earlier ({amount} of the check); nothing was "
            "done now and there is nothing to give back.",
        )
        params["refund"] = result.refund_id
        cli.emit(result, lambda: cli.translate(template, **params))
        return 0
    template = (
        QT_TRANSLATE_NOOP(
            "Cli",
            "Refunded {amount} of the check: give back {money}, {returned} returned, "
            "{reversed} taken back.",
        )
        if result.balance is None
        else QT_TRANSLATE_NOOP(
            "Cli",
            "Refunded {amount} of the check: give back {money}, {returned} returned, "
            "{reversed} taken back, balance {balance}.",
        )
    )
    cli.emit(result, lambda: cli.translate(template, **params))
    return 0

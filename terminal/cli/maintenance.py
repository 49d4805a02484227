"""``check`` (prove the books balance), ``expire`` (write due expiries) and ``demo`` (fill a
throwaway database)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from terminal.app.demo import Demo, DemoPlan
from terminal.app.expiry import ExpirySweep
from terminal.app.integrity import Integrity
from terminal.cli.context import Cli, ExitCode


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    check = sub.add_parser(
        "check", help="verify balances, lots, journal and the database file", parents=[common]
    )
    check.set_defaults(handler=_check)

    expire = sub.add_parser(
        "expire", help="write off every customer's points whose expiry has come", parents=[common]
    )
    expire.set_defaults(handler=_expire)

    demo = sub.add_parser(
        "demo",
        help="fill a new, empty database with realistic customers and a year of sales",
        parents=[common],
    )
    demo.add_argument("--customers", type=_positive, default=1000, help="how many (default 1000)")
    demo.add_argument("--months", type=_positive, default=12, help="months of sales (default 12)")
    demo.add_argument(
        "--sales", type=_positive, default=None, help="how many sales (default 10 per customer)"
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
    demo.set_defaults(handler=_demo)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _expire(cli: Cli) -> int:
    result = ExpirySweep(cli.till).run()
    cli.emit(
        result,
        f"Expired {result.points} points of {result.customers} customers."
        if result.customers
        else "No points were due to expire.",
    )
    return int(ExitCode.OK)


def _demo(cli: Cli) -> int:
    a = cli.args
    plan = DemoPlan(customers=a.customers, months=a.months, sales=a.sales, seed=a.seed)

    def progress(stage: str, done: int, total: int) -> None:
        print(f"demo: {stage} {done}/{total}", file=sys.stderr, flush=True)

    result = Demo(cli.till).fill(plan, progress)
    cli.emit(
        result,
        lambda: (
            f"Demo data: {result.customers} customers, {result.sales} sales "
            f"({result.card_sales} with a card, {result.redemptions} paid partly with points), "
            f"{result.refunds} refunds, {result.birthday_bonuses} birthday and "
            f"{result.referral_bonuses} referral bonuses, {result.expired_points} points "
            f"expired, {result.nps_responses} NPS answers, {result.feedback} feedback notes; "
            f"{result.seconds} s."
        ),
    )
    return int(ExitCode.OK)


def _check(cli: Cli) -> int:
    report = Integrity(cli.till).check()
    data = {
        "ok": report.ok,
        "problems": report.problems,
        "customers": report.customers,
        "purchases": report.purchases,
        "events": report.events,
    }

    def text() -> str:
        if report.ok:
            return (
                f"All good: {report.customers} customers, {report.purchases} sales, "
                f"{report.events} journal events; balances equal their ledgers."
            )
        return "Problems found:\n" + "\n".join(f"  - {p}" for p in report.problems)

    cli.emit(data, text)
    return int(ExitCode.OK if report.ok else ExitCode.PROBLEMS)

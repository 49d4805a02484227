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
from terminal.cli.language import cli_help
from terminal.core.sentences import QT_TRANSLATE_NOOP, Amount, Count


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    check = sub.add_parser(
        "check",
        help=cli_help("verify balances, lots, journal and the database file"),
        parents=[common],
    )
    check.set_defaults(handler=_check)

    expire = sub.add_parser(
        "expire",
        help=cli_help("write off every customer's points whose expiry has come"),
        parents=[common],
    )
    expire.set_defaults(handler=_expire)

    demo = sub.add_parser(
        "demo",
        help=cli_help("fill a new, empty database with realistic customers and a year of sales"),
        parents=[common],
    )
    demo.add_argument(
        "--customers", type=_positive, default=1000, help=cli_help("how many (default 1000)")
    )
    demo.add_argument(
        "--months", type=_positive, default=12, help=cli_help("months of sales (default 12)")
    )
    demo.add_argument(
        "--sales",
        type=_positive,
        default=None,
        help=cli_help("how many sales (default 10 per customer)"),
    )
    demo.add_argument(
        "--seed", type=int, default=1, help=cli_help("same seed, same data (default 1)")
    )
    demo.set_defaults(handler=_demo, makes_database=True)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            cli_help("“{text}” is not a whole number").format(text=text)
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(cli_help("must be at least 1"))
    return value


def _expire(cli: Cli) -> int:
    result = ExpirySweep(cli.till).run()
    cli.emit(
        result,
        lambda: (
            cli.translate(
                QT_TRANSLATE_NOOP("Cli", "Expired {points} of {customers}."),
                points=Count("Points", "%n point(s)", result.points),
                customers=Count("Cli", "%n customer(s)", result.customers),
            )
            if result.customers
            else cli.translate(QT_TRANSLATE_NOOP("Cli", "No points were due to expire."))
        ),
    )
    return int(ExitCode.OK)


# What the demo is filling, as its progress lines on stderr name it.
_STAGES = {
    "customers": QT_TRANSLATE_NOOP("Cli", "customers"),
    "sales": QT_TRANSLATE_NOOP("Cli", "sales"),
    "indexes": QT_TRANSLATE_NOOP("Cli", "indexes"),
}


def _demo(cli: Cli) -> int:
    a = cli.args
    plan = DemoPlan(customers=a.customers, months=a.months, sales=a.sales, seed=a.seed)

    def progress(stage: str, done: int, total: int) -> None:
        line = cli.translate(
            QT_TRANSLATE_NOOP("Cli", "demo: {stage} {done}/{total}"),
            stage=cli.translate(_STAGES[stage]) if stage in _STAGES else stage,
            done=done,
            total=total,
        )
        print(line, file=sys.stderr, flush=True)

    result = Demo(cli.till).fill(plan, progress)
    cli.emit(
        result,
        lambda: cli.translate(
            QT_TRANSLATE_NOOP(
                "Cli",
                "Demo data: {customers}, {sales} ({card_sales} with a card, {redemptions} paid "
                "partly with points), {refunds}, {birthday} birthday and {referral} referral "
                "bonuses, {expired} expired, {nps} NPS answers, {feedback} feedback notes; "
                "{seconds} s.",
            ),
            customers=Count("Cli", "%n customer(s)", result.customers),
            sales=Count("Cli", "%n sale(s)", result.sales),
            card_sales=result.card_sales,
            redemptions=result.redemptions,
            refunds=Count("Cli", "%n refund(s)", result.refunds),
            birthday=result.birthday_bonuses,
            referral=result.referral_bonuses,
            expired=Count("Points", "%n point(s)", result.expired_points),
            nps=result.nps_responses,
            feedback=result.feedback,
            seconds=Amount(round(result.seconds * 10), 1),  # tenths, with the locale's comma
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
            return cli.translate(
                QT_TRANSLATE_NOOP(
                    "Cli",
                    "All good: {customers}, {sales}, {events}; balances equal their ledgers.",
                ),
                customers=Count("Cli", "%n customer(s)", report.customers),
                sales=Count("Cli", "%n sale(s)", report.purchases),
                events=Count("Cli", "%n journal event(s)", report.events),
            )
        heading = cli.translate(QT_TRANSLATE_NOOP("Cli", "Problems found:"))
        return heading + "".join(f"\n  - {cli.sentence(p)}" for p in report.problems)

    cli.emit(data, text)
    return int(ExitCode.OK if report.ok else ExitCode.PROBLEMS)

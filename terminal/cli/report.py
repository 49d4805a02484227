"""``loyalty-terminal report --from D --to D [--json]``: the dashboard's KPIs in the terminal.

Calls the same :class:`terminal.app.reports.Reports` as the Reports screen, so the numbers match.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from terminal.app.reports import KpiReport, Reports
from terminal.app.results import to_jsonable
from terminal.cli.context import Cli, ExitCode
from terminal.cli.language import cli_help
from terminal.core.kpis import Period
from terminal.core.sentences import QT_TRANSLATE_NOOP, Count


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    report = sub.add_parser(
        "report",
        help=cli_help(
            "loyalty KPIs for a period beside the previous period (the owner's dashboard)"
        ),
        parents=[common],
    )
    report.add_argument(
        "--from", dest="start", type=_day, required=True, help=cli_help("first day, YYYY-MM-DD")
    )
    report.add_argument(
        "--to", dest="end", type=_day, required=True, help=cli_help("last day, YYYY-MM-DD")
    )
    report.set_defaults(handler=_report)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            cli_help("“{text}” is not a date like 2026-01-31").format(text=text)
        ) from None


# The report's money figures (minor units inside), written in JSON as every command writes
# money: a string with the currency's decimals ("123.45"), as the README promises.
REPORT_MONEY_FIELDS = frozenset(
    {
        "revenue",
        "member_revenue",
        "avg_check",
        "avg_check_members",
        "avg_check_first",
        "avg_check_repeat",
        "clv",
        "refunded_amount",
        "value",
        "expiring_value_30d",
        "point_value",
    }
)


def report_json(report: KpiReport, money: Callable[[int], str]) -> dict[str, Any]:
    """Plain JSON of the report: money as a string with the currency's decimals (``money``),
    shares in basis points, ``*_x100`` ratios ×100, null where there is nothing to divide by."""
    return _money_as_text(to_jsonable(report), money)


def _money_as_text(value: Any, money: Callable[[int], str], key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _money_as_text(v, money, k) for k, v in value.items()}
    if key in REPORT_MONEY_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return money(value)
    return value


# The dashboard's own names for its figures (context "Dashboard"), so both read the same.
_ROWS: list[tuple[str, str, str]] = [  # (title, field, how it is written)
    (QT_TRANSLATE_NOOP("Dashboard", "Sales"), "sales", "count"),
    (QT_TRANSLATE_NOOP("Dashboard", "Revenue"), "revenue", "money"),
    (QT_TRANSLATE_NOOP("Dashboard", "Active members"), "active_members", "count"),
    (QT_TRANSLATE_NOOP("Dashboard", "New members"), "new_members", "count"),
    (QT_TRANSLATE_NOOP("Dashboard", "Participation"), "participation_bp", "percent"),
    (QT_TRANSLATE_NOOP("Dashboard", "Repeat purchase rate"), "repeat_rate_bp", "percent"),
    (QT_TRANSLATE_NOOP("Dashboard", "Purchase frequency"), "frequency_x100", "x100"),
    (QT_TRANSLATE_NOOP("Dashboard", "Average check"), "avg_check", "money"),
    (QT_TRANSLATE_NOOP("Dashboard", "Average check, members"), "avg_check_members", "money"),
    (QT_TRANSLATE_NOOP("Dashboard", "Average first check"), "avg_check_first", "money"),
    (QT_TRANSLATE_NOOP("Dashboard", "Average repeat check"), "avg_check_repeat", "money"),
    (QT_TRANSLATE_NOOP("Dashboard", "Customer lifetime value"), "clv", "money"),
    (QT_TRANSLATE_NOOP("Dashboard", "Retention (CRR)"), "retention_bp", "percent"),
    (QT_TRANSLATE_NOOP("Dashboard", "Churn"), "churn_bp", "percent"),
    (QT_TRANSLATE_NOOP("Dashboard", "Points issued"), "points_issued", "count"),
    (QT_TRANSLATE_NOOP("Dashboard", "Points redeemed"), "points_redeemed", "count"),
    (QT_TRANSLATE_NOOP("Dashboard", "Points expired"), "points_expired", "count"),
    (QT_TRANSLATE_NOOP("Dashboard", "Redemption rate"), "redemption_rate_bp", "percent"),
    (QT_TRANSLATE_NOOP("Dashboard", "NPS"), "nps", "count"),
    (QT_TRANSLATE_NOOP("Dashboard", "CSAT"), "csat_bp", "percent"),
]


def _text(cli: Cli, report: KpiReport) -> str:
    """The figures as a table in the shop's language: the titles as the dashboard names them,
    numbers and money with the locale's separators, two decimals for rates."""
    from terminal.i18n_text import locale_amount, locale_date, translated

    cli.speak_shop_language()
    cur, prev = report.current, report.previous
    decimals = cli.decimals()

    def cell(value: int | None, how: str) -> str:
        if value is None:
            return "—"
        if how == "money":
            return locale_amount(value, decimals)
        if how == "percent":
            return f"{locale_amount(value, 2)} %"  # basis points: 7500 → "75,00 %"
        if how == "x100":
            return locale_amount(value, 2)
        return locale_amount(value, 0)  # a count, with the locale's digit grouping

    def period(figures: Any) -> str:
        return f"{locale_date(figures.start)} – {locale_date(figures.end)}"

    titles = [translated("Dashboard", title) for title, _field, _how in _ROWS]
    rows = [
        (title, cell(getattr(cur, field), how), cell(getattr(prev, field), how))
        for title, (_title, field, how) in zip(titles, _ROWS, strict=True)
    ]
    label = max(len(title) for title in titles) + 2
    width = max(24, len(period(cur)), len(period(prev)), *(len(r[1]) for r in rows))
    out = [f"{'':{label}}{period(cur):>{width}}    {period(prev):>{width}}"]
    out += [f"{title:{label}}{now:>{width}}    {before:>{width}}" for title, now, before in rows]
    liab = report.liability
    out.append(
        cli.translate(
            QT_TRANSLATE_NOOP(
                "Cli",
                "Points liability: {points} = {value}; {expiring} ({expiring_value}) expire in "
                "30 days.",
            ),
            points=Count("Points", "%n point(s)", liab.live_points),
            value=cli.amount(liab.value),
            expiring=Count("Points", "%n point(s)", liab.expiring_points_30d),
            expiring_value=cli.amount(liab.expiring_value_30d),
        )
    )
    return "\n".join(out)


def _report(cli: Cli) -> int:
    report = Reports(cli.till).kpis(Period(cli.args.start, cli.args.end))
    if cli.json:
        print(json.dumps(report_json(report, cli.money), ensure_ascii=False))
    else:
        print(_text(cli, report))
    return int(ExitCode.OK)

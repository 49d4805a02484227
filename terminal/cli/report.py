"""``loyalty-terminal report --from D --to D [--json]``: the dashboard's KPIs in the terminal.

Calls the same :class:`terminal.app.reports.Reports` as the Reports screen, so the numbers match.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from terminal.app.reports import KpiReport, Reports
from terminal.app.results import to_jsonable
from terminal.cli.context import Cli, ExitCode
from terminal.core.kpis import Period


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    report = sub.add_parser(
        "report",
        help="loyalty KPIs for a period beside the previous period (the owner's dashboard)",
        parents=[common],
    )
    report.add_argument(
        "--from", dest="start", type=_day, required=True, help="first day, YYYY-MM-DD"
    )
    report.add_argument("--to", dest="end", type=_day, required=True, help="last day, YYYY-MM-DD")
    report.set_defaults(handler=_report)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date like 2026-01-31") from None


def _pct(bp: int | None) -> str:
    return "—" if bp is None else f"{bp / 100:.2f} %"


def report_json(report: KpiReport) -> dict[str, Any]:
    """Plain JSON of the report: money in minor units (ints, exact), shares in basis points,
    ``*_x100`` ratios ×100, null where there is nothing to divide by."""
    return to_jsonable(report)


def _text(cli: Cli, report: KpiReport) -> str:
    cur, prev = report.current, report.previous
    m = cli.money

    def mo(v: int | None) -> str:
        return "—" if v is None else m(v)

    def x100(v: int | None) -> str:
        return "—" if v is None else f"{v / 100:.2f}"

    rows: list[tuple[str, Any]] = [
        ("Sales", lambda f: str(f.sales)),
        ("Revenue", lambda f: m(f.revenue)),
        ("Active members", lambda f: str(f.active_members)),
        ("New members", lambda f: str(f.new_members)),
        ("Participation", lambda f: _pct(f.participation_bp)),
        ("Repeat purchase rate", lambda f: _pct(f.repeat_rate_bp)),
        ("Purchase frequency", lambda f: x100(f.frequency_x100)),
        ("Average check", lambda f: mo(f.avg_check)),
        ("Average check, members", lambda f: mo(f.avg_check_members)),
        ("Average check, first", lambda f: mo(f.avg_check_first)),
        ("Average check, repeat", lambda f: mo(f.avg_check_repeat)),
        ("Customer lifetime value", lambda f: mo(f.clv)),
        ("Retention (CRR)", lambda f: _pct(f.retention_bp)),
        ("Churn", lambda f: _pct(f.churn_bp)),
        ("Points issued", lambda f: str(f.points_issued)),
        ("Points redeemed", lambda f: str(f.points_redeemed)),
        ("Points expired", lambda f: str(f.points_expired)),
        ("Redemption rate", lambda f: _pct(f.redemption_rate_bp)),
        ("NPS", lambda f: "—" if f.nps is None else str(f.nps)),
        ("CSAT", lambda f: _pct(f.csat_bp)),
    ]
    out = [f"{'':26}{cur.start} – {cur.end}    {prev.start} – {prev.end}"]
    for title, fn in rows:
        out.append(f"{title:26}{fn(cur):>24}    {fn(prev):>24}")
    liab = report.liability
    out.append(
        f"Points liability: {liab.live_points} points = {m(liab.value)};"
        f" {liab.expiring_points_30d} points ({m(liab.expiring_value_30d)}) expire in 30 days."
    )
    return "\n".join(out)


def _report(cli: Cli) -> int:
    report = Reports(cli.till).kpis(Period(cli.args.start, cli.args.end))
    if cli.json:
        print(json.dumps(report_json(report), ensure_ascii=False))
    else:
        print(_text(cli, report))
    return int(ExitCode.OK)

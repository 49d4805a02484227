"""Year dashboard speed over 1 000 000 sales: ``Reports.kpis`` + ``ReportSeriesQuery.series``.

    python bench/bench_reports.py --db big.db     # reuse a database made by `demo`
    python bench/bench_reports.py --quick         # 2 000 customers / 20 000 sales

Times what the Reports screen runs when it opens on "Last 12 months" (the KPIs of the year and
the year before, the liability, the weekly series, tiers, cohorts, NPS by month, top customers,
call-back list), three runs after one warm-up, and the baseline: raw ``sqlite3`` scanning the
same year of ``purchase`` rows once (``COUNT(*), SUM(amount)``), the least any report must do.
Prints the best and median times and the ratio; the target is ≤ 1 s.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from terminal.app.demo import Demo, DemoPlan
from terminal.app.report_series import ReportSeriesQuery
from terminal.app.reports import Reports, bounds
from terminal.app.till import open_till
from terminal.core.kpis import Period


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    fresh = not path.exists()
    till = open_till(path)
    if fresh:
        customers = 2_000 if args.quick else 100_000
        Demo(till).fill(DemoPlan(customers=customers, sales=customers * 10))
    with till.read_driver() as db:
        (sales,) = db.execute("SELECT COUNT(*) FROM purchase").fetchone()
    # the year that ends at the last sale (the demo's year ends at its creation day)
    with till.read_driver() as db:
        (last,) = db.execute("SELECT MAX(created_at) FROM purchase").fetchone()
    end = __import__("datetime").date.fromisoformat(last[:10])
    year = Period(end - timedelta(days=364), end)

    def dashboard() -> None:
        Reports(till).kpis(year)
        ReportSeriesQuery(till).series(year)

    def raw() -> None:
        con = sqlite3.connect(path)
        lo, hi = bounds(year)
        con.execute(
            "SELECT COUNT(*), SUM(amount) FROM purchase WHERE created_at >= ? AND created_at < ?",
            (lo, hi),
        ).fetchone()
        con.close()

    def timed(fn) -> list[float]:  # type: ignore[no-untyped-def]
        fn()
        out = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
        return out

    app_times = timed(dashboard)
    raw_times = timed(raw)
    best, med = min(app_times), statistics.median(app_times)
    print(f"database: {path} ({sales:,} sales); period {year.start} – {year.end}")
    print(f"year dashboard: best {best:.3f} s, median {med:.3f} s")
    print(f"raw sqlite3 single scan of the year: best {min(raw_times):.3f} s")
    print(f"ratio app/raw: {best / min(raw_times):.1f}x")
    print("target ≤ 1 s:", "met" if med <= 1.0 else "NOT met")
    till.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

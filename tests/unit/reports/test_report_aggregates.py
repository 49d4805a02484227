"""The trigger-kept report aggregates (migration ``a_aggregates``) give the figures the KPI
definitions give when counted sale by sale, whatever order the sales arrive in.

Sales arrive out of time order in real life: another till's bundle brings last week's sales
after today's. Each example writes members' sales (some at the same instant, some a few days or
months apart), ledger entries and lots in a shuffled order, then compares every figure the
dashboard reads with a plain Python count over the same facts, and runs ``check``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminal.app.integrity import Integrity
from terminal.app.report_series import cohorts, top_customers, weeks
from terminal.app.reports import period_figures, points_liability
from terminal.app.till import Till
from terminal.core.kpis import Period
from terminal.db import report_aggregates
from terminal.db.report_aggregates import RECOMPUTED


def _examples(count: int) -> settings:
    """Hypothesis settings of these tests: each example builds a till of its own (a function
    fixture, slow by hypothesis's measure), so both health checks are off and nothing times
    out; only how many examples differs."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


START = datetime(2026, 1, 1, 9, 0)
DAY_SPAN = 120

sale = st.tuples(
    st.integers(0, 5),  # member (5 = no card)
    st.integers(0, DAY_SPAN - 1),  # day
    st.sampled_from([0, 0, 3600, 7200]),  # seconds into the day: ties at the same instant
    st.integers(1, 50_000),  # amount
)
period = st.tuples(st.integers(0, DAY_SPAN - 1), st.integers(0, 60))


def _write(till: Till, sales: list[tuple[int, int, int, int]], order: list[int]) -> list[dict]:
    rows = []
    for i, (member, day, second, amount) in enumerate(sales):
        at = START + timedelta(days=day, seconds=second)
        rows.append(
            {
                "id": f"p-{i:04d}",
                "customer_id": None if member == 5 else f"c-{member}",
                "amount": amount,
                "at": at,
            }
        )
    with till.write_driver() as db:
        for member in range(5):
            joined = START - timedelta(days=40) + timedelta(days=31 * member)
            db.execute(
                "INSERT INTO customer (id, name, name_key, consent, created_at, balance,"
                " lifetime_paid, visits) VALUES (?, ?, ?, 0, ?, 0, 0, 0)",
                (f"c-{member}", f"Member {member}", f"member {member}", _t(joined)),
            )
        for i in order:
            row = rows[i]
            db.execute(
                "INSERT INTO purchase (id, customer_id, amount, discount, points_redeemed,"
                " redeemed_value, paid, points_earned, bonus_points, program_version, tier,"
                " explanation, created_at, refunded_amount, balance_after, tier_after)"
                " VALUES (?, ?, ?, 0, 0, 0, ?, 0, 0, 1, 'Bronze', '', ?, 0, 0, 'Bronze')",
                (row["id"], row["customer_id"], row["amount"], row["amount"], _t(row["at"])),
            )
    return rows


def _t(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="microseconds")


def _expected(rows: list[dict], p: Period) -> dict[str, int]:
    """The KPI definitions (docs/kpis.md) counted sale by sale."""
    inside = [r for r in rows if p.start <= r["at"].date() <= p.end]
    members = [r for r in inside if r["customer_id"]]
    per_member: dict[str, int] = defaultdict(int)
    for r in members:
        per_member[r["customer_id"]] += 1
    before = p.previous()
    active_before = {
        r["customer_id"]
        for r in rows
        if r["customer_id"] and before.start <= r["at"].date() <= before.end
    }
    first_ever = {}
    for r in sorted((r for r in rows if r["customer_id"]), key=lambda r: (r["at"], r["id"])):
        first_ever.setdefault(r["customer_id"], r["id"])
    firsts = [r for r in members if first_ever[r["customer_id"]] == r["id"]]
    return {
        "sales": len(inside),
        "revenue": sum(r["amount"] for r in inside),
        "card_sales": len(members),
        "member_revenue": sum(r["amount"] for r in members),
        "active_members": len(per_member),
        "repeat": sum(1 for n in per_member.values() if n >= 2),
        "first_n": len(firsts),
        "first_sum": sum(r["amount"] for r in firsts),
        "active_before": len(active_before),
        "kept": len(active_before & set(per_member)),
    }


@_examples(20)
@given(
    sales=st.lists(sale, min_size=1, max_size=40),
    shuffle=st.randoms(use_true_random=False),
    periods=st.lists(period, min_size=1, max_size=3),
)
def test_figures_from_aggregates_equal_a_count_sale_by_sale(  # type: ignore[no-untyped-def]
    fresh_till, sales, shuffle, periods
) -> None:
    till = fresh_till()
    order = list(range(len(sales)))
    shuffle.shuffle(order)
    rows = _write(till, sales, order)
    with till.read_driver() as db:
        for first, length in periods:
            p = Period(
                START.date() + timedelta(days=first),
                START.date() + timedelta(days=first + length),
            )
            want = _expected(rows, p)
            got = period_figures(db, p)
            assert (got.sales, got.revenue, got.card_sales, got.member_revenue) == (
                want["sales"],
                want["revenue"],
                want["card_sales"],
                want["member_revenue"],
            )
            assert got.active_members == want["active_members"]
            assert got.repeat_rate_bp == (
                None
                if not want["active_members"]
                else (want["repeat"] * 20_000 + want["active_members"])
                // (want["active_members"] * 2)
            )
            first_avg = (
                None
                if not want["first_n"]
                else (want["first_sum"] * 2 + want["first_n"]) // (want["first_n"] * 2)
            )
            assert got.avg_check_first == first_avg
            kept_bp = (
                None
                if not want["active_before"]
                else (want["kept"] * 20_000 + want["active_before"]) // (want["active_before"] * 2)
            )
            assert got.retention_bp == kept_bp
            for week in weeks(db, p):
                days = {
                    week.week_start + timedelta(days=k)
                    for k in range(7)
                    if p.start <= week.week_start + timedelta(days=k) <= p.end
                }
                in_week = [r for r in rows if r["at"].date() in days]
                assert week.sales == len(in_week)
                assert week.active_members == len(
                    {r["customer_id"] for r in in_week if r["customer_id"]}
                )
            top = top_customers(db, p, 3)
            spend: dict[str, int] = defaultdict(int)
            for r in rows:
                if r["customer_id"] and p.start <= r["at"].date() <= p.end:
                    spend[r["customer_id"]] += r["amount"]
            best = sorted(spend.items(), key=lambda kv: (-kv[1], f"Member {kv[0][2:]}"))[:3]
            assert [(t.customer_id, t.revenue) for t in top] == best
            for row in cohorts(db, p):
                cohort_members = {
                    f"c-{m}"
                    for m in range(5)
                    if (START - timedelta(days=40) + timedelta(days=31 * m)).strftime("%Y-%m")
                    == row.month
                }
                for k, share in enumerate(row.retained_bp):
                    y, mth = divmod(int(row.month[:4]) * 12 + int(row.month[5:]) - 1 + k, 12)
                    bought = {
                        r["customer_id"]
                        for r in rows
                        if r["customer_id"] in cohort_members
                        and r["at"].strftime("%Y-%m") == f"{y:04d}-{mth + 1:02d}"
                        and r["at"].date() <= p.end
                    }
                    assert share == (len(bought) * 20_000 + row.members) // (row.members * 2)
    # ``check`` recomputes every aggregate from the facts (the member caches are not this
    # test's business: it writes bare sales)
    problems = Integrity(till).check().problems
    assert [line for line in problems if line.startswith("report figures")] == []


def _aggregates(till: Till) -> dict[str, list[tuple]]:
    with till.read_driver() as db:
        return {
            table: db.execute(
                f"SELECT {columns} FROM {table} WHERE NOT ({empty}) ORDER BY {columns}"
            ).fetchall()
            for table, columns, empty, _recomputed in RECOMPUTED
        }


@_examples(30)
@given(
    sales=st.lists(sale, min_size=1, max_size=40),
    shuffle=st.randoms(use_true_random=False),
)
def test_a_recount_from_scratch_gives_what_the_triggers_kept(  # type: ignore[no-untyped-def]
    fresh_till, sales, shuffle
) -> None:
    """A big import drops the triggers and recounts everything once at the end
    (``report_aggregates.rebuild``, which counts the visit gaps and cohorts in one ordered pass
    of its own): the owner's figures must come out as the triggers would have kept them, with
    several sales a day, sales at the same instant and sales arriving out of order."""
    till = fresh_till()
    order = list(range(len(sales)))
    shuffle.shuffle(order)
    _write(till, sales, order)
    kept = _aggregates(till)
    with till.write_driver() as db:
        report_aggregates.rebuild(db)
    assert _aggregates(till) == kept


def test_liability_counts_whole_days_and_the_partial_edges(fresh_till) -> None:  # type: ignore[no-untyped-def]
    """Lots expiring later today, on the 30th day before and after this hour, and never."""
    till = fresh_till()
    now = datetime(2026, 3, 10, 15, 0)
    lots = [
        (now - timedelta(hours=1), 1),  # expired an hour ago: not live
        (now + timedelta(hours=2), 10),  # later today
        (now + timedelta(days=3), 100),
        (now + timedelta(days=30, hours=-1), 1000),  # within 30 days, by an hour
        (now + timedelta(days=30, hours=1), 10_000),  # just after
        (None, 100_000),  # never expires
    ]
    with till.write_driver() as db:
        db.execute(
            "INSERT INTO customer (id, name, name_key, consent, created_at, balance,"
            " lifetime_paid, visits) VALUES ('c', 'C', 'c', 0, ?, 0, 0, 0)",
            (_t(now - timedelta(days=400)),),
        )
        for i, (expires, points) in enumerate(lots):
            db.execute(
                "INSERT INTO points_lot (id, customer_id, points, remaining, granted_at,"
                " expires_at) VALUES (?, 'c', ?, ?, ?, ?)",
                (f"l{i}", points, points, _t(now - timedelta(days=1)), expires and _t(expires)),
            )
        db.execute("UPDATE points_lot SET remaining = remaining - 5 WHERE id = 'l2'")
    with till.read_driver() as db:
        liability = points_liability(db, now, 100)
    assert liability.live_points == 10 + 95 + 1000 + 10_000 + 100_000
    assert liability.expiring_points_30d == 10 + 95 + 1000
    assert liability.value == liability.live_points * 100


def test_a_day_period_and_a_member_who_came_back_after_months(fresh_till) -> None:  # type: ignore[no-untyped-def]
    """Hand-computed: member 0 buys on 2 Jan, 3 Jan (twice) and 20 Mar; period = 3 Jan only."""
    till = fresh_till()
    sales = [(0, 1, 0, 100), (0, 2, 0, 200), (0, 2, 3600, 300), (0, 78, 0, 400), (5, 2, 0, 50)]
    _write(till, sales, [3, 0, 4, 2, 1])
    with till.read_driver() as db:
        day = period_figures(db, Period(date(2026, 1, 3), date(2026, 1, 3)))
        march = period_figures(db, Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert (day.sales, day.card_sales, day.active_members) == (3, 2, 1)
    assert day.repeat_rate_bp == 10_000  # the one active member bought twice that day
    assert day.avg_check_first is None  # their first sale ever was on 2 Jan
    assert day.retention_bp == 10_000  # active on 2 Jan (the previous one-day period), back
    assert (march.active_members, march.repeat_rate_bp, march.retention_bp) == (1, 0, None)

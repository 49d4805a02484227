"""A tiny shop small enough to compute every KPI on paper (see test_report_figures.py)."""

from __future__ import annotations

from datetime import datetime

from terminal.db.models import (
    Customer,
    LedgerEntry,
    NpsResponse,
    PointsLot,
    Purchase,
    Refund,
)

NOW = datetime(2026, 2, 10, 12, 0)


def d(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour)


def fill(till: object) -> None:
    """Customers A (2026-01-05), B (2026-01-25), C (2026-02-03); eight purchases; points;
    lots; NPS answers; one refund — exactly as the test docstrings describe."""
    with till.write() as s:  # type: ignore[attr-defined]
        for cid, created, paid, last, consent, phone in (
            ("A", "2026-01-05", 13_000, "2026-02-05", True, "+380501111111"),
            ("B", "2026-01-25", 3_000, "2025-11-01", True, "+380502222222"),
            ("C", "2026-02-03", 1_000_000, "2025-10-01", False, "+380503333333"),
        ):
            s.add(
                Customer(
                    id=cid,
                    name=f"Customer {cid}",
                    name_key=cid.lower(),
                    phone=phone,
                    consent=consent,
                    created_at=d(created),
                    lifetime_paid=paid,
                    last_visit_at=d(last),
                    visits=1,
                )
            )
        s.flush()
        for pid, cid, day, amount in (
            ("p1", "A", "2026-01-10", 1000),
            ("p2", "A", "2026-01-25", 2000),
            ("p3", "B", "2026-01-26", 3000),
            ("p4", None, "2026-01-27", 500),
            ("p5", "A", "2026-02-02", 4000),
            ("p6", "A", "2026-02-05", 6000),
            ("p7", "C", "2026-02-04", 1000),
            ("p8", None, "2026-02-06", 1000),
        ):
            s.add(
                Purchase(
                    id=pid,
                    customer_id=cid,
                    amount=amount,
                    paid=amount,
                    program_version=1,
                    created_at=d(day),
                )
            )
        s.flush()
        s.add(
            Refund(
                id="r1",
                purchase_id="p6",
                amount=1000,
                money_returned=1000,
                points_returned=0,
                points_reversed=6,
                created_at=d("2026-02-06", 15),
            )
        )
        for i, (cid, kind, points, day) in enumerate(
            (
                ("A", "earn", 40, "2026-02-02"),
                ("A", "earn", 60, "2026-02-05"),
                ("C", "earn", 10, "2026-02-04"),
                ("C", "welcome", 100, "2026-02-03"),
                ("A", "redeem", -50, "2026-02-05"),
                ("A", "refund_return", 10, "2026-02-06"),
                ("B", "expire", -20, "2026-02-08"),
                ("A", "adjustment", -5, "2026-02-09"),
                ("C", "adjustment", 15, "2026-02-09"),
                ("A", "refund_reversal", -6, "2026-02-06"),
                ("A", "earn", 999, "2026-01-25"),  # previous period
            )
        ):
            s.add(
                LedgerEntry(
                    id=f"e{i}", customer_id=cid, kind=kind, points=points, created_at=d(day)
                )
            )
        for lid, cid, remaining, expires in (
            ("l1", "A", 50, d("2026-02-20")),
            ("l2", "C", 100, d("2026-06-01")),
            ("l3", "B", 30, d("2026-02-09")),
            ("l4", "A", 0, None),
        ):
            s.add(
                PointsLot(
                    id=lid,
                    customer_id=cid,
                    points=max(remaining, 1),
                    remaining=remaining,
                    granted_at=d("2026-01-06"),
                    expires_at=expires,
                )
            )
        for i, (score, day) in enumerate(
            (
                (10, "2026-02-02"),
                (10, "2026-02-03"),
                (9, "2026-02-04"),
                (8, "2026-02-05"),
                (3, "2026-02-06"),
                (5, "2026-01-28"),
            )
        ):
            s.add(NpsResponse(id=f"n{i}", score=score, created_at=d(day)))

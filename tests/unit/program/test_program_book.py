"""The owner changes the program: new versions, next quotes change, past sales never do."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, time
from pathlib import Path

import pytest

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.integrity import Integrity
from terminal.app.program import ProgramBook, describe_changes, worked_example
from terminal.app.refunds import Refunds
from terminal.core.checkout import MAX
from terminal.core.customer_form import CustomerForm
from terminal.core.errors import InvalidInput
from terminal.core.program import DEFAULT_PROGRAM, Program, ProgramKind, Tier
from terminal.core.promotions import Promotion, Stacking


def _customer(till, name: str = "Olena", phone: str = "0671234567") -> str:
    return Enrollment(till).register(CustomerForm(name, phone)).card


def _sale(till, card: str, amount: int, redeem=None, category=None):
    request = SaleRequest(card, amount, redeem or SaleRequest(card, 1).redeem, category)
    return Counter(till).checkout(request)


def _purchases(till) -> list[tuple]:
    with till.engine.connect() as conn:
        return list(
            conn.exec_driver_sql(
                "SELECT id, amount, discount, points_redeemed, paid, points_earned, "
                "program_version, explanation FROM purchase ORDER BY created_at, id"
            )
        )


def test_the_default_program_is_version_one(till) -> None:
    info = ProgramBook(till).current()
    assert info.version == 1
    assert info.program == DEFAULT_PROGRAM
    assert [(t.name, t.threshold, t.earn_bp) for t in info.program.tiers] == [
        ("Bronze", 0, 500),
        ("Silver", 1_000_000, 700),
        ("Gold", 3_000_000, 1000),
    ]
    p = info.program
    assert (p.point_value, p.redeem_cap_bp, p.expiry_days) == (100, 5000, 365)
    assert (p.welcome_points, p.birthday_points, p.birthday_window_days) == (100, 200, 7)
    assert (p.referral_referrer_points, p.referral_newcomer_points) == (100, 100)


def test_switching_kind_changes_next_quotes_and_keeps_past_sales(till, clock) -> None:
    card = _customer(till)
    first = _sale(till, card, 100_000)  # bonus: 5 % of 1 000.00 = 50 points
    assert (first.discount, first.points_earned) == (0, 50)
    before = _purchases(till)
    book = ProgramBook(till)

    discount = replace(
        DEFAULT_PROGRAM,
        kind=ProgramKind.DISCOUNT,
        tiers=(Tier("Bronze", 0, 0, 300), Tier("Silver", 1_000_000, 0, 500)),
    )
    assert book.save(discount, actor="owner").version == 2
    clock.advance(minutes=1)
    second = _sale(till, card, 100_000)
    assert (second.discount, second.to_pay, second.points_earned) == (3_000, 97_000, 0)
    assert second.program_version == 2

    hybrid = replace(
        DEFAULT_PROGRAM,
        kind=ProgramKind.HYBRID,
        tiers=(Tier("Bronze", 0, 300, 200), Tier("Silver", 1_000_000, 500, 300)),
    )
    book.save(hybrid)
    clock.advance(minutes=1)
    third = _sale(till, card, 100_000, MAX)
    # 2 % off = 20.00; points may pay 50 % of 980.00; balance 150 → all 150 spent
    assert (third.discount, third.points_redeemed, third.to_pay) == (2_000, 150, 83_000)
    assert third.points_earned == 24  # 3 % of 830.00 = 24.9

    book.save(DEFAULT_PROGRAM)
    clock.advance(minutes=1)
    fourth = _sale(till, card, 100_000)
    assert (fourth.discount, fourth.points_earned, fourth.program_version) == (0, 50, 4)

    after = _purchases(till)
    assert after[: len(before)] == before, "an earlier sale changed"
    assert [row[6] for row in after] == [1, 2, 3, 4]
    assert Integrity(till).check().ok


def test_a_refund_uses_the_figures_recorded_under_the_old_version(till) -> None:
    card = _customer(till)
    sale = _sale(till, card, 100_000)
    ProgramBook(till).save(replace(DEFAULT_PROGRAM, tiers=(Tier("Bronze", 0, 2000),)))
    refund = Refunds(till).refund(sale.sale_id)
    assert refund.points_reversed == 50  # what the sale earned, not 20 % of it
    assert Integrity(till).check().ok


def test_happy_hour_applies_only_inside_its_hours(till, clock) -> None:
    happy = replace(
        DEFAULT_PROGRAM,
        promotions=(Promotion("Happy hour", multiplier_pct=200, hours=(time(16), time(18))),),
    )
    ProgramBook(till).save(happy)
    card = _customer(till)
    for moment, earned in [
        (datetime(2026, 3, 2, 15, 59), 50),
        (datetime(2026, 3, 2, 16, 0), 100),
        (datetime(2026, 3, 2, 17, 59), 100),
        (datetime(2026, 3, 2, 18, 0), 50),
    ]:
        clock.set(moment)
        result = _sale(till, card, 100_000)
        assert result.points_earned == earned, moment
    with till.engine.connect() as conn:
        explanations = [
            r[0]
            for r in conn.exec_driver_sql("SELECT explanation FROM purchase ORDER BY created_at")
        ]
    assert explanations == [
        "5 % Bronze",
        "5 % Bronze + Happy hour ×2",
        "5 % Bronze + Happy hour ×2",
        "5 % Bronze",
    ]


@pytest.mark.parametrize(("stacking", "earned"), [(Stacking.BEST, 100), (Stacking.SUM, 120)])
def test_overlapping_promotions_follow_the_stacking_policy(till, clock, stacking, earned) -> None:
    program = replace(
        DEFAULT_PROGRAM,
        categories=("Coffee",),
        stacking=stacking,
        promotions=(
            Promotion("Happy hour", multiplier_pct=200, hours=(time(16), time(18))),
            Promotion("Coffee", extra_bp=200, categories=("Coffee",)),
        ),
    )
    ProgramBook(till).save(program)
    card = _customer(till)
    clock.set(datetime(2026, 3, 2, 17, 0))
    assert _sale(till, card, 100_000, category="Coffee").points_earned == earned


def test_saving_an_unchanged_program_is_refused(till) -> None:
    with pytest.raises(InvalidInput, match="Nothing changed"):
        ProgramBook(till).save(DEFAULT_PROGRAM)
    assert ProgramBook(till).current().version == 1


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"kind": "bonus",', "file"),
        ('{"kind": "points"}', "kind"),
        ('{"tiers": [{"name": "A", "threshold": 0, "earn_bp": "5"}]}', "tiers.earn_bp"),
        ('{"redeem_cap_bp": 20000}', "redeem_cap_bp"),
        ('{"welcome_pts": 5}', "welcome_pts"),
        ('{"promotions": [{"name": "X", "extra_bp": 100, "weekdays": [7]}]}', "weekdays"),
        ('{"promotions": [{"name": "X", "extra_bp": 100, "hours": ["25:00", "18:00"]}]}', "hours"),
    ],
)
def test_bad_program_files_name_the_field_and_change_nothing(till, tmp_path: Path, text, field):
    bad = tmp_path / "program.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        ProgramBook(till).import_json(bad)
    if field != "file":
        assert field in caught.value.message
    assert ProgramBook(till).current().version == 1


def test_export_then_import_round_trips(till, tmp_path: Path) -> None:
    book = ProgramBook(till)
    out = book.export_json(tmp_path / "p.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    data["program"]["welcome_points"] = 150
    out.write_text(json.dumps(data), encoding="utf-8")
    info = book.import_json(out)
    assert info.version == 2 and info.program.welcome_points == 150
    assert [v.version for v in book.history()] == [2, 1]
    assert book.get(1).program == DEFAULT_PROGRAM


def test_the_diff_is_in_plain_words() -> None:
    new = replace(
        DEFAULT_PROGRAM,
        welcome_points=150,
        tiers=(Tier("Bronze", 0, 500), Tier("Silver", 800_000, 750), Tier("Gold", 3_000_000, 1000)),
    )
    assert describe_changes(DEFAULT_PROGRAM, new) == [
        "Silver starts at 10000.00 → 8000.00",
        "Silver points 7 % → 7.5 %",
        "Welcome bonus: 100 → 150",
    ]


def test_worked_example_for_a_silver_customer() -> None:
    q = worked_example(DEFAULT_PROGRAM, amount=100_000, tier_name="Silver")
    assert (q.discount, q.to_pay, q.points_earned, q.tier) == (0, 100_000, 70, "Silver")


def test_validation_refuses_what_cannot_work() -> None:
    with pytest.raises(InvalidInput, match="first tier must start at 0"):
        Program(tiers=(Tier("A", 100, 500),)).validate()
    with pytest.raises(InvalidInput, match="gives nothing"):
        Program(promotions=(Promotion("Nothing"),)).validate()
    with pytest.raises(InvalidInput, match="unknown category"):
        Program(promotions=(Promotion("P", extra_bp=100, categories=("Tea",)),)).validate()

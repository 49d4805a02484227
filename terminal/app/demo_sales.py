"""The demo's simulation: who joins when, who buys what, and the rows that follow from it.

Every figure is priced by the real rules (:func:`terminal.core.checkout.quote`,
:func:`terminal.core.refunds.split_refund`) and posted by the ledger's in-memory twin
(:mod:`terminal.app.demo_ledger`); :mod:`terminal.app.demo` writes the rows.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from terminal.app.demo_ledger import Account, DemoLedger, Entry, Rows, sql_time
from terminal.app.demo_people import (
    CATEGORIES,
    FEEDBACK,
    FIRST_NAMES,
    GENDERED_SURNAMES,
    MOBILE_CODES,
    NEUTRAL_SURNAMES,
    NPS_WEIGHTS,
)
from terminal.core.cards import make_card_number
from terminal.core.checkout import CustomerState, Redeem, RedeemMode, quote
from terminal.core.program import Program
from terminal.core.refunds import SaleFigures, split_refund

Progress = Callable[[str, int, int], None]
FLUSH_EVERY = 50_000  # sales per bulk transaction


@dataclass(frozen=True)
class DemoPlan:
    customers: int = 1_000
    months: int = 12
    sales: int | None = None  # default: ten per customer
    seed: int = 1

    @property
    def total_sales(self) -> int:
        return self.sales if self.sales is not None else self.customers * 10


@dataclass(frozen=True)
class DemoResult:
    customers: int
    sales: int
    card_sales: int
    redemptions: int
    refunds: int
    birthday_bonuses: int
    referral_bonuses: int
    expired_points: int
    nps_responses: int
    feedback: int
    seconds: float


class _Ids:
    """Deterministic time-ordered UUIDs (version 7 layout) drawn from the demo's random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self, moment: datetime) -> str:
        ms = int(moment.timestamp() * 1000) & ((1 << 48) - 1)
        rand = self.rng.getrandbits(74)
        value = (ms << 80) | (0x7 << 76) | ((rand >> 62) << 64) | (0b10 << 62)
        value |= rand & ((1 << 62) - 1)
        return str(uuid.UUID(int=value))


@dataclass
class Person:
    account: Account
    name: str
    phone: str | None
    email: str | None
    birthday: date | None
    consent: bool
    created_at: datetime
    card: str


class Generator:
    """The simulation: who joins when, who buys what, and the rows that follow from it."""

    def __init__(
        self,
        plan: DemoPlan,
        program: Program,
        version: int,
        end: datetime,
        terminal_id: str,
        report: Progress,
    ) -> None:
        self.plan = plan
        self.program = program
        self.version = version
        self.end = end
        self.start = end - timedelta(days=round(plan.months * 30.44))
        self.terminal_id = terminal_id
        self.report = report
        self.rng = random.Random(plan.seed)
        self.new_id = _Ids(random.Random(plan.seed * 7919 + 1))
        self.rows = Rows()
        self.purchases: list[tuple[object, ...]] = []
        self.refunds: list[tuple[object, ...]] = []
        self.nps: list[tuple[object, ...]] = []
        self._counts = dict.fromkeys(
            (
                "card_sales",
                "redemptions",
                "refunds",
                "birthday_bonuses",
                "referral_bonuses",
                "expired_points",
                "nps_responses",
            ),
            0,
        )
        self._sales = 0
        self._feedback = 0

    # -- customers --------------------------------------------------------------------------

    def people(self, till_number: int, first_serial: int) -> list[Person]:
        rng = self.rng
        n = self.plan.customers
        span = (self.end - self.start).total_seconds()
        # a third were already members before the period: their old points expire during it
        times = sorted(
            self.start - timedelta(days=rng.uniform(0, 200))
            if rng.random() < 0.3
            else self.start + timedelta(seconds=rng.uniform(0, span * 0.95))
            for _ in range(n)
        )
        phones: set[str] = set()
        people: list[Person] = []
        for i, joined in enumerate(times):
            joined = _shop_hours(joined, rng)
            first, latin, gender = rng.choice(FIRST_NAMES)
            if rng.random() < 0.6:
                surname = rng.choice(NEUTRAL_SURNAMES)
            else:
                male, female = rng.choice(GENDERED_SURNAMES)
                surname = female if gender == "f" else male
            phone = None
            if rng.random() < 0.9:
                while True:
                    phone = f"+380{rng.choice(MOBILE_CODES)}{rng.randrange(10**7):07d}"
                    if phone not in phones:
                        phones.add(phone)
                        break
            email = f"{latin}.{rng.randrange(10_000)}@example.com" if rng.random() < 0.3 else None
            birthday = None
            if rng.random() < 0.8:
                birthday = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
            referrer = None
            if i > 10 and rng.random() < 0.1:
                referrer = people[rng.randrange(i)].account
            account = Account(self.new_id(joined), referrer)
            person = Person(
                account=account,
                name=f"{first} {surname}",
                phone=phone,
                email=email,
                birthday=birthday,
                consent=rng.random() < 0.55,
                created_at=joined,
                card=make_card_number(till_number, first_serial + i),
            )
            people.append(person)
            self._ledger(account, joined).grant(
                "welcome",
                self.program.welcome_points,
                self.program.expiry_days,
                program_version=self.version,
                reason="Welcome bonus",
            )
        self.report("customers", n, n)
        return people

    def _ledger(self, account: Account, now: datetime) -> DemoLedger:
        return DemoLedger(self.rows, account, now, self.terminal_id, self.new_id)

    # -- sales ------------------------------------------------------------------------------

    def sales(self, people: list[Person], flush: Callable[[], None]) -> None:
        rng = self.rng
        total = self.plan.total_sales
        cardless = total // 10
        # Regulars and occasional shoppers: a heavy-tailed share of the sales per customer.
        weights = [rng.paretovariate(1.6) for _ in people]
        owners = rng.choices(range(len(people)), weights=weights, k=total - cardless)
        span = (self.end - self.start).total_seconds()
        schedule: list[tuple[datetime, int]] = []
        for index in owners:
            opens = max(people[index].created_at, self.start)
            room = max(60.0, (self.end - opens).total_seconds() - 3600)
            moment = _shop_hours(opens + timedelta(seconds=rng.uniform(0, room)), rng)
            schedule.append((max(moment, opens + timedelta(minutes=1)), index))
        for _ in range(cardless):
            moment = self.start + timedelta(seconds=rng.uniform(0, span - 3600))
            schedule.append((_shop_hours(moment, rng), -1))
        schedule.sort(key=lambda item: item[0])
        for done, (moment, index) in enumerate(schedule, 1):
            if index < 0:
                self._cardless(moment)
            else:
                self._card_sale(people[index], moment)
            if done % FLUSH_EVERY == 0:
                flush()
                self.report("sales", done, total)
        self.report("sales", total, total)

    def _amount(self) -> int:
        value = math.exp(self.rng.gauss(math.log(30_000), 0.8))
        step = self.rng.choice((1, 10, 100, 100, 1000))
        return max(100, min(2_000_000, int(value) // step * step))

    def _cardless(self, moment: datetime) -> None:
        amount = self._amount()
        self._sales += 1
        self.purchases.append(
            (
                self.new_id(moment),
                None,
                None,
                amount,
                0,
                0,
                0,
                amount,
                0,
                0,
                self.version,
                "",
                "",
                self.rng.choice(CATEGORIES),
                None,
                self.terminal_id,
                sql_time(moment),
                0,
                0,
                "",
            )
        )

    def _card_sale(self, person: Person, now: datetime) -> None:
        rng = self.rng
        program = self.program
        account = person.account
        ledger = self._ledger(account, now)
        self._counts["expired_points"] += ledger.expire_due()
        state = CustomerState(
            balance=account.balance,
            lifetime_paid=account.lifetime_paid,
            visits=account.visits,
            birthday=person.birthday,
            birthday_bonus_years=frozenset(account.birthday_years),
            referral_pending=account.referrer is not None and account.visits == 0,
        )
        amount = self._amount()
        redeem = Redeem()
        if account.balance > 0 and rng.random() < 0.3:
            if rng.random() < 0.6:
                redeem = Redeem(RedeemMode.MAX)
            else:
                cap = min(account.balance, amount * program.redeem_cap_bp // 10_000 // 100)
                if cap > 0:
                    redeem = Redeem(RedeemMode.POINTS, rng.randint(1, cap))
        q = quote(program, state, amount, redeem, now)
        sale_id = self.new_id(now)
        common = {"purchase_id": sale_id, "program_version": self.version}
        redeem_entry = ledger.take("redeem", q.points_redeemed, **common)
        earn = ledger.grant(
            "earn", q.points_earned, program.expiry_days, reason=q.explanation, **common
        )
        bonus_entries: list[Entry] = []
        for bonus in q.bonuses:
            entry = ledger.grant(
                bonus.kind,
                bonus.points,
                program.expiry_days,
                birthday_year=q.birthday_year if bonus.kind == "birthday" else None,
                reason=_BONUS_REASONS.get(bonus.kind, bonus.kind),
                **common,
            )
            if entry is not None:
                bonus_entries.append(entry)
            if bonus.kind == "birthday" and q.birthday_year is not None:
                account.birthday_years.add(q.birthday_year)
                self._counts["birthday_bonuses"] += 1
            if bonus.kind == "referral":
                self._counts["referral_bonuses"] += 1
        if q.referrer_bonus and account.referrer is not None:
            entry = self._ledger(account.referrer, now).grant(
                "referral",
                q.referrer_bonus,
                program.expiry_days,
                reason=f"Referred {person.name}",
                **common,
            )
            if entry is not None:
                bonus_entries.append(entry)
        account.lifetime_paid += q.to_pay
        account.visits += 1
        account.last_visit_at = now
        self._sales += 1
        self._counts["card_sales"] += 1
        if q.points_redeemed:
            self._counts["redemptions"] += 1
        purchase = [
            sale_id,
            account.id,
            person.card,
            q.amount,
            q.discount,
            q.points_redeemed,
            q.redeemed_value,
            q.to_pay,
            q.points_earned,
            q.bonus_points,
            self.version,
            q.tier,
            q.explanation,
            rng.choice(CATEGORIES),
            None,
            self.terminal_id,
            sql_time(now),
            0,
            q.balance_after,
            q.tier_after,
        ]
        if rng.random() < 0.02:
            purchase[17] = self._refunds(person, sale_id, q, now, redeem_entry, earn, bonus_entries)
        self.purchases.append(tuple(purchase))
        if rng.random() < 0.08:
            self._counts["nps_responses"] += 1
            score = rng.choices(range(11), weights=NPS_WEIGHTS)[0]
            at = now + timedelta(minutes=1)
            self.nps.append((self.new_id(at), account.id, sale_id, score, sql_time(at)))

    def _refunds(
        self,
        person: Person,
        sale_id: str,
        q: object,
        sold_at: datetime,
        redeem_entry: Entry | None,
        earn: Entry | None,
        bonuses: list[Entry],
    ) -> int:
        """Refund a sale right after it, in full or in one or two parts; returns the total."""
        figures = SaleFigures(
            amount=q.amount,  # type: ignore[attr-defined]
            to_pay=q.to_pay,  # type: ignore[attr-defined]
            points_redeemed=q.points_redeemed,  # type: ignore[attr-defined]
            points_earned=q.points_earned,  # type: ignore[attr-defined]
            bonus_points=q.bonus_points,  # type: ignore[attr-defined]
        )
        rng = self.rng
        parts: list[int | None]
        if figures.amount < 200 or rng.random() < 0.5:
            parts = [None]
        else:
            first = rng.randint(1, figures.amount - 1)
            parts = [first, None] if rng.random() < 0.5 else [first]
        refunded = 0
        account = person.account
        for n, part in enumerate(parts, 1):
            now = sold_at + timedelta(minutes=5 * n)
            split = split_refund(figures, refunded, part)
            refunded += split.amount
            refund_id = self.new_id(now)
            ledger = self._ledger(account, now)
            self._counts["expired_points"] += ledger.expire_due()
            common = {"purchase_id": sale_id, "refund_id": refund_id}
            sources = [redeem_entry] if redeem_entry is not None else []
            ledger.put_back("refund_return", split.points_returned, sources, **common)
            ledger.take(
                "refund_reversal",
                split.points_reversed,
                prefer_lot=earn.lot if earn is not None else None,
                **common,
            )
            bonus_reversed = 0
            if split.bonus_reversed:
                for entry in bonuses:
                    owner = entry.account
                    owner_ledger = ledger if owner is account else self._ledger(owner, now)
                    owner_ledger.take(
                        "bonus_reversal",
                        entry.points,
                        prefer_lot=entry.lot,
                        reason=f"{entry.kind} bonus taken back: sale refunded in full",
                        **common,
                    )
                    if owner is account:
                        bonus_reversed += entry.points
            account.lifetime_paid -= split.money_returned
            self._counts["refunds"] += 1
            self.refunds.append(
                (
                    refund_id,
                    sale_id,
                    split.amount,
                    split.money_returned,
                    split.points_returned,
                    split.points_reversed,
                    bonus_reversed,
                    None,
                    self.terminal_id,
                    sql_time(now),
                )
            )
        return refunded

    # -- the end of the year -----------------------------------------------------------------

    def finish(self, people: list[Person]) -> None:
        """Write the expiries due by the end, as the start-of-day sweep would."""
        for person in people:
            self._counts["expired_points"] += self._ledger(person.account, self.end).expire_due()

    def feedback_rows(self, people: list[Person]) -> list[tuple[object, ...]]:
        rng = self.rng
        rows = []
        for _ in range(max(5, len(people) // 500)):
            person = rng.choice(people)
            kind, text = rng.choice(FEEDBACK)
            at = person.created_at + timedelta(days=rng.uniform(0, 60))
            at = min(at, self.end - timedelta(hours=1))
            resolved = kind == "complaint" and rng.random() < 0.6
            rows.append(
                (
                    self.new_id(at),
                    person.account.id,
                    kind,
                    text,
                    "resolved" if resolved else "open",
                    "Вибачились, нарахували бали вручну." if resolved else "",
                    sql_time(at),
                    sql_time(at + timedelta(days=1)) if resolved else None,
                    None,
                )
            )
        self._feedback = len(rows)
        return rows

    def counts(self) -> dict[str, int]:
        return {
            "customers": self.plan.customers,
            "sales": self._sales,
            "feedback": self._feedback,
            **self._counts,
        }


_BONUS_REASONS = {
    "birthday": "Birthday bonus",
    "referral": "Referral bonus (first purchase)",
    "milestone": "Visit milestone bonus",
}


def _shop_hours(moment: datetime, rng: random.Random) -> datetime:
    """Move a moment into opening hours (9:00–21:00), keeping its day."""
    if 9 <= moment.hour < 21:
        return moment
    day = datetime.combine(moment.date(), datetime.min.time())
    return day + timedelta(hours=9, seconds=rng.uniform(0, 12 * 3600 - 1))

"""First start (shop name, currency, till number) and the facts the status bar shows.

The till number is part of every card number this till issues (``2 TT SSSSSSSSS C``), so it can
only change before the first card was issued here; afterwards it is fixed for good.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from terminal.app.journal import ChangeSet, pending_count, record_event
from terminal.app.program import save_program
from terminal.app.settings import get_setting, put_setting
from terminal.app.till import Till, current_program
from terminal.core.cards import MAX_TILL
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.money import CURRENCIES
from terminal.core.program import DEFAULT_PROGRAM, with_tier_names
from terminal.db.models import Card, Terminal

log = logging.getLogger("setup")


def _name_builtin_tiers(
    s: Session, terminal_id: str, names: tuple[str, ...], now: datetime
) -> None:
    """A new shop's built-in tiers take the names of its language (an owner's own program, or
    one that came from the shop's other tills, is never renamed)."""
    version, program = current_program(s)
    if version != 1 or program != DEFAULT_PROGRAM:
        return
    named = with_tier_names(program, tuple(" ".join(n.split()) for n in names))
    if named != program and all(tier.name for tier in named.tiers):
        save_program(s, terminal_id, named, now, actor="system", note="Tier names")


@dataclass(frozen=True)
class ShopIdentity:
    shop_name: str
    currency: str
    till_number: int
    configured: bool
    till_number_locked: bool  # a card was already issued with this till's number
    language: str = ""  # interface language override ("": the system's)


@dataclass(frozen=True)
class StatusFacts:
    shop_name: str
    till_number: int  # the window names the till in its own language ("Till 3", "Каса 3")
    db_path: Path
    pending_events: int
    last_backup: datetime | None  # None: no backup known (or no backup feature yet)
    backup_overdue: bool = False
    # this till's last entry, when the clock now reads well before it (see clock_set_back)
    clock_behind: datetime | None = None


# A few minutes between the shop's machines, or a clock put right by a few minutes, is
# ordinary; more than this before the till's own last entry means the date or time was set
# back (a flat clock battery, a wrong date typed in).
CLOCK_SET_BACK = timedelta(minutes=10)


def clock_set_back(till: Till) -> datetime | None:
    """This till's last entry, when its clock now reads well before it; else None.

    Sales, refunds and points take their dates from the clock: points earned while it reads a
    past year would expire at once when it is put right, and the day's figures would miss the
    sales. The window shows the warning until the clock is right again.
    """
    with till.read_driver() as db:
        row = db.execute(
            "SELECT created_at FROM journal_event WHERE terminal_id = ? ORDER BY seq DESC LIMIT 1",
            (till.terminal_id,),
        ).fetchone()
    if row is None:
        return None
    last = datetime.fromisoformat(str(row[0]))
    return last if till.now() < last - CLOCK_SET_BACK else None


def backup_state(till: Till) -> tuple[datetime | None, bool]:
    """The last verified backup and whether one is overdue, from the data-safety feature
    (``terminal.app.backup.Backups(till).status()``); without it: none known, not overdue."""
    try:
        backup = importlib.import_module("terminal.app.backup")
        status = backup.Backups(till).status()
    except (ImportError, AttributeError):
        return None, False
    except Exception:  # the status bar must never take the counter down
        log.exception("could not read the backup status")
        return None, False
    return status.last_success, bool(status.overdue)


def pending_sync_events(till: Till) -> int:
    """Events not yet sent to other tills. The sync feature may provide
    ``terminal.sync.status.pending_events(till)``; until then every event of this till counts."""
    try:
        status = importlib.import_module("terminal.sync.status")
        return int(status.pending_events(till))
    except (ImportError, AttributeError):
        pass
    with till.read() as s:
        return int(pending_count(s, till.terminal_id))


class ShopSetup:
    def __init__(self, till: Till) -> None:
        self.till = till

    def current(self) -> ShopIdentity:
        with self.till.read() as s:
            terminal = s.get(Terminal, self.till.terminal_id)
            return ShopIdentity(
                shop_name=str(get_setting(s, "shop_name")),
                currency=str(get_setting(s, "currency")),
                till_number=terminal.number if terminal else self.till.terminal_number,
                configured=bool(get_setting(s, "configured")),
                till_number_locked=self._cards_issued(s),
                language=str(get_setting(s, "language") or ""),
            )

    def status(self) -> StatusFacts:
        with self.till.read() as s:
            shop = str(get_setting(s, "shop_name"))
        last_backup, overdue = backup_state(self.till)
        return StatusFacts(
            shop,
            self.till.terminal_number,
            self.till.db_path,
            pending_sync_events(self.till),
            last_backup,
            overdue,
            clock_set_back(self.till),
        )

    @staticmethod
    def _cards_issued(s: object) -> bool:
        return bool(s.exec(select(func.count()).select_from(Card)).one())  # type: ignore[attr-defined]

    def save(
        self,
        shop_name: str,
        currency_code: str,
        till_number: int,
        language: str | None = None,
        *,
        tier_names: tuple[str, ...] | None = None,
    ) -> ShopIdentity:
        """Answer the first-start questions (or change them later), journaled as one event.
        ``language`` ("", "en", "ru", "uk") overrides the system's; None keeps the current one.
        ``tier_names`` are the built-in tiers' names in the language the shop was set up in: on
        the first answers only, and only while the program is still the built-in one, they are
        saved as the next program version in the same transaction."""
        name = " ".join((shop_name or "").split())
        if not name:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Enter the shop's name."), field="shop_name"
            )
        if len(name) > 80:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The shop name is too long (at most 80 characters)."),
                field="shop_name",
            )
        code = (currency_code or "").strip().upper()
        if code not in CURRENCIES:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "“{currency_code}” is not a currency we know."),
                field="currency",
                currency_code=currency_code,
            )
        if (
            isinstance(till_number, bool)
            or not isinstance(till_number, int)
            or not 1 <= till_number <= MAX_TILL
        ):
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors", "The till number is a whole number from 1 to {MAX_TILL}."
                ),
                field="till",
                MAX_TILL=MAX_TILL,
            )
        now = self.till.now()
        with self.till.write() as s:
            terminal = s.get(Terminal, self.till.terminal_id)
            assert terminal is not None
            changes = ChangeSet(s)
            if till_number != terminal.number:
                if self._cards_issued(s):
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "The till number cannot change any more: cards were already "
                            "issued with it.",
                        ),
                        field="till",
                    )
                taken = s.exec(
                    select(Terminal).where(
                        Terminal.number == till_number, Terminal.id != terminal.id
                    )
                ).first()
                if taken is not None:
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "Till number {till_number} is already used by another till of "
                            "this shop.",
                        ),
                        field="till",
                        till_number=till_number,
                    )
                terminal.number = till_number
                terminal.name = f"Till {till_number}"
                changes.update(
                    "terminal", terminal.id, {"number": till_number, "name": terminal.name}
                )
            first_answers = not get_setting(s, "configured")
            values = {"shop_name": name, "currency": code, "configured": True}
            if language is not None:
                if language not in ("", "en", "ru", "uk"):
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP("Errors", "“{language}” is not a language we offer."),
                        field="language",
                        language=language,
                    )
                values["language"] = language
            for key, value in values.items():
                if get_setting(s, key) != value:
                    put_setting(s, key, value, now)
                    changes.update("shop_setting", key, {"value": value})
            if changes.updates:
                record_event(s, self.till.terminal_id, "settings.changed", changes.payload(), now)
            if first_answers and tier_names is not None:
                _name_builtin_tiers(s, self.till.terminal_id, tier_names, now)
        self.till.terminal_number = till_number
        return self.current()

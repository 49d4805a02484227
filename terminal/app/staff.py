"""Who may do what at the till: cashiers and owners, each with a PIN.

PINs are never stored: each is hashed with ``hashlib.scrypt`` under its own random salt, and the
hash string carries the cost parameters so they can be raised later without breaking old PINs.
Five wrong PINs in a row lock that person for five minutes (times from the till's clock, so a
fixed clock in tests is honoured). The first owner PIN is set on first use. Owner actions are
written to ``audit_log`` in the same transaction as the change they describe.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from terminal.app.audit_text import describe
from terminal.app.journal import ChangeSet, record_event
from terminal.app.settings import get_setting, put_setting
from terminal.app.till import Till
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput, LoyaltyError, NotFound
from terminal.core.ids import new_id
from terminal.db.models import AuditLog, Customer, Staff, StaffName

log = logging.getLogger("staff")

MAX_FAILURES = 5
# the owner's choices for signing an idle cashier out at the counter (0: never)
SIGN_OUT_CHOICES = (0, 5, 15, 30, 60)
LOCKOUT = timedelta(minutes=5)
PIN_MIN, PIN_MAX = 4, 8
ROLES = ("cashier", "owner")
# scrypt cost: ~16 MiB and ~50 ms per check — slow for a guesser, instant for a person.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class PinRefused(LoyaltyError):
    """The PIN was wrong; ``attempts_left`` says how many tries remain before the lock."""

    code = "pin_refused"


class StaffLocked(LoyaltyError):
    """Too many wrong PINs: the person must wait until ``until``."""

    code = "staff_locked"


@dataclass(frozen=True)
class StaffView:
    id: str
    name: str
    role: str
    active: bool
    locked_until: datetime | None
    has_pin: bool


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]
    who: str = ""  # the actor's name today ("" for the program itself)
    what: str = ""  # the line in words (a Sentence: translated when shown)


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex): everything needed to check the PIN again later."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Constant-time check of a PIN against a stored hash string."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(
        pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(got.hex(), digest)


def validate_pin(pin: str) -> str:
    if not (pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "A PIN is {PIN_MIN} to {PIN_MAX} digits."),
            field="pin",
            min=PIN_MIN,
            max=PIN_MAX,
            PIN_MIN=PIN_MIN,
            PIN_MAX=PIN_MAX,
        )
    return pin


def write_audit(session: Session, now: datetime, actor: str, action: str, **details: Any) -> None:
    """One line in the owner's audit log; call inside the transaction that made the change."""
    session.add(
        AuditLog(at=now, actor=actor, action=action, details=json.dumps(details, default=str))
    )


def staff_names(session: Session) -> dict[str, str]:
    """Everyone's name by staff id, this till's people and every other till's: what a sale's
    cashier or an adjustment's author reads as, wherever it was made. ``staff_name`` holds
    them all: adding a person writes their row (``_share_name``), and migration
    ``a_staff_names`` wrote the rows of everyone added before it."""
    return {row.id: row.name for row in session.exec(select(StaffName)).all()}


def _share_name(session: Session, till: Till, person: Staff, now: datetime) -> None:
    """Tell the other tills this person's name (never the PIN hash or the lockout): a
    ``staff_name`` row and its ``staff.named`` event, in the transaction that adds the person."""
    changes = ChangeSet(session)
    changes.add(
        StaffName(
            id=person.id,
            name=person.name,
            terminal_id=till.terminal_id,
            created_at=person.created_at,
        )
    )
    record_event(session, till.terminal_id, "staff.named", changes.payload(staff_id=person.id), now)


def _view(row: Staff) -> StaffView:
    return StaffView(row.id, row.name, row.role, row.active, row.locked_until, bool(row.pin_hash))


class StaffRoster:
    """Cashiers and owners: first owner PIN, sign-in with lockout, managing cashiers."""

    def __init__(self, till: Till) -> None:
        self.till = till

    # -- reading ---------------------------------------------------------------------------
    def list(self) -> list[StaffView]:
        with self.till.read() as s:
            rows = s.exec(select(Staff).order_by(Staff.role.desc(), Staff.name)).all()
            return [_view(r) for r in rows]

    def owner_exists(self) -> bool:
        with self.till.read() as s:
            return (
                s.exec(
                    select(Staff.id).where(
                        Staff.role == "owner",
                        Staff.active,
                        Staff.pin_hash != "",
                    )
                ).first()
                is not None
            )

    def audit_log(self, limit: int = 200) -> list[AuditLine]:
        """The newest owner-log lines, with the people and customers they name resolved to
        today's names (an erased customer reads as erased)."""
        with self.till.read() as s:
            rows = s.exec(select(AuditLog).order_by(AuditLog.at.desc()).limit(limit)).all()
            staff = staff_names(s)
            lines = [(r.at, r.actor, r.action, json.loads(r.details)) for r in rows]
            wanted = {str(d["customer_id"]) for *_, d in lines if d.get("customer_id")}
            customers = {
                row[0]: row[1]
                for row in s.exec(
                    select(Customer.id, Customer.name).where(col(Customer.id).in_(wanted))
                ).all()
            }
        return [
            AuditLine(
                at,
                actor,
                action,
                details,
                who=staff.get(actor, ""),
                what=describe(action, details, staff, customers),
            )
            for at, actor, action, details in lines
        ]

    # -- first use -------------------------------------------------------------------------
    def set_first_owner(self, name: str, pin: str) -> StaffView:
        """The very first owner PIN; refused once an owner exists (a cashier cannot take over)."""
        validate_pin(pin)
        name = name.strip() or "Owner"
        now = self.till.now()
        with self.till.write() as s:
            exists = s.exec(
                select(Staff.id).where(Staff.role == "owner", Staff.pin_hash != "")
            ).first()
            if exists is not None:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP("Errors", "An owner PIN is already set."), field="pin"
                )
            row = Staff(
                id=new_id(), name=name, role="owner", pin_hash=hash_pin(pin), created_at=now
            )
            s.add(row)
            _share_name(s, self.till, row, now)
            write_audit(s, now, row.id, "owner.created", name=name)
            s.flush()
            log.info("first owner PIN set")
            return _view(row)

    # -- sign-in ---------------------------------------------------------------------------
    def sign_in(self, pin: str, *, role: str | None = None) -> StaffView:
        """The active person whose PIN this is (of ``role`` if given).

        A wrong PIN counts against every candidate of that role it could have been meant for
        (for an owner screen: the owners), so guessing cannot go on forever; five failures lock
        them for five minutes. A locked person is refused even with the right PIN.
        """
        roles = ROLES if role is None else (role,)
        return self._sign_in(pin, roles, audit_owner="owner.unlocked", audit_anyone=None)

    def sign_in_at_till(self, pin: str) -> StaffView:
        """Who is at the till: any active cashier or owner, by PIN, with the same lockout.

        Signing in at the counter does not unlock the owner screens (that stays the owner PIN
        dialog's job); the audit log gets one ``till.signed_in`` line, so the owner can see who
        took over the till and when.
        """
        return self._sign_in(pin, ROLES, audit_owner=None, audit_anyone="till.signed_in")

    def till_sign_in_needed(self) -> bool:
        """True when the shop has at least one active cashier with a PIN: then the counter asks
        who is at the till. An owner who works alone is never asked."""
        with self.till.read() as s:
            return (
                s.exec(
                    select(Staff.id).where(
                        Staff.role == "cashier",
                        Staff.active == True,  # noqa: E712
                        Staff.pin_hash != "",
                    )
                ).first()
                is not None
            )

    def get(self, staff_id: str) -> StaffView | None:
        """One person, or None when unknown on this till."""
        with self.till.read() as s:
            row = s.get(Staff, staff_id)
            return _view(row) if row is not None else None

    def _sign_in(
        self,
        pin: str,
        roles: tuple[str, ...],
        *,
        audit_owner: str | None,
        audit_anyone: str | None,
    ) -> StaffView:
        now = self.till.now()
        with self.till.write() as s:
            query = select(Staff).where(
                Staff.active == True,  # noqa: E712
                Staff.pin_hash != "",
                col(Staff.role).in_(roles),
            )
            candidates = list(s.exec(query).all())
            if not candidates:  # nobody of that role: the same answer as a wrong PIN
                raise PinRefused(
                    QT_TRANSLATE_NOOP("Errors", "Wrong PIN."), attempts_left=MAX_FAILURES
                )
            locked = [c for c in candidates if c.locked_until and c.locked_until > now]
            if locked and len(locked) == len(candidates):
                until = min(c.locked_until for c in locked if c.locked_until)
                raise StaffLocked(
                    QT_TRANSLATE_NOOP("Errors", "Too many wrong PINs. Try again at {until:%H:%M}."),
                    until=until,
                )
            for person in candidates:
                if person in locked:
                    continue
                if pin_matches(pin, person.pin_hash):
                    person.failed_attempts = 0
                    person.locked_until = None
                    s.add(person)
                    if audit_anyone is not None:
                        write_audit(s, now, person.id, audit_anyone, role=person.role)
                    elif person.role == "owner" and audit_owner is not None:
                        write_audit(s, now, person.id, audit_owner)
                    return _view(person)
            left = MAX_FAILURES
            lock_until: datetime | None = None
            for person in candidates:
                if person in locked:
                    continue
                person.failed_attempts += 1
                if person.failed_attempts >= MAX_FAILURES:
                    person.failed_attempts = 0
                    person.locked_until = now + LOCKOUT
                    lock_until = person.locked_until
                    write_audit(s, now, person.id, "staff.locked", role=person.role)
                left = min(left, MAX_FAILURES - person.failed_attempts)
                s.add(person)
        # the failure counts are committed above; now tell the person
        log.info("wrong PIN (roles=%s)", ",".join(roles))
        if lock_until is not None:
            raise StaffLocked(
                QT_TRANSLATE_NOOP(
                    "Errors", "Too many wrong PINs. Try again at {lock_until:%H:%M}."
                ),
                until=lock_until,
                lock_until=lock_until,
            )
        raise PinRefused(
            QT_TRANSLATE_NOOP("Errors", "Wrong PIN. {left} tries left before a 5-minute lock."),
            attempts_left=left,
            left=left,
        )

    # -- owner actions ---------------------------------------------------------------------
    def add(self, actor_id: str, name: str, pin: str, role: str = "cashier") -> StaffView:
        validate_pin(pin)
        name = name.strip()
        if not name:
            raise InvalidInput(QT_TRANSLATE_NOOP("Errors", "Type the person's name."), field="name")
        if role not in ROLES:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The role is cashier or owner."), field="role"
            )
        now = self.till.now()
        with self.till.write() as s:
            for other in s.exec(select(Staff).where(Staff.active == True)).all():  # noqa: E712
                if other.pin_hash and pin_matches(pin, other.pin_hash):
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP(
                            "Errors", "Someone already uses this PIN; choose another."
                        ),
                        field="pin",
                    )
            row = Staff(id=new_id(), name=name, role=role, pin_hash=hash_pin(pin), created_at=now)
            s.add(row)
            _share_name(s, self.till, row, now)
            write_audit(s, now, actor_id, "staff.added", staff_id=row.id, name=name, role=role)
            s.flush()
            return _view(row)

    def change_pin(self, actor_id: str, staff_id: str, pin: str) -> StaffView:
        validate_pin(pin)
        now = self.till.now()
        with self.till.write() as s:
            row = s.get(Staff, staff_id)
            if row is None:
                raise NotFound(QT_TRANSLATE_NOOP("Errors", "No such person."), staff_id=staff_id)
            for other in s.exec(select(Staff).where(Staff.active == True)).all():  # noqa: E712
                if other.id != staff_id and other.pin_hash and pin_matches(pin, other.pin_hash):
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP(
                            "Errors", "Someone already uses this PIN; choose another."
                        ),
                        field="pin",
                    )
            row.pin_hash = hash_pin(pin)
            row.failed_attempts = 0
            row.locked_until = None
            s.add(row)
            write_audit(s, now, actor_id, "staff.pin_changed", staff_id=staff_id)
            return _view(row)

    def set_active(self, actor_id: str, staff_id: str, active: bool) -> StaffView:
        now = self.till.now()
        with self.till.write() as s:
            row = s.get(Staff, staff_id)
            if row is None:
                raise NotFound(QT_TRANSLATE_NOOP("Errors", "No such person."), staff_id=staff_id)
            if not active and row.role == "owner":
                owners = s.exec(
                    select(Staff.id).where(Staff.role == "owner", Staff.active == True)  # noqa: E712
                ).all()
                if len(owners) <= 1:
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP("Errors", "The last owner cannot be switched off."),
                        field="active",
                    )
            row.active = active
            s.add(row)
            write_audit(
                s,
                now,
                actor_id,
                "staff.activated" if active else "staff.deactivated",
                staff_id=staff_id,
            )
            return _view(row)

    def sign_out_after(self) -> int:
        """Minutes without a key press or click after which the counter asks "Who is at the
        till?" again (0: never) — so the next person cannot sell under a name that walked away."""
        with self.till.read() as s:
            minutes = get_setting(s, "cashier_sign_out_minutes")
        return int(minutes) if isinstance(minutes, int) and minutes in SIGN_OUT_CHOICES else 0

    def set_sign_out_after(self, actor_id: str, minutes: int) -> None:
        """The owner's choice of :data:`SIGN_OUT_CHOICES`; this till's own setting, audited."""
        if minutes not in SIGN_OUT_CHOICES:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Choose never, 5, 15, 30 or 60 minutes."),
                field="minutes",
            )
        now = self.till.now()
        with self.till.write() as s:
            put_setting(s, "cashier_sign_out_minutes", minutes, now)
            write_audit(s, now, actor_id, "staff.sign_out_after", minutes=minutes)

    def record(self, actor_id: str, action: str, **details: Any) -> None:
        """Audit an owner action that wrote nothing else (e.g. opened reports, exported)."""
        now = self.till.now()
        with self.till.write() as s:
            write_audit(s, now, actor_id, action, **details)

"""The owner's program book: the program in force, its history, and saving a new version.

A saved change never edits a version: it adds the next one, with who and when, so every sale can
be explained by the rules it was made under (``purchase.program_version``). Saving is one
transaction with an audit-log row and a ``program.changed`` journal event, so other tills follow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from terminal.app.journal import ChangeSet, record_event
from terminal.app.till import Till, current_program
from terminal.core.checkout import CustomerState, Quote, Redeem, quote
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput, NotFound
from terminal.core.money import format_amount
from terminal.core.program import Program, format_bp
from terminal.db.models import AuditLog, ProgramVersion


@dataclass(frozen=True)
class ProgramInfo:
    version: int
    program: Program
    created_at: datetime
    created_by: str
    note: str


def _info(row: ProgramVersion) -> ProgramInfo:
    return ProgramInfo(
        row.version,
        Program.from_dict(json.loads(row.rules)),
        row.created_at,
        row.created_by,
        row.note,
    )


class ProgramBook:
    def __init__(self, till: Till) -> None:
        self.till = till

    def current(self) -> ProgramInfo:
        with self.till.read() as s:
            version, _program = current_program(s)
            row = s.get(ProgramVersion, version)
            assert row is not None
            return _info(row)

    def history(self) -> list[ProgramInfo]:
        """Every version, newest first."""
        with self.till.read() as s:
            rows = s.exec(select(ProgramVersion).order_by(col(ProgramVersion.version).desc()))
            return [_info(row) for row in rows.all()]

    def get(self, version: int) -> ProgramInfo:
        with self.till.read() as s:
            row = s.get(ProgramVersion, version)
            if row is None:
                raise NotFound(
                    QT_TRANSLATE_NOOP("Errors", "There is no program version {version}."),
                    version=version,
                )
            return _info(row)

    def save(self, program: Program, *, actor: str = "owner", note: str = "") -> ProgramInfo:
        """Store ``program`` as the next version; refuses an invalid or unchanged program."""
        program.validate()
        now = self.till.now()
        with self.till.write() as s:
            version, current = current_program(s)
            if program == current:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP(
                        "Errors", "Nothing changed: the program is the same as version {version}."
                    ),
                    field="program",
                    version=version,
                )
            changes = ChangeSet(s)
            row = ProgramVersion(
                version=version + 1,
                rules=json.dumps(program.to_dict(), ensure_ascii=False),
                created_at=now,
                created_by=actor,
                note=note.strip(),
            )
            changes.add(row)
            differences = describe_changes(current, program)
            s.add(
                AuditLog(
                    at=now,
                    actor=actor,
                    action="program.saved",
                    details=json.dumps(
                        {"version": version + 1, "changes": differences}, ensure_ascii=False
                    ),
                )
            )
            record_event(
                s,
                self.till.terminal_id,
                "program.changed",
                changes.payload(version=version + 1),
                now,
            )
            return ProgramInfo(version + 1, program, now, actor, row.note)

    # -- files ----------------------------------------------------------------------------

    def export_json(self, path: Path | str) -> Path:
        info = self.current()
        out = Path(path)
        out.write_text(
            json.dumps(
                {"version": info.version, "program": info.program.to_dict()},
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        return out

    def import_json(self, path: Path | str, *, actor: str = "owner") -> ProgramInfo:
        """Save the program from a file as the next version, or change nothing and say why."""
        program = parse_program_file(Path(path))
        return self.save(program, actor=actor, note=f"Imported from {Path(path).name}")


def parse_program_file(path: Path) -> Program:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "Cannot read {name}: {strerror}."),
            field="file",
            name=path.name,
            strerror=exc.strerror,
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors", "{name} is not valid JSON (line {lineno}, column {colno}: {msg})."
            ),
            field="file",
            name=path.name,
            lineno=exc.lineno,
            colno=exc.colno,
            msg=exc.msg,
        ) from exc
    if isinstance(data, dict) and "program" in data and isinstance(data["program"], dict):
        data = data["program"]
    try:
        return Program.from_dict(data)
    except InvalidInput as exc:
        field = exc.params.get("field")
        if field and f"“{field}" not in exc.message:
            # A file is fixed by editing JSON: name the field as it is written there.
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "{message} (field “{field}”)"),
                field=field,
                message=exc,
            ) from exc
        raise


def worked_example(
    program: Program,
    *,
    amount: int,
    tier_name: str | None = None,
    balance: int = 0,
    redeem: Redeem | None = None,
    now: datetime | None = None,
    category: str | None = None,
) -> Quote:
    """What a sale of ``amount`` by a customer of ``tier_name`` would give under ``program``:
    the owner's live example while editing ("a 1 000.00 check by a Silver customer …")."""
    tier = next((t for t in program.tiers if t.name == tier_name), program.tiers[0])
    state = CustomerState(balance=balance, lifetime_paid=tier.threshold, visits=5)
    return quote(program, state, amount, redeem or Redeem(), now or datetime.now(), category)


def describe_changes(old: Program, new: Program, decimals: int = 2) -> list[str]:
    """The differences between two programs in plain words, for the diff shown before saving."""
    a, b = old.to_dict(), new.to_dict()
    lines: list[str] = []
    for key in a:
        if a[key] == b.get(key):
            continue
        if key == "tiers":
            lines += _tier_changes(old, new, decimals)
        else:
            lines.append(
                f"{_FIELD_TITLES.get(key, key)}: {_show(key, a[key], decimals)} → "
                f"{_show(key, b.get(key), decimals)}"
            )
    return lines


_FIELD_TITLES = {
    "kind": "Program kind",
    "point_value": "Value of one point",
    "redeem_cap_bp": "Points may pay up to",
    "min_balance_to_redeem": "Minimum balance to spend points",
    "min_check_to_earn": "Minimum check to earn points",
    "earn_on_redeemed": "Earn on the part paid with points",
    "expiry_days": "Points expire after (days)",
    "welcome_points": "Welcome bonus",
    "birthday_points": "Birthday bonus",
    "birthday_window_days": "Birthday window (days either side)",
    "referral_referrer_points": "Referral bonus for the referrer",
    "referral_newcomer_points": "Referral bonus for the newcomer",
    "referral_min_first_check": "Minimum first check for the referral bonus",
    "milestones": "Visit milestones",
    "promotions": "Promotions",
    "stacking": "When promotions overlap",
    "categories": "Purchase categories",
    "extras": "Extras",
}

_MONEY_KEYS = {"point_value", "min_check_to_earn", "referral_min_first_check"}


def _show(key: str, value: Any, decimals: int) -> str:
    if value is None:
        return "never" if key == "expiry_days" else "—"
    if key in _MONEY_KEYS and isinstance(value, int):
        return format_amount(value, decimals)
    if key.endswith("_bp") and isinstance(value, int):
        return f"{format_bp(value)} %"
    if key == "promotions":
        return ", ".join(p["name"] for p in value) or "none"
    if key == "categories":
        return ", ".join(value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _tier_changes(old: Program, new: Program, decimals: int) -> list[str]:
    lines = []
    before = {t.name: t for t in old.tiers}
    after = {t.name: t for t in new.tiers}
    for name, tier in after.items():
        was = before.get(name)
        if was is None:
            lines.append(
                f"New tier {name}: from {format_amount(tier.threshold, decimals)}, "
                f"{format_bp(tier.earn_bp)} % points, {format_bp(tier.discount_bp)} % discount"
            )
            continue
        if was.threshold != tier.threshold:
            lines.append(
                f"{name} starts at {format_amount(was.threshold, decimals)} → "
                f"{format_amount(tier.threshold, decimals)}"
            )
        if was.earn_bp != tier.earn_bp:
            lines.append(f"{name} points {format_bp(was.earn_bp)} % → {format_bp(tier.earn_bp)} %")
        if was.discount_bp != tier.discount_bp:
            lines.append(
                f"{name} discount {format_bp(was.discount_bp)} % → {format_bp(tier.discount_bp)} %"
            )
    lines += [f"Tier {name} removed" for name in before if name not in after]
    return lines

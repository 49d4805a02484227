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

from sqlmodel import Session, col, select

from terminal.app.files import write_text_whole
from terminal.app.journal import ChangeSet, record_event
from terminal.app.till import Till, current_program
from terminal.core.checkout import CustomerState, Quote, Redeem, quote
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput, NotFound
from terminal.core.program import Program
from terminal.core.sentences import Amount, Listing, Percent, Sentence
from terminal.db.models import AuditLog, ProgramVersion

# Versions are SQLite integer keys: a number past this cannot be looked up (it overflows the
# driver) and is no version.
_LARGEST_VERSION = 2**63 - 1


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
        if not 1 <= version <= _LARGEST_VERSION:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors", "“{version}” is not a program version; versions are numbered from 1."
                ),
                field="version",
                version=version,
            )
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
        now = self.till.now()
        with self.till.write() as s:
            return save_program(s, self.till.terminal_id, program, now, actor=actor, note=note)

    # -- files ----------------------------------------------------------------------------

    def export_json(self, path: Path | str) -> Path:
        info = self.current()
        text = json.dumps(
            {"version": info.version, "program": info.program.to_dict()},
            ensure_ascii=False,
            indent=2,
        )
        return write_text_whole(path, text)  # never a half-written file under the final name

    def import_json(self, path: Path | str, *, actor: str = "owner") -> ProgramInfo:
        """Save the program from a file as the next version, or change nothing and say why."""
        program = parse_program_file(Path(path))
        return self.save(program, actor=actor, note=f"Imported from {Path(path).name}")


def save_program(
    s: Session, terminal_id: str, program: Program, now: datetime, *, actor: str, note: str = ""
) -> ProgramInfo:
    """The next program version, its audit line and its journal event, inside the caller's
    transaction: the owner's save and a new shop's first-start answers (tier names in the
    shop's language) go through the same steps."""
    program.validate()
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
    record_event(s, terminal_id, "program.changed", changes.payload(version=version + 1), now)
    return ProgramInfo(version + 1, program, now, actor, row.note)


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
    except UnicodeDecodeError as exc:  # a picture, a spreadsheet, an old code-page text
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "{name} is not a program file: it is not UTF-8 text."),
            field="file",
            name=path.name,
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
        program = Program.from_dict(data)
        program.validate_limits()  # refused here, before the save, naming the file's field
        return program
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
    """The differences between two programs in plain words, for the diff shown before saving.

    Each line is a :class:`Sentence` (English as a ``str``, for the audit log and the JSON; the
    Program screen shows it in the till's language, amounts and rates the locale's way).
    """
    a, b = old.to_dict(), new.to_dict()
    lines: list[str] = []
    for key in a:
        if a[key] == b.get(key):
            continue
        if key == "tiers":
            lines += _tier_changes(old, new, decimals)
        else:
            title = _FIELD_TITLES.get(key)
            lines.append(
                _said(
                    QT_TRANSLATE_NOOP("ProgramChanges", "{field}: {old} → {new}"),
                    field=_said(title) if title else key,
                    old=_show(key, a[key], decimals),
                    new=_show(key, b.get(key), decimals),
                )
            )
    return lines


def _said(template: str, **params: Any) -> Sentence:
    return Sentence(template, context="ProgramChanges", **params)


_FIELD_TITLES = {
    "kind": QT_TRANSLATE_NOOP("ProgramChanges", "Program kind"),
    "point_value": QT_TRANSLATE_NOOP("ProgramChanges", "Value of one point"),
    "redeem_cap_bp": QT_TRANSLATE_NOOP("ProgramChanges", "Points may pay up to"),
    "min_balance_to_redeem": QT_TRANSLATE_NOOP("ProgramChanges", "Minimum balance to spend points"),
    "min_check_to_earn": QT_TRANSLATE_NOOP("ProgramChanges", "Minimum check to earn points"),
    "earn_on_redeemed": QT_TRANSLATE_NOOP("ProgramChanges", "Earn on the part paid with points"),
    "expiry_days": QT_TRANSLATE_NOOP("ProgramChanges", "Points expire after (days)"),
    "welcome_points": QT_TRANSLATE_NOOP("ProgramChanges", "Welcome bonus"),
    "birthday_points": QT_TRANSLATE_NOOP("ProgramChanges", "Birthday bonus"),
    "birthday_window_days": QT_TRANSLATE_NOOP(
        "ProgramChanges", "Birthday window (days either side)"
    ),
    "referral_referrer_points": QT_TRANSLATE_NOOP(
        "ProgramChanges", "Referral bonus for the referrer"
    ),
    "referral_newcomer_points": QT_TRANSLATE_NOOP(
        "ProgramChanges", "Referral bonus for the newcomer"
    ),
    "referral_min_first_check": QT_TRANSLATE_NOOP(
        "ProgramChanges", "Minimum first check for the referral bonus"
    ),
    "milestones": QT_TRANSLATE_NOOP("ProgramChanges", "Visit milestones"),
    "promotions": QT_TRANSLATE_NOOP("ProgramChanges", "Promotions"),
    "stacking": QT_TRANSLATE_NOOP("ProgramChanges", "When promotions overlap"),
    "categories": QT_TRANSLATE_NOOP("ProgramChanges", "Purchase categories"),
    "extras": QT_TRANSLATE_NOOP("ProgramChanges", "Extras"),
}

_MONEY_KEYS = {"point_value", "min_check_to_earn", "referral_min_first_check"}

# Stored codes, translated into the owner's words (English keeps the codes, as it always showed).
_CODE_WORDS = {
    ("kind", "bonus"): QT_TRANSLATE_NOOP("ProgramChanges", "bonus"),
    ("kind", "discount"): QT_TRANSLATE_NOOP("ProgramChanges", "discount"),
    ("kind", "hybrid"): QT_TRANSLATE_NOOP("ProgramChanges", "hybrid"),
    ("stacking", "best"): QT_TRANSLATE_NOOP("ProgramChanges", "best"),
    ("stacking", "sum"): QT_TRANSLATE_NOOP("ProgramChanges", "sum"),
}


def _rate(bp: int) -> Sentence:
    return _said(QT_TRANSLATE_NOOP("ProgramChanges", "{rate} %"), rate=Percent(bp))


def _show(key: str, value: Any, decimals: int) -> Any:
    """One setting's value as a parameter the reader's locale and language can write."""
    if value is None:
        if key == "expiry_days":
            return _said(QT_TRANSLATE_NOOP("ProgramChanges", "never"))
        return "—"
    if key in _MONEY_KEYS and isinstance(value, int):
        return Amount(value, decimals)
    if key.endswith("_bp") and isinstance(value, int):
        return _rate(value)
    if isinstance(value, str) and (key, value) in _CODE_WORDS:
        return _said(_CODE_WORDS[(key, value)])
    if key == "milestones" and isinstance(value, list):
        visits = [
            _said(
                QT_TRANSLATE_NOOP("ProgramChanges", "visit {visit}: +{points}"),
                visit=visit,
                points=points,
            )
            for visit, points in value
        ]
        return (
            Listing(tuple(visits)) if visits else _said(QT_TRANSLATE_NOOP("ProgramChanges", "none"))
        )
    if key in ("promotions", "categories") and isinstance(value, list):
        names = [p["name"] if isinstance(p, dict) else str(p) for p in value]
        return ", ".join(names) if names else _said(QT_TRANSLATE_NOOP("ProgramChanges", "none"))
    if isinstance(value, bool):
        return _said(
            QT_TRANSLATE_NOOP("ProgramChanges", "yes")
            if value
            else QT_TRANSLATE_NOOP("ProgramChanges", "no")
        )
    return str(value)


def _tier_changes(old: Program, new: Program, decimals: int) -> list[str]:
    lines: list[str] = []
    before = {t.name: t for t in old.tiers}
    after = {t.name: t for t in new.tiers}
    for name, tier in after.items():
        was = before.get(name)
        if was is None:
            lines.append(
                _said(
                    QT_TRANSLATE_NOOP(
                        "ProgramChanges",
                        "New tier {name}: from {threshold}, {earn} points, {discount} discount",
                    ),
                    name=name,
                    threshold=Amount(tier.threshold, decimals),
                    earn=_rate(tier.earn_bp),
                    discount=_rate(tier.discount_bp),
                )
            )
            continue
        if was.threshold != tier.threshold:
            lines.append(
                _said(
                    QT_TRANSLATE_NOOP("ProgramChanges", "{name} starts at {old} → {new}"),
                    name=name,
                    old=Amount(was.threshold, decimals),
                    new=Amount(tier.threshold, decimals),
                )
            )
        if was.earn_bp != tier.earn_bp:
            lines.append(
                _said(
                    QT_TRANSLATE_NOOP("ProgramChanges", "{name} points {old} → {new}"),
                    name=name,
                    old=_rate(was.earn_bp),
                    new=_rate(tier.earn_bp),
                )
            )
        if was.discount_bp != tier.discount_bp:
            lines.append(
                _said(
                    QT_TRANSLATE_NOOP("ProgramChanges", "{name} discount {old} → {new}"),
                    name=name,
                    old=_rate(was.discount_bp),
                    new=_rate(tier.discount_bp),
                )
            )
    lines += [
        _said(QT_TRANSLATE_NOOP("ProgramChanges", "Tier {name} removed"), name=name)
        for name in before
        if name not in after
    ]
    return lines

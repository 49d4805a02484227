"""Rows of an owner's spreadsheet of regulars, checked one by one before anything is written.

Pure rules, no I/O: the importer reads the file and what the database already holds, and this
module says, for every row, either the clean values to store or every reason it would be refused
(in plain words, so the owner can fix the spreadsheet). The same check runs for the dry run and
again inside the applying transaction, so nothing the owner did not see gets written.

Card numbers: a shop that had cards before may have printed any EAN-13, not only numbers in our
in-store range (first digit 2). The counter's scanner only accepts in-store numbers, so a card
from another range could never be scanned; such rows are refused with that reason, and the owner
may empty the card cell — the customer then gets a new card number from this till. Numbers that
lost their leading zeros in a spreadsheet are repaired when the padded number is valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from terminal.core.cards import check_digit, normalize_card_number
from terminal.core.customer_form import parse_birthday
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidCardNumber, InvalidInput, InvalidPhone
from terminal.core.phone import normalize_phone
from terminal.core.sentences import Sentence

FIELDS: tuple[str, ...] = ("name", "phone", "card", "balance", "birthday", "email", "consent")
REQUIRED: tuple[str, ...] = ("name",)

# Header words people use, casefolded and without punctuation (English, Russian, Ukrainian).
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "customer",
        "client",
        "имя",
        "фио",
        "клиент",
        "покупатель",
        "ім'я",
        "імя",
        "піб",
        "клієнт",
        "покупець",
    ),
    "phone": ("phone", "telephone", "mobile", "tel", "телефон", "тел", "мобильный", "мобільний"),
    "card": (
        "card",
        "card number",
        "card no",
        "карта",
        "номер карты",
        "карточка",
        "картка",
        "номер картки",
        "дисконтна картка",
        "дисконтная карта",
    ),
    "balance": (
        "balance",
        "points",
        "bonus",
        "bonuses",
        "баллы",
        "бонусы",
        "баланс",
        "бали",
        "бонуси",
    ),
    "birthday": (
        "birthday",
        "birth date",
        "date of birth",
        "dob",
        "день рождения",
        "дата рождения",
        "день народження",
        "дата народження",
    ),
    "email": ("email", "e-mail", "mail", "почта", "эл почта", "пошта", "ел пошта"),
    "consent": (
        "consent",
        "marketing consent",
        "subscribed",
        "согласие",
        "рассылка",
        "згода",
        "розсилка",
    ),
}

_YES = {"1", "yes", "y", "true", "да", "так", "+", "x", "✓"}
_NO = {"", "0", "no", "n", "false", "нет", "ні", "-"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def _header_key(text: str) -> str:
    cleaned = re.sub(r"[_\-.:#№()*]", " ", (text or "").casefold().replace("’", "'"))
    return " ".join(cleaned.split())


def guess_mapping(headers: Sequence[str]) -> dict[str, int]:
    """Which column holds which field, from the header words; each column is used once."""
    mapping: dict[str, int] = {}
    keys = [_header_key(h) for h in headers]
    for exact in (True, False):
        for name, raw_words in HEADER_WORDS.items():
            if name in mapping:
                continue
            words = {_header_key(w) for w in raw_words}
            for index, key in enumerate(keys):
                if index in mapping.values() or not key:
                    continue
                hit = key in words if exact else any(key.startswith(w) for w in words)
                if hit:
                    mapping[name] = index
                    break
    return mapping


@dataclass(frozen=True)
class CleanRow:
    """A row that will be imported, with the values as they will be stored."""

    line: int  # the line / spreadsheet row number the owner sees
    name: str
    phone: str | None
    card: str | None
    balance: int
    birthday: date | None
    email: str | None
    consent: bool


@dataclass(frozen=True)
class RefusedRow:
    line: int
    reasons: tuple[str, ...]
    cells: tuple[str, ...]


@dataclass(frozen=True)
class KnownInDatabase:
    """What the shop already has that an imported row may collide with."""

    phones: frozenset[str] = frozenset()
    cards: frozenset[str] = frozenset()  # numbers held by a customer, blocked or replaced
    stock_cards: frozenset[str] = frozenset()  # pre-printed, unassigned: may be given out


@dataclass
class RowCheck:
    good: list[CleanRow] = field(default_factory=list)
    refused: list[RefusedRow] = field(default_factory=list)


def _cell(cells: Sequence[str], mapping: Mapping[str, int], name: str) -> str:
    index = mapping.get(name)
    if index is None or index >= len(cells):
        return ""
    return (cells[index] or "").strip()


# The largest opening balance a card can bring from a notebook or another system: ten times the
# largest manual adjustment, beyond any real card, and far below a card number or a phone pasted
# into the balance column (which would make a balance no count can show).
MAX_OPENING_BALANCE = 10_000_000


def parse_points(text: str) -> int:
    """Points as written in a notebook or a spreadsheet: "1 200", "350", "350.0"."""
    compact = _SPACES.sub("", text)
    if not compact:
        return 0
    if re.fullmatch(r"[+-]?\d+([.,]0+)?", compact):
        value = int(re.split(r"[.,]", compact)[0])
    else:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "balance “{text}” is not a whole number of points"),
            field="balance",
            text=text,
        )
    if value < 0:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "negative balance {value}"), field="balance", value=value
        )
    if value > MAX_OPENING_BALANCE:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors", "balance {value} is more than the {most} points a card can bring"
            ),
            field="balance",
            value=value,
            most=MAX_OPENING_BALANCE,
        )
    return value


def parse_consent(text: str) -> bool:
    key = text.casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise InvalidInput(
        QT_TRANSLATE_NOOP("Errors", "consent “{text}” is neither yes nor no"),
        field="consent",
        text=text,
    )


def card_number(text: str) -> str:
    """A card cell as a stored number, or :class:`InvalidCardNumber` with the reason."""
    compact = re.sub(r"[\s\-]", "", text)
    try:
        return normalize_card_number(compact)
    except InvalidCardNumber as exc:
        padded = compact.zfill(13) if compact.isdigit() and 8 <= len(compact) <= 13 else ""
        if padded and check_digit(padded[:12]) == padded[12]:
            raise InvalidCardNumber(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "card {padded} is not in the in-store range (it does not start with 2), "
                    "so the counter could not scan it; empty the cell to issue a new card",
                ),
                raw=text,
                padded=padded,
            ) from exc
        if "check digit" in exc.message:
            raise InvalidCardNumber(
                QT_TRANSLATE_NOOP("Errors", "card {compact}: wrong check digit"),
                raw=text,
                compact=compact,
            ) from exc
        raise InvalidCardNumber(
            QT_TRANSLATE_NOOP("Errors", "card “{text}”: {message}"),
            raw=text,
            text=text,
            message=exc,
        ) from exc


def check_rows(
    rows: Iterable[tuple[int, Sequence[str]]],
    mapping: Mapping[str, int],
    known: KnownInDatabase,
    today: date,
    region: str = "UA",
) -> RowCheck:
    """Every row either clean or refused with all its reasons; duplicates keep the first row."""
    if "name" not in mapping:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "Choose the column that holds the customers' names."),
            field="name",
        )
    result = RowCheck()
    phone_lines: dict[str, int] = {}
    card_lines: dict[str, int] = {}
    for line, cells in rows:
        if not any((c or "").strip() for c in cells):
            continue  # an empty line between blocks of a notebook copy
        reasons: list[str] = []
        name = " ".join(_cell(cells, mapping, "name").split())
        if not name:
            reasons.append(_reason(QT_TRANSLATE_NOOP("Errors", "missing name")))
        elif len(name) > 120:
            reasons.append(_reason(QT_TRANSLATE_NOOP("Errors", "name longer than 120 characters")))
        phone = _checked(reasons, _phone, _cell(cells, mapping, "phone"), region)
        if phone:
            if phone in known.phones:
                reasons.append(
                    _reason(
                        QT_TRANSLATE_NOOP(
                            "Errors", "phone {phone} already belongs to a customer in the shop"
                        ),
                        phone=phone,
                    )
                )
            elif phone in phone_lines:
                reasons.append(
                    _reason(
                        QT_TRANSLATE_NOOP(
                            "Errors", "duplicate phone {phone} (already on line {line})"
                        ),
                        phone=phone,
                        line=phone_lines[phone],
                    )
                )
        card = _checked(reasons, _card, _cell(cells, mapping, "card"))
        if card:
            if card in known.cards:
                reasons.append(
                    _reason(
                        QT_TRANSLATE_NOOP(
                            "Errors", "duplicate card {card}: it already belongs to a customer"
                        ),
                        card=card,
                    )
                )
            elif card in card_lines:
                reasons.append(
                    _reason(
                        QT_TRANSLATE_NOOP(
                            "Errors", "duplicate card {card} (already on line {line})"
                        ),
                        card=card,
                        line=card_lines[card],
                    )
                )
        balance = _checked(reasons, parse_points, _cell(cells, mapping, "balance"))
        birthday = _checked(reasons, _birthday, _cell(cells, mapping, "birthday"), today)
        email = _checked(reasons, _email, _cell(cells, mapping, "email"))
        consent = _checked(reasons, parse_consent, _cell(cells, mapping, "consent"))
        if reasons:
            result.refused.append(RefusedRow(line, tuple(reasons), tuple(cells)))
            continue
        if phone:
            phone_lines[phone] = line
        if card:
            card_lines[card] = line
        result.good.append(
            CleanRow(line, name, phone, card, balance or 0, birthday, email, bool(consent))
        )
    return result


def _reason(template: str, **params: object) -> Sentence:
    """A refusal reason: English in the row (logs, JSON), translated where it is shown."""
    return Sentence(template, context="Errors", **params)


def _checked(reasons: list[str], parse, *args):  # type: ignore[no-untyped-def]
    try:
        return parse(*args)
    except InvalidInput as exc:
        reasons.append(Sentence.of_error(exc))
        return None


def _phone(text: str, region: str) -> str | None:
    if not text:
        return None
    try:
        return normalize_phone(text, region)
    except InvalidPhone as exc:
        raise InvalidPhone(
            QT_TRANSLATE_NOOP("Errors", "bad phone “{text}”: {message}"),
            raw=text,
            text=text,
            message=exc,
        ) from exc


def _card(text: str) -> str | None:
    return card_number(text) if text else None


def _birthday(text: str, today: date) -> date | None:
    if not text:
        return None
    try:
        return parse_birthday(text, today)
    except InvalidInput as exc:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "birthday: {message}"),
            field="birthday",
            message=exc,
        ) from exc


def _email(text: str) -> str | None:
    if not text:
        return None
    if not _EMAIL.match(text):
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“{text}” is not an e-mail address"),
            field="email",
            text=text,
        )
    return text

"""What a registration form and ``customer add`` accept, validated once for both shells."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.phone import normalize_phone

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class CustomerForm:
    """Raw text as typed; :func:`clean` turns it into stored values or names the bad field."""

    name: str
    phone: str = ""
    email: str = ""
    birthday: str | date | None = None
    consent: bool = False


@dataclass(frozen=True)
class CleanCustomer:
    name: str
    phone: str | None
    email: str | None
    birthday: date | None
    consent: bool


def parse_birthday(value: str | date | None, today: date) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        result = value
    else:
        text = value.strip()
        result = None
        for sep in ("-", ".", "/"):
            parts = text.split(sep)
            if len(parts) == 3 and all(p.isdigit() for p in parts):
                try:
                    if len(parts[0]) == 4:
                        result = date(int(parts[0]), int(parts[1]), int(parts[2]))
                    else:  # DD.MM.YYYY as written in our shops
                        result = date(int(parts[2]), int(parts[1]), int(parts[0]))
                except ValueError:
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP("Errors", "“{text}” is not a real date."),
                        field="birthday",
                        text=text,
                    ) from None
                break
        if result is None:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "Errors", "“{text}” is not a date; type it as 31.12.1990 or 1990-12-31."
                ),
                field="birthday",
                text=text,
            )
    if result > today:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "The birthday cannot be in the future."), field="birthday"
        )
    if result.year < today.year - 120:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "The birthday is more than 120 years ago."),
            field="birthday",
        )
    return result


def clean(form: CustomerForm, today: date, region: str = "UA") -> CleanCustomer:
    name = " ".join((form.name or "").split())
    if not name:
        raise InvalidInput(QT_TRANSLATE_NOOP("Errors", "Enter the customer's name."), field="name")
    if len(name) > 120:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "The name is too long (at most 120 characters)."),
            field="name",
        )
    phone = normalize_phone(form.phone, region) if (form.phone or "").strip() else None
    email = (form.email or "").strip() or None
    if email is not None and not _EMAIL.match(email):
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "“{email}” is not an e-mail address."),
            field="email",
            email=email,
        )
    return CleanCustomer(
        name=name,
        phone=phone,
        email=email,
        birthday=parse_birthday(form.birthday, today),
        consent=bool(form.consent),
    )

"""Sentences the app layer hands up to a person, kept translatable until they are shown.

An outcome ("Slip printed.", "The copy to E:\\ failed: …") is made where the facts are known,
in the app layer, which has no Qt; it is shown later by the UI or the CLI in the interface
language. So, like errors (:mod:`terminal.core.errors`), it travels as an English *template*
marked with ``QT_TRANSLATE_NOOP`` plus its parameters. :class:`Sentence` is a ``str`` (the
English text, for logs, JSON and code that only needs English) that also remembers its template,
context and parameters; ``terminal.i18n_text.sentence_text`` translates it.

Parameters that must read the local way are wrapped: :class:`Count` (a plural phrase such as
"%n customer(s)": "1 клієнт / 2 клієнти / 5 клієнтів"), :class:`Amount` (money in minor units),
:class:`Percent` (basis points) and :class:`Day` (a date) are formatted by the locale when
translated, and in the CLI's plain English form otherwise; a :class:`Listing` joins several.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from terminal.core.errors import ERRORS_CONTEXT, QT_TRANSLATE_NOOP, LoyaltyError, format_template
from terminal.core.money import format_amount

OUTCOMES_CONTEXT = "Outcomes"

__all__ = [
    "OUTCOMES_CONTEXT",
    "QT_TRANSLATE_NOOP",
    "QT_TRANSLATE_N_NOOP",
    "Amount",
    "Count",
    "Day",
    "Listing",
    "Percent",
    "Sentence",
    "english_plural",
]


def QT_TRANSLATE_N_NOOP(context: str, text: str) -> str:
    """Mark a ``%n`` plural ``text`` for translation in ``context`` (lupdate ignores this name
    in Python; ``terminal.i18n_build.helper_strings`` collects it as a plural)."""
    return text


def english_plural(template: str, n: int) -> str:
    """“%n sale(s)” → “1 sale” / “5 sales”: the source text's own plural (as EnglishPlurals)."""
    return template.replace("%n", str(n)).replace("(s)", "" if n == 1 else "s")


@dataclass(frozen=True)
class Count:
    """``n`` of something, with the language's plural forms (``template`` holds ``%n``)."""

    context: str
    template: str
    n: int

    def __str__(self) -> str:
        return english_plural(self.template, self.n)


@dataclass(frozen=True)
class Amount:
    """Money in minor units; the locale's separators when shown, "1234.50" in plain English."""

    minor: int
    decimals: int

    def __str__(self) -> str:
        return format_amount(self.minor, self.decimals)


@dataclass(frozen=True)
class Percent:
    """A rate in basis points (250 = 2.5 %), written as a number without the % sign."""

    basis_points: int

    def __str__(self) -> str:
        whole, rest = divmod(self.basis_points, 100)
        return f"{whole}" if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")


@dataclass(frozen=True)
class Day:
    """A calendar day (a datetime's day), in the locale's short form when shown."""

    value: date

    def __str__(self) -> str:
        day = self.value.date() if isinstance(self.value, datetime) else self.value
        return day.isoformat()


@dataclass(frozen=True)
class Listing:
    """Several parameters shown as one, joined by ``separator`` (each translated on its own)."""

    items: tuple[Any, ...]
    separator: str = ", "

    def __str__(self) -> str:
        return self.separator.join(str(item) for item in self.items)


class Sentence(str):
    """The English sentence (this ``str``), plus what a translator needs to say it again.

    ``Sentence(QT_TRANSLATE_NOOP("Outcomes", "Copied to {folder}."), folder=path)``: the context
    defaults to :data:`OUTCOMES_CONTEXT` and must be the one the mark names.
    """

    template: str
    context: str
    params: dict[str, Any]

    def __new__(cls, template: str, *, context: str = OUTCOMES_CONTEXT, **params: Any) -> Sentence:
        text = super().__new__(cls, format_template(template, params))
        text.template = template
        text.context = context
        text.params = params
        return text

    @classmethod
    def of_error(cls, error: LoyaltyError) -> Sentence:
        """An error's message as a sentence (for outcomes that report a refusal as words)."""
        return cls(error.template, context=ERRORS_CONTEXT, **error.params)

    def __reduce__(self) -> tuple[Any, ...]:
        """Copies and pickles keep the template (str's own reduce would drop it)."""
        return (_rebuild, (self.template, self.context, self.params))


def _rebuild(template: str, context: str, params: dict[str, Any]) -> Sentence:
    return Sentence(template, context=context, **params)

"""The interface language and translated texts outside widgets (QtCore only, no widgets).

The language is the shop's override (shop setting ``language``) if we ship it, else the system's
if we ship it, else English. Installing it loads Qt's own translations (standard dialogs, print
preview) and ours, and sets the default QLocale so money and dates read the way the shop reads
them. The GUI and the CLI share this; the CLI only needs a QCoreApplication.

Errors carry an English template marked in the ``Errors`` context; :func:`error_text` looks the
template up in the installed translators and fills in the parameters (a nested error, e.g. the
reason an import row was refused, is translated too). Outcomes the app layer reports in words
(:class:`terminal.core.sentences.Sentence`) travel the same way and are shown with
:func:`sentence_text`; their counts, amounts, rates and days are written by the locale.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLibraryInfo, QLocale, QTranslator

from terminal.core.erasure import ERASED_FEEDBACK, ERASED_NAME
from terminal.core.errors import ERRORS_CONTEXT, QT_TRANSLATE_NOOP, LoyaltyError, format_template
from terminal.core.sentences import Amount, Count, Day, Listing, Percent, Sentence
from terminal.i18n_build import LANGUAGES, ensure_compiled

log = logging.getLogger("i18n")

_installed: list[QTranslator] = []


def pick_language(override: str | None = None) -> str:
    """The override if we have it; else the system language if we have it; else English."""
    for candidate in (override or "", QLocale.system().name().split("_")[0]):
        if candidate == "en" or candidate in LANGUAGES:
            return candidate
    return "en"


class EnglishPlurals(QTranslator):
    """The English text is the source text; only its plurals need work: “%n point(s)” reads
    “1 point”, “5 points”. Installed first, so real translations are asked before it."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if n < 0 or "(s)" not in source:
            return None  # a null QString: not ours, Qt falls back to the source text
        return source.replace("(s)", "" if n == 1 else "s")

    def isEmpty(self) -> bool:
        return False


def texts_in(override: str | None, context: str, texts: tuple[str, ...]) -> tuple[str, ...]:
    """``texts`` in the language ``override`` picks, whatever language is installed now: the
    first-start dialog names a new shop's tiers in the language just chosen, before the window
    switches to it."""
    language = pick_language(override)
    compiled = ensure_compiled(language) if language != "en" else None
    translator = QTranslator()
    if compiled is None or not translator.load(str(compiled)):
        return texts
    return tuple(translator.translate(context, text) or text for text in texts)


def remove_translations(app: QCoreApplication) -> None:
    """Back to the bare source texts (tests use it to leave no language behind)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale.system())


def install_translations(app: QCoreApplication, override: str | None = None) -> str:
    """Replace any installed translators with those for the chosen language; returns its code."""
    remove_translations(app)
    english = EnglishPlurals(app)
    app.installTranslator(english)
    _installed.append(english)
    language = pick_language(override)
    locale = (
        QLocale(language)
        if language != "en"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    )
    if language != "en" and QLocale.system().language() == locale.language():
        locale = QLocale.system()  # keep the user's country conventions (e.g. uk_UA)
    QLocale.setDefault(locale)
    if language == "en":
        return language
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    ours = ensure_compiled(language)
    translator = QTranslator(app)
    if ours is not None and translator.load(str(ours)):
        app.installTranslator(translator)
        _installed.append(translator)
    else:
        log.warning("no translation file for %s; showing English", language)
    return language


def core_application() -> QCoreApplication:
    """The running Qt application, or a widget-less one for the command line."""
    return QCoreApplication.instance() or QCoreApplication(["loyalty-terminal"])


def translated(context: str, template: str, **params: Any) -> str:
    """``template`` translated in ``context`` (English if no translator knows it), then filled."""
    return format_template(QCoreApplication.translate(context, template), params)


def error_text(error: BaseException) -> str:
    """The error's sentence in the interface language (English for errors without a template)."""
    if not isinstance(error, LoyaltyError):
        return str(error)
    params = {key: _parameter(value) for key, value in error.params.items()}
    return translated(ERRORS_CONTEXT, error.template, **params)


def sentence_text(text: object) -> str:
    """Whatever the app layer said, in the interface language: a :class:`Sentence` or an error
    is translated (with its parameters), anything else is shown as it is."""
    if isinstance(text, Sentence):
        params = {key: _parameter(value) for key, value in text.params.items()}
        return translated(text.context, text.template, **params)
    if isinstance(text, LoyaltyError):
        return error_text(text)
    return "" if text is None else str(text)


def _parameter(value: object) -> object:
    """A template parameter as the reader's language writes it (numbers and words otherwise
    untouched: a card number or a year must not gain digit grouping)."""
    if isinstance(value, Sentence | LoyaltyError):
        return sentence_text(value)
    if isinstance(value, Count):
        return plural_text(value.context, value.template, value.n)
    if isinstance(value, Amount):
        return locale_amount(value.minor, value.decimals)
    if isinstance(value, Percent):
        return locale_percent(value.basis_points)
    if isinstance(value, Day):
        return locale_date(value.value)
    if isinstance(value, Listing):
        return value.separator.join(str(_parameter(item)) for item in value.items)
    return value


# Qt takes the plural count as a C int; a Python int beyond it overflows (a crash, or with a
# warning a wrong number). Above this, the form is chosen with a stand-in number.
_QT_COUNT_MAX = 2**31 - 1


def plural_count(n: int) -> int:
    """A number Qt can take that picks the same plural form as ``n``: ``n`` itself when it fits,
    else one with the same last two digits (100–199, never 0 or 1). The plural rules we ship
    (en, ru, uk) look only at n == 1, n % 10 and n % 100, so the form is the same; a negative
    count takes the form of its size (“−5 points” reads like “5 points”)."""
    size = abs(n)
    return size if size <= _QT_COUNT_MAX else size % 100 + 100


def plural_text(context: str, source: str, n: int) -> str:
    """``source`` (with ``%n``) translated for ``n``; English plurals even when no translator is
    installed (a bare QCoreApplication, a test), so "(s)" never reaches a reader.

    Any Python int works: the form comes from :func:`plural_count` and the text shows the real
    ``n``, so a huge or negative count neither crashes Qt nor prints a different number."""
    stand_in = plural_count(n)
    text = QCoreApplication.translate(context, source, None, stand_in)
    if stand_in != n:
        text = re.sub(rf"(?<!\d){stand_in}(?!\d)", str(n), text)
    return text.replace("(s)", "" if stand_in == 1 else "s") if "(s)" in text else text


def locale_amount(minor: int, decimals: int) -> str:
    """Minor units in the locale's way ("1 240,50" in Ukrainian), without a float: the whole
    part through QLocale (digit grouping), the minor part after its decimal separator."""
    locale = QLocale()
    whole, frac = divmod(abs(minor), 10**decimals)
    text = locale.toString(whole)
    if decimals:
        text += locale.decimalPoint() + f"{frac:0{decimals}d}"
    return f"−{text}" if minor < 0 else text


def locale_percent(basis_points: int) -> str:
    """A rate in basis points as the locale writes the number: 250 → "2.5" / "2,5"."""
    text = str(Percent(basis_points))
    return text.replace(".", QLocale().decimalPoint())


def _whole_year(pattern: str) -> str:
    """The pattern with the year written in full: Ukrainian and US English short forms write
    23.11.26, which reads badly on a report, a receipt or a PDF kept for years."""
    return re.sub(r"(?<!y)yy(?!y)", "yyyy", pattern)


def short_date_format() -> str:
    """The locale's short date pattern with a four-digit year (31.12.2026, 12/31/2026)."""
    return _whole_year(QLocale().dateFormat(QLocale.FormatType.ShortFormat))


def short_datetime_format() -> str:
    """The locale's short date-and-time pattern with a four-digit year."""
    return _whole_year(QLocale().dateTimeFormat(QLocale.FormatType.ShortFormat))


def locale_date(value: date) -> str:
    """A day in the locale's short form, year in full (31.12.2026, 31/12/2026)."""
    day = value.date() if isinstance(value, datetime) else value
    return QLocale().toString(QDate(day.year, day.month, day.day), short_date_format())


def points_text(points: int) -> str:
    """“1 point / 5 points” with the language's plural forms (ru: балл/балла/баллов)."""
    return plural_text("Points", "%n point(s)", points)


# The erasure markers stored in place of a person's data (core/erasure.py), as screens show them.
_ERASED_SHOWN = {
    ERASED_NAME: QT_TRANSLATE_NOOP("Erasure", "Erased customer"),
    ERASED_FEEDBACK: QT_TRANSLATE_NOOP("Erasure", "(text erased at the customer's request)"),
}


def erased_marker_text(text: str) -> str:
    """``text`` as shown: an erased customer's name or feedback marker (stored in English on
    every till) in the interface language, anything else as it is."""
    source = _ERASED_SHOWN.get(text)
    return QCoreApplication.translate("Erasure", source) if source is not None else text

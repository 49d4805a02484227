"""The interface language and translated texts outside widgets (QtCore only, no widgets).

The language is the shop's override (shop setting ``language``) if we ship it, else the system's
if we ship it, else English. Installing it loads Qt's own translations (standard dialogs, print
preview) and ours, and sets the default QLocale so money and dates read the way the shop reads
them. The GUI and the CLI share this; the CLI only needs a QCoreApplication.

Errors carry an English template marked in the ``Errors`` context; :func:`error_text` looks the
template up in the installed translators and fills in the parameters (a nested error, e.g. the
reason an import row was refused, is translated too).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from terminal.core.errors import ERRORS_CONTEXT, LoyaltyError, format_template
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
    params = {
        key: error_text(value) if isinstance(value, LoyaltyError) else value
        for key, value in error.params.items()
    }
    return translated(ERRORS_CONTEXT, error.template, **params)


def points_text(points: int) -> str:
    """“1 point / 5 points” with the language's plural forms (ru: балл/балла/баллов)."""
    return QCoreApplication.translate("Points", "%n point(s)", None, points)

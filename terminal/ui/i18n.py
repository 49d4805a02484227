"""Install the interface language: the system's by default, or the override from settings.

Loads Qt's own translations (standard dialogs, print preview) and ours, and sets the default
QLocale so money and dates are formatted the way the shop reads them.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from terminal.i18n_build import LANGUAGES, ensure_compiled

log = logging.getLogger("ui")

_installed: list[QTranslator] = []


def pick_language(override: str | None = None) -> str:
    """The override if we have it; else the system language if we have it; else English."""
    for candidate in (override or "", QLocale.system().name().split("_")[0]):
        if candidate == "en" or candidate in LANGUAGES:
            return candidate
    return "en"


def install_translations(app: QCoreApplication, override: str | None = None) -> str:
    """Replace any installed translators with those for the chosen language; returns its code."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
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

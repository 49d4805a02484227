"""Translated texts outside widgets: error messages for the UI and the CLI.

Uses QtCore only (no widgets), so the CLI can translate without a window. Errors carry an English
template marked in the ``Errors`` context; this looks the template up in the installed
translators and fills in the parameters (a nested error, e.g. the reason a row was refused, is
translated too).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from terminal.core.errors import ERRORS_CONTEXT, LoyaltyError, format_template


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

"""Install the interface language for the window: the system's by default, or the override from
the shop settings. The logic is QtCore-only and shared with the CLI in :mod:`terminal.i18n_text`.
"""

from __future__ import annotations

from terminal.i18n_text import install_translations, pick_language, texts_in

__all__ = ["install_translations", "pick_language", "texts_in"]

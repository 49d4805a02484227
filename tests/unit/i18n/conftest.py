"""Translations are global Qt state: every test here leaves the application in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from terminal.i18n_text import core_application, install_translations, remove_translations


@pytest.fixture
def language() -> Iterator[object]:
    """Call ``language(code)`` to install a language; English is restored afterwards."""
    app = core_application()
    yield lambda code: install_translations(app, code)
    remove_translations(app)

"""Every string marked for translation in the code has a finished Russian and Ukrainian
translation: lupdate is run over the sources into copies of the .ts files, so a string added
anywhere (a screen, an error template, a helper call) without a translation fails here."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from terminal.i18n_build import LANGUAGES, helper_strings, python_sources, ts_path, update_sources

PLACEHOLDER = re.compile(r"%\d|\{[^{}]*\}")


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ET.Element]:
    folder = tmp_path_factory.mktemp("ts")
    copies = {
        lang: Path(shutil.copy(ts_path(lang), folder / ts_path(lang).name)) for lang in LANGUAGES
    }
    update_sources(copies)
    return {lang: ET.parse(path).getroot() for lang, path in copies.items()}


def _forms(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    plural = translation.findall("numerusform")
    return [f.text or "" for f in plural] if plural else [translation.text or ""]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_source_string_has_a_finished_translation(refreshed, language: str) -> None:
    missing = [
        f"{context.findtext('name')}: {message.findtext('source')!r}"
        for context in refreshed[language].iter("context")
        for message in context.iter("message")
        if message.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
        or not all(_forms(message))
    ]
    assert missing == [], f"{len(missing)} strings lack a {language} translation:\n" + "\n".join(
        missing[:40]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(refreshed, language: str) -> None:
    """A lost {points} or %1 would show the cashier a wrong or empty figure."""
    broken = []
    for message in refreshed[language].iter("message"):
        source = message.findtext("source") or ""
        for form in _forms(message):
            if sorted(set(PLACEHOLDER.findall(source))) != sorted(set(PLACEHOLDER.findall(form))):
                broken.append(f"{source!r} → {form!r}")
    assert broken == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_strings_have_three_forms(refreshed, language: str) -> None:
    for message in refreshed[language].iter("message"):
        if message.get("numerus") == "yes":
            forms = _forms(message)
            assert len(forms) == 3 and all("%n" in f for f in forms), message.findtext("source")


def test_helper_calls_are_collected() -> None:
    """Strings behind fixed-context helpers (``_tr("…")``) reach the .ts files too."""
    found = helper_strings(python_sources())
    assert ("Messages", "No customer has this card.", False) in found
    assert ("Points", "%n point(s)", True) in found

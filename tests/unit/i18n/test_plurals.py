"""Plural forms through a real QTranslator: Russian and Ukrainian have three, English two."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from terminal.i18n_text import points_text

EXPECTED = {
    "ru": {1: "1 балл", 2: "2 балла", 5: "5 баллов", 11: "11 баллов", 21: "21 балл",
           22: "22 балла", 25: "25 баллов", 0: "0 баллов"},
    "uk": {1: "1 бал", 2: "2 бали", 5: "5 балів", 11: "11 балів", 21: "21 бал",
           22: "22 бали", 25: "25 балів", 0: "0 балів"},
    "en": {1: "1 point", 2: "2 points", 5: "5 points", 21: "21 points"},
}  # fmt: skip


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_points_take_the_languages_plural_forms(language, code: str) -> None:
    assert language(code) == code
    for n, text in EXPECTED[code].items():
        assert points_text(n) == text


@pytest.mark.parametrize(
    ("code", "one", "few", "many"),
    [
        ("ru", "1 лист A4 по 10 карт", "2 листа A4 по 10 карт", "5 листов A4 по 10 карт"),
        ("uk", "1 аркуш A4 по 10 карток", "2 аркуші A4 по 10 карток", "5 аркушів A4 по 10 карток"),
    ],
)
def test_screen_plurals_use_three_forms(language, code: str, one: str, few: str, many: str) -> None:
    """A %n string of a real screen (Cards: how many sheets a batch prints on)."""
    language(code)
    source = "%n A4 sheet(s) of 10 cards"
    got = [QCoreApplication.translate("CardsScreen", source, None, n) for n in (1, 2, 5, 21, 22)]
    assert got == [one, few, many, one.replace("1 ", "21 ", 1), few.replace("2 ", "22 ", 1)]

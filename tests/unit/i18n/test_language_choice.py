"""The owner picks the interface language in Shop details; it is saved with the shop and
applied at once (screens built from then on speak it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from terminal.app.program import ProgramBook
from terminal.app.shop_setup import ShopSetup
from terminal.core.errors import InvalidInput
from terminal.core.program import DEFAULT_PROGRAM, DEFAULT_TIER_NAMES, with_tier_names
from terminal.db.models import JournalEvent
from terminal.i18n_text import remove_translations
from terminal.ui.first_start import FirstStartDialog


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    remove_translations(QApplication.instance())


def test_choosing_russian_saves_it_and_switches_at_once(qtbot, till) -> None:
    ShopSetup(till).save("Kava", "UAH", 1)
    dialog = FirstStartDialog(till, first=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.language.currentData() == ""  # the computer's language until chosen
    dialog.language.setCurrentIndex(dialog.language.findData("ru"))
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted
    assert ShopSetup(till).current().language == "ru"
    assert QCoreApplication.translate("App", "Loyalty terminal") == "Терминал лояльности"


def test_back_to_the_computers_language(qtbot, till) -> None:
    ShopSetup(till).save("Kava", "UAH", 1, "uk")
    dialog = FirstStartDialog(till, first=False)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "uk"
    dialog.language.setCurrentIndex(dialog.language.findData(""))
    dialog.save()
    assert ShopSetup(till).current().language == ""


def test_an_unknown_language_is_refused(till) -> None:
    with pytest.raises(InvalidInput) as refused:
        ShopSetup(till).save("Kava", "UAH", 1, "de")
    assert refused.value.message == "“de” is not a language we offer."
    assert ShopSetup(till).current().language == ""


UKRAINIAN_TIERS = ("Бронза", "Срібло", "Золото")


def tier_names(till) -> tuple[str, ...]:
    return tuple(tier.name for tier in ProgramBook(till).current().program.tiers)


def test_a_new_shop_set_up_in_ukrainian_gets_its_tiers_named_in_ukrainian(qtbot, till) -> None:
    dialog = FirstStartDialog(till)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.shop_name, "Kava i Ko")
    dialog.language.setCurrentIndex(dialog.language.findData("uk"))
    qtbot.keyClick(dialog.shop_name, Qt.Key.Key_Return)
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted
    assert tier_names(till) == UKRAINIAN_TIERS
    current = ProgramBook(till).current()
    assert (current.version, current.created_by) == (2, "system")
    # thresholds and rates are the built-in ones; only the names changed
    assert current.program == with_tier_names(DEFAULT_PROGRAM, UKRAINIAN_TIERS)
    with till.read() as s:
        types = [e.type for e in s.exec(select(JournalEvent).order_by(JournalEvent.seq))]
    assert types[-2:] == ["settings.changed", "program.changed"]  # other tills follow


def test_english_answers_keep_the_built_in_program(till) -> None:
    ShopSetup(till).save("Kava", "UAH", 1, "en", tier_names=DEFAULT_TIER_NAMES)
    assert ProgramBook(till).current().version == 1


def test_tiers_are_named_on_the_first_answers_only(till) -> None:
    ShopSetup(till).save("Kava", "UAH", 1, "en", tier_names=DEFAULT_TIER_NAMES)
    ShopSetup(till).save("Kava", "UAH", 1, "uk", tier_names=UKRAINIAN_TIERS)
    assert tier_names(till) == DEFAULT_TIER_NAMES


def test_an_owners_own_program_is_never_renamed(till) -> None:
    own = with_tier_names(DEFAULT_PROGRAM, ("Друг", "Гість", "Свій"))
    ProgramBook(till).save(own)
    ShopSetup(till).save("Kava", "UAH", 1, "uk", tier_names=UKRAINIAN_TIERS)
    assert tier_names(till) == ("Друг", "Гість", "Свій")

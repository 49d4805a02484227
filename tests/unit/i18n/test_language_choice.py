"""The owner picks the interface language in Shop details; it is saved with the shop and
applied at once (screens built from then on speak it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from terminal.app.shop_setup import ShopSetup
from terminal.core.errors import InvalidInput
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

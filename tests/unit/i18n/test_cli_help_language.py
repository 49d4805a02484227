"""The command line's own texts speak the shop's language too: help headings and texts, argparse's
complaints (missing or unknown arguments, wrong choices) and our argument-type errors, which all
appear before any command has opened the till."""

from __future__ import annotations

import pytest

from terminal.app.settings import put_setting
from terminal.cli import main
from terminal.i18n_build import helper_strings, python_sources
from terminal.i18n_text import core_application, remove_translations


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    remove_translations(core_application())


def _set_language(till, code: str) -> None:
    with till.write() as session:
        put_setting(session, "language", code, till.now())


def _our_help_texts() -> list[str]:
    """Every English help text of the command line (a word or two, e.g. "options", is too
    short to tell English apart, so only whole sentences of ours are looked for)."""
    return [
        text for context, text, _plural in helper_strings(python_sources()) if context == "CliHelp"
    ]


def test_help_is_ukrainian_in_a_ukrainian_shop(till, db_path, capsys):
    _set_language(till, "uk")
    assert main(["--db", str(db_path), "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("використання: loyalty-terminal")
    assert "позиційні аргументи:" in out
    assert "параметри:" in out
    assert "показати цю довідку й вийти" in out
    assert "Термінал карток лояльності. Без команди відкриває вікно каси." in out
    assert "записати продаж за карткою (або без неї)" in out
    english = [text for text in _our_help_texts() if text in out]
    english += [
        text
        for text in ("usage:", "positional arguments", "options:", "show this help message")
        if text in out
    ]
    assert english == []


def test_sub_command_help_is_ukrainian(till, db_path, capsys):
    _set_language(till, "uk")
    assert main(["--db", str(db_path), "sale", "--help"]) == 0
    out = capsys.readouterr().out
    assert "сума чека, наприклад 123.45 або 123,45" in out
    assert "check amount" not in out


def test_missing_argument_is_a_ukrainian_usage_error(till, db_path, capsys):
    _set_language(till, "uk")
    assert main(["--db", str(db_path), "report"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("використання: loyalty-terminal report")
    assert captured.err.endswith(
        "loyalty-terminal report: помилка: не вказано обов'язкові аргументи: --from, --to\n"
    )


def test_bad_date_is_refused_in_ukrainian(till, db_path, capsys):
    _set_language(till, "uk")
    rc = main(["--db", str(db_path), "report", "--from", "31.01.2026", "--to", "2026-02-28"])
    assert rc == 2
    err = capsys.readouterr().err
    assert "аргумент --from: «31.01.2026» — не дата на зразок 2026-01-31" in err
    assert "is not a date" not in err


def test_invalid_choice_is_russian_in_a_russian_shop(till, db_path, capsys):
    _set_language(till, "ru")
    assert main(["--db", str(db_path), "cards", "shred"]) == 2
    err = capsys.readouterr().err
    assert "ошибка: аргумент ACTION: недопустимый выбор: 'shred' (выберите из " in err
    assert "invalid choice" not in err


def test_english_shop_keeps_argparse_english(till, db_path, capsys):
    _set_language(till, "en")
    assert main(["--db", str(db_path), "report"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: loyalty-terminal report")
    assert err.endswith(
        "loyalty-terminal report: error: the following arguments are required: --from, --to\n"
    )
    assert main(["--db", str(db_path), "--help"]) == 0
    out = capsys.readouterr().out
    assert "positional arguments:" in out
    assert "-h, --help     show this help message and exit" in out
    assert "record a sale on a card (or without one)" in out


def test_language_is_read_without_a_database_too(tmp_path, capsys):
    """No database yet (first run): the help still prints, in the system's language."""
    assert main(["--db", str(tmp_path / "none.db"), "--help"]) == 0
    assert "loyalty-terminal" in capsys.readouterr().out
    assert not (tmp_path / "none.db").exists()


def test_self_test_reports_in_the_shops_language(till, db_path, capsys):
    """Support reads the self-test's lines back to the shop: they are in the shop's language,
    also after the step that tries every translation; the ok/FAIL marks stay for scripts."""
    _set_language(till, "uk")
    assert main(["--db", str(db_path), "--self-test"]) == 0
    out = capsys.readouterr().out
    assert "ok    database: базу даних створено й оновлено" in out
    assert "ok    network: ніщо не зверталося до мережі" in out
    assert "самоперевірку пройдено за " in out
    assert "self-test passed" not in out

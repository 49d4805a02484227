"""The command line speaks the shop's language: errors come out translated on stderr, while
--json keeps the stable English message for scripts. A command refused before it opens the till
(a missing file, a wrong --out) speaks it too, and so does ``--help`` down to its ``--version``
line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from terminal.app.settings import put_setting
from terminal.cli import main
from terminal.i18n_text import core_application, remove_translations


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    remove_translations(core_application())


def _set_language(till, code: str) -> None:
    with till.write() as session:
        put_setting(session, "language", code, till.now())


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ru", "«12,3,4» — не сумма. Вводите цифры, например 123,45."),
        ("uk", "«12,3,4» — не сума. Вводьте цифри, наприклад 123,45."),
        ("en", "“12,3,4” is not an amount. Type digits, e.g. 123.45."),
    ],
)
def test_cli_error_is_printed_in_the_shops_language(till, db_path, capsys, code, expected):
    _set_language(till, code)
    rc = main(["--db", str(db_path), "sale", "--amount", "12,3,4"])
    assert rc == 3  # invalid input
    assert capsys.readouterr().err.strip() == f"loyalty-terminal: {expected}"


def test_error_parameters_are_filled_in_russian(till, db_path, capsys):
    _set_language(till, "ru")
    rc = main(["--db", str(db_path), "balance", "12345"])
    assert rc == 3
    assert "В номере карты 13 цифр; в этом — 5." in capsys.readouterr().err


def test_json_error_stays_english_for_scripts(till, db_path, capsys):
    _set_language(till, "ru")
    main(["--db", str(db_path), "--json", "balance", "12345"])
    out = json.loads(capsys.readouterr().out)
    assert out["error"] == {
        "code": "invalid_card_number",
        "message": "A card number has 13 digits; this one has 5.",
    }


def test_card_pdf_from_the_cli_is_in_the_shops_language(till, db_path, tmp_path, capsys):
    """The card a customer takes home reads in the shop's language (pdftotext reads it back)."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    _set_language(till, "uk")
    assert main(["--db", str(db_path), "customer", "add", "--name", "Олена Коваль"]) == 0
    out = tmp_path / "card.pdf"
    card = "2010000000014"
    assert (
        main(["--db", str(db_path), "cards", "print", "--card", card, "--back", "--out", str(out)])
        == 0
    )
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Картка лояльності" in text
    assert "Покажіть цю картку на касі" in text


# -- refused before the till is opened ------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("uk", "Файлу {path} немає."),
        ("ru", "Файла {path} нет."),
        ("en", "There is no file {path}."),
    ],
)
def test_a_missing_import_file_is_told_in_the_shops_language(
    till, db_path, tmp_path: Path, capsys, code, expected
):
    _set_language(till, code)
    missing = tmp_path / "nothere.csv"
    assert main(["--db", str(db_path), "import", "customers", str(missing)]) == 3
    assert capsys.readouterr().err.strip() == f"loyalty-terminal: {expected.format(path=missing)}"


def test_a_wrong_pdf_name_is_told_in_ukrainian(till, db_path, capsys):
    _set_language(till, "uk")
    rc = main(["--db", str(db_path), "cards", "print", "--card", "2010000000014", "--out", "x.txt"])
    assert rc == 3
    err = capsys.readouterr().err.strip()
    assert err == "loyalty-terminal: Файл результату має закінчуватися на .pdf: x.txt"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("uk", "показати версію програми й вийти"), ("ru", "показать версию программы и выйти")],
)
def test_the_version_line_of_help_is_translated(till, db_path, capsys, code, expected):
    _set_language(till, code)
    assert main(["--db", str(db_path), "--help"]) == 0
    out = capsys.readouterr().out
    assert "show program's version number and exit" not in out
    assert expected in out

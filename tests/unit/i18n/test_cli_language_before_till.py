"""A command refused before it opens the till (a missing file, a wrong --out) still speaks the
shop's language, and so does ``--help`` down to its ``--version`` line."""

from __future__ import annotations

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

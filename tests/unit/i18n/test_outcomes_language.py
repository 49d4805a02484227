"""What the app layer reports in words reads in the till's language: backup, restore and slip
outcomes, the customer-data PDF, the terms printed on a card — and the command line says its
successes in the shop's language, as it already said its errors. English stays the source text
(and what --json and the logs keep)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from terminal.app.backup import BackupRefused, Backups
from terminal.app.card_admin import CardAdmin
from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.privacy import Privacy
from terminal.app.privacy_pdf import render_html
from terminal.app.settings import put_setting
from terminal.app.slip import PrinterAddress, SlipPrinter
from terminal.cardprint.content import program_terms
from terminal.cli import main
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.core.program import Program, Tier
from terminal.core.sentences import QT_TRANSLATE_NOOP, Count, Sentence
from terminal.i18n_build import helper_strings, python_sources
from terminal.i18n_text import core_application, remove_translations, sentence_text


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    remove_translations(core_application())


def _shop_language(till, code: str) -> None:
    with till.write() as session:
        put_setting(session, "language", code, till.now())


def _customers_with_sales(till, customers: int, sales: int) -> list[str]:
    cards = [
        Enrollment(till).register(CustomerForm(f"Клієнт {i}", f"067111{i:04d}")).card
        for i in range(customers)
    ]
    for i in range(sales):
        Counter(till).checkout(SaleRequest(cards[i % len(cards)], 12_000), new_id())
    return cards


# ---- the mechanism --------------------------------------------------------------------------


def test_a_sentence_is_english_text_until_it_is_shown(language) -> None:
    sentence = Sentence(
        QT_TRANSLATE_NOOP("Outcomes", "Backup made and verified: {customers}, {sales}."),
        customers=Count("Outcomes", "%n customer(s)", 1),
        sales=Count("Outcomes", "%n sale(s)", 5),
    )
    assert sentence == "Backup made and verified: 1 customer, 5 sales."
    assert json.dumps({"m": sentence}) == '{"m": "Backup made and verified: 1 customer, 5 sales."}'
    language("uk")
    assert sentence_text(sentence) == "Резервну копію створено й перевірено: 1 клієнт, 5 продажів."
    language("ru")
    assert sentence_text(sentence) == "Резервная копия создана и проверена: 1 клиент, 5 продаж."


@pytest.mark.parametrize(
    ("code", "forms"),
    [
        (
            "uk",
            {1: "1 клієнт", 2: "2 клієнти", 5: "5 клієнтів", 21: "21 клієнт", 12: "12 клієнтів"},
        ),
        (
            "ru",
            {1: "1 клиент", 3: "3 клиента", 5: "5 клиентов", 22: "22 клиента", 11: "11 клиентов"},
        ),
        ("en", {1: "1 customer", 2: "2 customers"}),
    ],
)
def test_counts_take_the_languages_plural_forms(language, code: str, forms: dict) -> None:
    language(code)
    for n, text in forms.items():
        assert sentence_text(Sentence("{n}", n=Count("Outcomes", "%n customer(s)", n))) == text


def test_plural_marks_reach_the_translation_sources() -> None:
    found = helper_strings(python_sources())
    assert ("Outcomes", "%n customer(s)", True) in found
    assert ("Outcomes", "%n sale(s)", True) in found


# ---- backups ----------------------------------------------------------------------------------


def test_backup_and_restore_outcomes_in_ukrainian(till, language) -> None:
    _customers_with_sales(till, 2, 1)
    language("uk")
    made = Backups(till).make()
    assert sentence_text(made.summary) == (
        "Резервну копію створено й перевірено: 2 клієнти, 1 продаж."
    )
    restored = Backups(till).restore(made.path)
    text = sentence_text(restored.summary)
    assert text.startswith(f"Відновлено з {made.path.name}: 2 клієнти, 1 продаж.")
    assert "Попередні дані збережено в" in text and "Restored" not in text


def test_mirror_problem_in_russian(till, tmp_path, language) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    backups = Backups(till)
    backups.set_mirror_dir(str(usb))
    usb.rmdir()  # the stick was pulled out
    language("ru")
    made = backups.make()
    assert "not available" in made.mirror_error  # English for the log and --json
    assert sentence_text(made.mirror_error) == (
        f"Папка для второй копии {usb} недоступна (флешка отключена?)."
    )


def test_a_failed_backups_reason_is_said_again_in_the_shops_language(till, language) -> None:
    _customers_with_sales(till, 1, 1)
    with till.write_driver() as db:
        db.execute("UPDATE customer SET balance = balance + 1000")
    with pytest.raises(BackupRefused):
        Backups(till).make()
    language("uk")
    reason = Backups(till).status().last_error  # read back from the status file
    assert "books check" in reason
    assert sentence_text(reason).startswith("Файл loyalty-")
    assert "не пройшов перевірку обліку" in sentence_text(reason)


# ---- the slip printer ------------------------------------------------------------------------


def test_slip_printer_problems_in_ukrainian(till, language) -> None:
    def refused(_address: PrinterAddress) -> None:
        raise ConnectionRefusedError("Connection refused")

    slips = SlipPrinter(till, refused)
    slips.save_settings(True, "network:192.168.1.50", 80)
    outcome = slips.print_test()
    assert not outcome.printed
    language("uk")
    assert sentence_text(outcome.message) == (
        "Принтер чеків (network:192.168.1.50) не під'єднано або вимкнено. Перевірте кабель і "
        "живлення, потім надрукуйте чек знову."
    )
    slips.save_settings(False, "", 80)
    assert sentence_text(slips.print_test().message) == (
        "Принтер чеків не налаштовано: вкажіть його адресу в розділі «Пристрої»."
    )


# ---- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "made", "restored"),
    [
        (
            "uk",
            "Резервну копію створено й перевірено: 2 клієнти, 5 продажів.",
            "Відновлено з copy.db: 2 клієнти, 5 продажів. Попередні дані збережено в",
        ),
        (
            "ru",
            "Резервная копия создана и проверена: 2 клиента, 5 продаж.",
            "Восстановлено из copy.db: 2 клиента, 5 продаж. Прежние данные сохранены в",
        ),
        (
            "en",
            "Backup made and verified: 2 customers, 5 sales.",
            "Restored 2 customers and 5 sales from copy.db. The data as it was is kept in",
        ),
    ],
)
def test_cli_backup_and_restore_speak_the_shops_language(
    till, db_path, tmp_path, capsys, code, made, restored
) -> None:
    _customers_with_sales(till, 2, 5)
    _shop_language(till, code)
    out = tmp_path / "copy.db"
    assert main(["--db", str(db_path), "backup", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == made
    assert str(out) in printed
    assert main(["--db", str(db_path), "restore", str(out)]) == 0
    assert capsys.readouterr().out.startswith(restored)


def test_cli_json_keeps_english_for_scripts(till, db_path, tmp_path, capsys) -> None:
    _shop_language(till, "uk")
    usb = tmp_path / "gone"
    usb.mkdir()
    Backups(till).set_mirror_dir(str(usb))
    usb.rmdir()
    assert main(["--db", str(db_path), "--json", "backup"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mirror_error"] == f"The mirror folder {usb} is not available (unplugged?)."


def test_cli_privacy_sentences_in_ukrainian(till, db_path, tmp_path, capsys) -> None:
    (card,) = _customers_with_sales(till, 1, 2)
    _shop_language(till, "uk")
    assert main(["--db", str(db_path), "consent", card, "on"]) == 0
    assert capsys.readouterr().out.startswith("Згоду отримано ")
    assert main(["--db", str(db_path), "customer-data", "erase", card, "--yes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Особисті дані клієнта видалено. Його покупки (2 продажі)")
    assert "Erased" not in out


# ---- the customer-data PDF -------------------------------------------------------------------


def test_customer_data_pdf_reads_in_ukrainian(till, language) -> None:
    (card,) = _customers_with_sales(till, 1, 1)
    new_card = CardAdmin(till).replace(card).new_card
    data = Privacy(till).collect(new_card)
    english = render_html(data)
    assert "the data we store about you" in english and "Card number" in english
    language("uk")
    page = render_html(data)
    for words in ("які дані про вас ми зберігаємо", "Профіль", "Номер картки", "Історія балів",
                  "замінена", "діє", "Нараховано за покупку", "Клієнт з", "120,00"):  # fmt: skip
        assert words in page, words
    for english_words in ("the data we store", "Profile", "Card number", "replaced", "Exported"):
        assert english_words not in page, english_words
    assert "<td>active</td>" not in page
    # the reasons the program wrote on points entries (stored in English) read in Ukrainian
    assert "Welcome bonus" in english and "Welcome bonus" not in page
    assert "Вітальний бонус" in page


def test_customer_data_pdf_from_the_cli_is_in_the_shops_language(
    till, db_path, tmp_path, capsys
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    (card,) = _customers_with_sales(till, 1, 1)
    _shop_language(till, "uk")
    out = tmp_path / "data.pdf"
    assert main(["--db", str(db_path), "customer-data", "export", card, "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"Дані клієнта записано в {out}: ")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "які дані про вас ми зберігаємо" in text
    assert "Profile" not in text


# ---- card terms --------------------------------------------------------------------------------


def test_card_terms_write_amounts_the_locales_way(language) -> None:
    program = Program(tiers=(Tier("Bronze", 0, 250), Tier("Gold", 500_000, 750)), expiry_days=365)
    assert program_terms(program, "UAH")[0] == "2.5 % back in points, 1 point = 1.00 ₴"
    language("uk")
    lines = program_terms(program, "UAH")
    group = QLocale().groupSeparator()
    assert lines[0] == "2,5 % повертається балами, 1 бал = 1,00 ₴"
    assert f"від 5{group}000,00 ₴" in lines[1]
    assert "Бали діють 365 днів" in lines
    language("ru")
    assert "Баллы действуют 365 дней" in program_terms(program, "UAH")
    short = Program(tiers=(Tier("Bronze", 0, 500),), expiry_days=21)
    assert "Баллы действуют 21 день" in program_terms(short, "UAH")


def test_card_pdf_title_in_ukrainian(till, db_path, tmp_path, capsys) -> None:
    """The PDF's title (shown by viewers and print queues) is translated too."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    _shop_language(till, "uk")
    (card,) = _customers_with_sales(till, 1, 0)
    out = tmp_path / "card.pdf"
    assert main(["--db", str(db_path), "cards", "print", "--card", card, "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"Картку 2010 0000 0001 4 записано в {out} (1 сторінка).\n"
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    title = next(line for line in info.splitlines() if line.startswith("Title:"))
    assert title.split(":", 1)[1].strip() == "Картка лояльності 2010 0000 0001 4"


def test_compiled_translations_follow_the_ts_content_not_its_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Two source trees share the user cache: a .qm compiled from the other tree's .ts (newer
    on disk) must not be loaded for this one's — the stale-translation trap of running tests
    in a second checkout."""
    from PySide6.QtCore import QTranslator

    from terminal import i18n_build

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ours, theirs = tmp_path / "ours" / "loyalty_uk.ts", tmp_path / "theirs" / "loyalty_uk.ts"
    for path in (ours, theirs):
        path.parent.mkdir()
        shutil.copy(i18n_build.ts_path("uk"), path)
    source = "Backup made and verified: {customers}, {sales}."
    theirs.write_text(
        theirs.read_text(encoding="utf-8").replace(
            "Резервну копію створено й перевірено: {customers}, {sales}.", "Застаріло."
        ),
        encoding="utf-8",
    )
    os.utime(ours, (1, 1))  # ours is older on disk than whatever the cache holds
    monkeypatch.setattr(i18n_build, "ts_path", lambda language: theirs)
    i18n_build.ensure_compiled("uk")
    monkeypatch.setattr(i18n_build, "ts_path", lambda language: ours)
    compiled = i18n_build.ensure_compiled("uk")
    translator = QTranslator()
    assert compiled is not None and translator.load(str(compiled))
    assert translator.translate("Outcomes", source) == (
        "Резервну копію створено й перевірено: {customers}, {sales}."
    )


# ---- the program's change list and the sale's explanation -------------------------------------


def test_program_changes_read_in_ukrainian_with_locale_numbers(language) -> None:
    from dataclasses import replace

    from terminal.app.program import describe_changes
    from terminal.core.program import DEFAULT_PROGRAM, ProgramKind

    new = replace(
        DEFAULT_PROGRAM,
        welcome_points=150,
        expiry_days=None,
        tiers=(Tier("Bronze", 0, 500), Tier("Silver", 800_000, 750), Tier("Gold", 3_000_000, 1000)),
    )
    changes = describe_changes(DEFAULT_PROGRAM, new)
    assert changes[0] == "Silver starts at 10000.00 → 8000.00"  # English for the audit log
    language("uk")
    group = QLocale().groupSeparator()
    assert [sentence_text(line) for line in changes] == [
        f"Silver: поріг 10{group}000,00 → 8{group}000,00",
        "Silver: бали 7 % → 7,5 %",
        "Бали згорають через (днів): 365 → ніколи",
        "Вітальний бонус: 100 → 150",
    ]
    hybrid = describe_changes(DEFAULT_PROGRAM, replace(DEFAULT_PROGRAM, kind=ProgramKind.HYBRID))
    assert hybrid == ["Program kind: bonus → hybrid"]
    assert sentence_text(hybrid[0]) == "Вид програми: бали (кешбек) → знижка й бали"


def test_the_sales_explanation_uses_the_locales_decimal_separator(language) -> None:
    from datetime import datetime

    from terminal.core.checkout import NONE, CustomerState, quote
    from terminal.core.program import ProgramKind

    hybrid = Program(kind=ProgramKind.HYBRID, tiers=(Tier("Silver", 0, 750, 250),))
    q = quote(hybrid, CustomerState(balance=0, lifetime_paid=0), 10_000, NONE, datetime(2026, 3, 2))
    assert q.explanation == "2.5 % discount Silver + 7.5 % Silver"
    language("ru")
    assert sentence_text(q.explanation) == "скидка 2,5 % Silver + 7,5 % Silver"


def test_cli_program_import_lists_changes_in_russian(till, db_path, tmp_path, capsys) -> None:
    from terminal.core.program import DEFAULT_PROGRAM

    _shop_language(till, "ru")
    rules = DEFAULT_PROGRAM.to_dict() | {"welcome_points": 150}
    path = tmp_path / "program.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    assert main(["--db", str(db_path), "program", "import", str(path)]) == 0
    assert capsys.readouterr().out == (
        "Сохранено как версия программы 2:\n  - Приветственный бонус: 100 → 150\n"
    )


def test_the_printed_slip_reads_in_ukrainian(till, language) -> None:
    """The slip goes home with the customer: its words in the till's language, in the
    printer's Cyrillic code page, and still within the 58 mm roll."""
    from escpos.printer import Dummy

    from terminal.core.slip_text import chars_per_line, slip_lines

    card = _customers_with_sales(till, 1, 0)[0]
    result = Counter(till).checkout(SaleRequest(card, 50_000), new_id())
    device = Dummy()
    slips = SlipPrinter(till, lambda _address: device)
    slips.save_settings(True, "usb:0416:5011", 58)
    language("uk")
    assert slips.print_sale(result).printed
    printed = _as_the_printer_reads_it(device.output, device.profile.profile_data["codePages"])
    for words in ("Нараховано балів", "Баланс", "Покажіть цей код наступного разу", "Дата"):
        assert words in printed, words
    assert "Balance" not in printed and "Points earned" not in printed
    data = slips.slip_for_sale(result)
    assert data is not None
    from terminal.app.slip import slip_words

    lines = slip_lines(data, 58, slip_words())
    assert all(len(line.text) <= chars_per_line(58) // (2 if line.big else 1) for line in lines)


def _as_the_printer_reads_it(output: bytes, code_pages: dict[str, str]) -> str:
    """ESC/POS bytes back to text, following each ``ESC t n`` code-page switch (python-escpos
    mixes CP866 and CP855 for Ukrainian: і, ї and є are not in CP866)."""
    parts = re.split(rb"\x1bt(.)", output, flags=re.S)
    text = parts[0].decode("cp437", "replace")
    for page, chunk in zip(parts[1::2], parts[2::2], strict=True):
        text += chunk.decode(code_pages.get(str(page[0]), "CP437").lower(), "replace")
    return text

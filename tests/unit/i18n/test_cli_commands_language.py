"""Every command group speaks the shop's language on the terminal: with the shop set to
Ukrainian, what a person reads — sentences, table headings, counts with their plural forms, money
and dates the locale's way — is Ukrainian, with no English sentence left over; --json keeps its
English, machine-readable form."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.app.settings import put_setting
from terminal.app.staff import StaffRoster
from terminal.app.till import open_till
from terminal.cli import main
from terminal.core.customer_form import CustomerForm
from terminal.core.ids import new_id
from terminal.i18n_text import core_application, remove_translations

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    remove_translations(core_application())


def _shop_language(till, code: str) -> None:
    with till.write() as session:
        put_setting(session, "language", code, till.now())


def _run(capsys, db: Path, *argv: str, code: int = 0) -> str:  # type: ignore[no-untyped-def]
    assert main(["--db", str(db), *argv]) == code, capsys.readouterr()
    return capsys.readouterr().out


def _english_words(text: str, *kept: str) -> list[str]:
    """Lower-case Latin words left once the names, ids, paths and commands a sentence quotes
    (``kept``) are taken out: a leftover is an untranslated English word."""
    for words in sorted(kept, key=len, reverse=True):
        text = text.replace(words, " ")
    text = UUID.sub(" ", text)
    text = re.sub(r"\S*/\S*", " ", text)  # a file's path
    text = re.sub(r"`[^`]*`", " ", text)  # a command to run stays a command
    return re.findall(r"\b[a-z]{2,}\b", text)


def _customers(till, *names: str) -> list[str]:
    return [
        Enrollment(till).register(CustomerForm(name, f"067111{i:04d}")).card
        for i, name in enumerate(names)
    ]


# ---- sale, refund, balance, customer ------------------------------------------------------------


def test_sale_refund_and_balance_in_ukrainian(till, db_path, capsys, clock) -> None:
    clock.set(datetime.now() - timedelta(days=350))  # the command runs on today's clock:
    (card,) = _customers(till, "Олена Коваль")  # the welcome points expire in about 15 days
    _shop_language(till, "uk")
    group = QLocale("uk").groupSeparator()

    quote = _run(capsys, db_path, "sale", "--card", card, "--amount", "1234.50", "--dry-run")
    assert quote.startswith(f"Розрахунок: до сплати 1{group}234,50, списано 0 балів, ")
    assert "нараховано 61 бал," in quote and "Нічого не записано." in quote
    assert _english_words(quote) == []

    sale = _run(capsys, db_path, "sale", "--card", card, "--amount", "1234,50", "--redeem", "20")
    sale_id = UUID.search(sale).group(0)  # type: ignore[union-attr]
    assert "до сплати 1" in sale and "списано 20 балів (−20,00)" in sale
    assert "нараховано 60 балів" in sale and "баланс 140." in sale
    assert _english_words(sale) == []

    refund = _run(capsys, db_path, "refund", "--sale", sale_id, "--amount", "100")
    assert refund.startswith("Повернення 100,00 з чека: видайте ")
    assert _english_words(refund) == []

    anonymous = _run(capsys, db_path, "sale", "--amount", "50")
    assert anonymous.endswith(": 50,00 без картки.\n")

    balance = _run(capsys, db_path, "balance", card)
    assert balance.startswith(f"Картка {card}: ") and "рівень Bronze" in balance
    assert "Згоряння " in balance  # the points' expiry day, the locale's way
    assert _english_words(balance, "Bronze") == []

    shown = _run(capsys, db_path, "customer", "show", card)
    lines = shown.splitlines()
    assert lines[0] == f"Олена Коваль  картка {card}  телефон +380671110000"
    assert "Баланс " in lines[1] and "усього оплачено 1" in lines[1] and "1 візит" in lines[1]
    assert "до рівня Silver" in shown
    assert f"  1{group}234,50  оплачено 1{group}214,50  +60 −20, повернено 100,00  [" in shown
    assert _english_words(shown, "Bronze", "Silver") == []

    added = _run(capsys, db_path, "customer", "add", "--name", "Іван Петренко")
    assert (
        added.startswith("Зареєстровано: Іван Петренко, картка ") and "баланс 100 балів." in added
    )


def test_json_output_stays_english_and_machine_readable(till, db_path, capsys) -> None:
    (card,) = _customers(till, "Олена Коваль")
    _shop_language(till, "uk")
    data = json.loads(
        _run(capsys, db_path, "--json", "sale", "--card", card, "--amount", "1234,50")
    )
    assert data["to_pay"] == "1234.50" and data["points_earned"] == 61
    check = json.loads(_run(capsys, db_path, "--json", "check"))
    assert check == check | {"ok": True, "customers": 1, "purchases": 1, "problems": []}


# ---- check, expire, demo --------------------------------------------------------------------


def test_check_expire_and_demo_in_ukrainian(till, db_path, tmp_path, capsys, clock) -> None:
    (card,) = _customers(till, "Олена Коваль")
    Counter(till).checkout(SaleRequest(card, 10_000), new_id())
    _shop_language(till, "uk")

    good = _run(capsys, db_path, "check")
    assert good == (
        "Усе гаразд: 1 клієнт, 1 продаж, 2 події журналу; баланси збігаються з історією балів.\n"
    )
    assert _run(capsys, db_path, "expire") == "Згоряти не було чому.\n"

    with till.write_driver() as db:
        db.execute("UPDATE customer SET balance = balance + 7")
    bad = _run(capsys, db_path, "check", code=1)
    assert bad.startswith("Знайдено проблеми:\n  - клієнт ")
    assert "збережений баланс 112, а за історією балів 105" in bad
    assert _english_words(bad) == []
    problems = json.loads(_run(capsys, db_path, "--json", "check", code=1))["problems"]
    assert "cached balance 112 but the ledger sums to 105" in problems[0]  # English for scripts

    demo_db = tmp_path / "demo.db"
    demo_till = open_till(demo_db, clock=clock)
    _shop_language(demo_till, "uk")
    demo_till.close()
    assert main(["--db", str(demo_db), "demo", "--customers", "5", "--months", "1",
                 "--sales", "12"]) == 0  # fmt: skip
    said = capsys.readouterr()
    assert said.out.startswith("Демо-дані: 5 клієнтів, 12 продажів (з карткою: ")
    assert _english_words(said.out) == []
    assert "демо: клієнти 5/5\n" in said.err and "демо: продажі 12/12\n" in said.err


def test_expire_counts_in_ukrainian(till, db_path, capsys, clock) -> None:
    clock.set(datetime.now() - timedelta(days=400))  # the welcome points' year is over today
    _customers(till, "Олена Коваль", "Іван Петренко")
    _shop_language(till, "uk")
    assert _run(capsys, db_path, "expire") == (
        "2 клієнти: списано 200 балів через закінчення терміну.\n"
    )


# ---- cards ---------------------------------------------------------------------------------


def test_card_actions_and_stock_in_ukrainian(till, db_path, tmp_path, capsys) -> None:
    (card,) = _customers(till, "Олена Коваль")
    _shop_language(till, "uk")
    blocked = _run(capsys, db_path, "card", "block", card)
    assert blocked == f"Картку {card} (Олена Коваль) заблоковано: Заблоковано на стійці.\n"
    assert _run(capsys, db_path, "card", "unblock", card) == (
        f"Картка {card} знову працює (статус: діє).\n"
    )
    replaced = _run(capsys, db_path, "card", "replace", card)
    assert replaced.startswith("Олена Коваль: тепер картка ")
    assert replaced.endswith(f"(картка {card} більше не працює); баланс 100 балів.\n")

    sheet = tmp_path / "sheet.pdf"
    batch = _run(capsys, db_path, "cards", "batch", "--count", "12", "--out", str(sheet))
    assert batch.startswith("Зарезервовано: 12 карток (партія ")
    assert batch.endswith(f"2 аркуші записано в {sheet}.\n")
    stock = _run(capsys, db_path, "cards", "stock")
    assert stock.splitlines()[0] == "На складі 12, діють 1, заблоковані 0, замінені 1."
    assert stock.splitlines()[1].endswith(": 12 карток, ще на складі: 12")
    assert _english_words(batch + stock, str(sheet)) == []


# ---- program, points ------------------------------------------------------------------------


def test_program_show_export_history_in_ukrainian(till, db_path, tmp_path, capsys) -> None:
    _shop_language(till, "uk")
    shown = _run(capsys, db_path, "program", "show")
    group = QLocale("uk").groupSeparator()
    assert shown.startswith("Програма, версія 1 (")
    assert f"  Silver: від 10{group}000,00 оплачено — бали 7 %" in shown
    assert "вони згоряють через 365 днів" in shown and "(±7 днів)" in shown
    assert _english_words(shown, "system", "Bronze", "Silver", "Gold") == []
    out = tmp_path / "program.json"
    assert _run(capsys, db_path, "program", "export", str(out)) == (
        f"Програму версії 1 записано в {out}.\n"
    )
    history = _run(capsys, db_path, "program", "history")
    assert history.rstrip().endswith("Програма за замовчуванням")
    assert _english_words(history, "system") == []


def test_points_adjust_in_ukrainian(till, db_path, capsys) -> None:
    _customers(till, "Олена Коваль")
    StaffRoster(till).set_first_owner("Olena", "2468")
    _shop_language(till, "uk")
    said = _run(capsys, db_path, "points", "adjust", "0671110000", "--points", "+50",
                "--reason", "загублений чек", "--pin", "2468")  # fmt: skip
    assert said == "Олена Коваль: +50 б. (загублений чек); баланс 100 → 150.\n"


# ---- report -----------------------------------------------------------------------------------


def test_report_table_in_ukrainian(till, db_path, capsys) -> None:
    (card,) = _customers(till, "Олена Коваль")
    Counter(till).checkout(SaleRequest(card, 1_234_550), new_id())
    _shop_language(till, "uk")
    out = _run(capsys, db_path, "report", "--from", "2026-03-01", "--to", "2026-03-31")
    lines = out.splitlines()
    assert "01.03.2026 – 31.03.2026" in lines[0]  # the year in full, not uk's short "26"
    titles = [line[:30].strip() for line in lines[1:-1]]
    assert "Продажі" in titles[0] and "Виторг" in titles[1]
    group = QLocale("uk").groupSeparator()
    assert f"12{group}345,50" in lines[2]  # revenue, the locale's way
    assert "100,00 %" in out  # participation
    assert lines[-1].startswith("Зобов'язання за балами: ")
    assert _english_words(out) == []


# ---- sync ---------------------------------------------------------------------------------------


def test_sync_commands_in_ukrainian(till, db_path, tmp_path, capsys, clock) -> None:
    (card,) = _customers(till, "Олена Коваль")
    _shop_language(till, "uk")
    status = _run(capsys, db_path, "sync", "status")
    assert status.splitlines() == [
        "Це каса 1: 1 власна подія, ще не вивантажено й не надіслано: 1.",
        "Останнє вивантаження/надсилання: ніколи; останнє завантаження/отримання: ніколи.",
    ]
    assert _run(capsys, db_path, "sync", "conflicts") == "Конфліктів немає.\n"

    pairing = tmp_path / "till2.pair"
    paired = _run(capsys, db_path, "sync", "pair-create", "--till", "2", "--out", str(pairing))
    assert paired.startswith(f"Файл підключення для каси 2 записано в {pairing}. ")

    usb = tmp_path / "usb"
    usb.mkdir()
    exported = _run(capsys, db_path, "sync", "export", "--out", str(usb))
    assert exported.startswith("Події 1–1 (1) вивантажено до ")
    assert _run(capsys, db_path, "sync", "export", "--out", str(usb)) == (
        "Нового для вивантаження немає.\n"
    )

    two_db = tmp_path / "two.db"
    assert main(["--db", str(two_db), "sync", "pair-join", str(pairing)]) == 0
    capsys.readouterr()
    two = open_till(two_db, clock=clock)
    _shop_language(two, "uk")
    two.close()
    bundle = next(usb.glob("till1-*.ltb"))
    imported = _run(capsys, two_db, "sync", "import", str(bundle))
    assert imported == "Каса 1 — застосовано: 1 нова подія; уже були тут: 0.\n"

    shared = tmp_path / "shared"
    shared.mkdir()
    Counter(till).checkout(SaleRequest(card, 10_000), new_id())
    _run(capsys, db_path, "sync", "folder", str(shared))
    folder = _run(capsys, two_db, "sync", "folder", str(shared))
    assert "Отримано 1 пакет — застосовано: 1 подія; уже були тут: 0 пакетів." in folder
    later = _run(capsys, two_db, "sync", "status")
    assert "Каса 1: тут 2 події." in later
    everything = status + exported + imported + folder + later
    assert _english_words(everything, str(tmp_path)) == []


# ---- import and export of customers -------------------------------------------------------------


def test_import_and_export_customers_in_ukrainian(till, db_path, tmp_path, capsys) -> None:
    _shop_language(till, "uk")
    sheet = tmp_path / "clients.csv"
    sheet.write_text("Name,Phone\nОлена,0671234567\n,0671234568\nІван,0671234567\n", "utf-8")
    refused = _run(capsys, db_path, "import", "customers", str(sheet), code=3)
    assert "  рядок 3: немає імені" in refused
    assert "  рядок 4: повтор телефону +380671234567 (уже в рядку 2)" in refused
    assert refused.rstrip().endswith("--skip-refused.")
    imported = _run(capsys, db_path, "import", "customers", str(sheet), "--skip-refused")
    assert imported.startswith("Завантажено з clients.csv: 1 клієнт (пропущено відхилених")
    out = tmp_path / "all.csv"
    exported = _run(capsys, db_path, "export", "customers", "--out", str(out))
    assert exported == f"Вивантажено до {out}: 1 клієнт (згодні на повідомлення: 0).\n"
    columns = ("name ← “Name”", "phone ← “Phone”")  # the --map field names and the headers
    kept = (*columns, str(sheet), str(out), "clients.csv", "skip-refused")
    assert _english_words(refused + imported + exported, *kept) == []


# ---- Russian plurals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("customers", "sales", "expected"),
    [
        (1, 4, "Всё в порядке: 1 клиент, 4 продажи, 5 событий журнала;"),
        (2, 0, "Всё в порядке: 2 клиента, 0 продаж, 2 события журнала;"),
        (5, 16, "Всё в порядке: 5 клиентов, 16 продаж, 21 событие журнала;"),
    ],
)
def test_russian_counts_take_all_three_forms(
    till, db_path, capsys, customers: int, sales: int, expected: str
) -> None:
    cards = _customers(till, *(f"Клиент {i}" for i in range(customers)))
    for i in range(sales):
        Counter(till).checkout(SaleRequest(cards[i % len(cards)], 10_000), new_id())
    _shop_language(till, "ru")
    assert _run(capsys, db_path, "check").startswith(expected)


def test_a_mistyped_sale_id_names_the_sale_in_ukrainian(till, db_path, capsys) -> None:
    _shop_language(till, "uk")
    assert main(["--db", str(db_path), "refund", "--sale", "abc"]) == 3
    assert capsys.readouterr().err == (
        "loyalty-terminal: «abc» — некоректний ідентифікатор (продаж, UUID).\n"
    )
    assert main(["--db", str(db_path), "--json", "refund", "--sale", "abc"]) == 3
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["message"] == "“abc” is not a valid sale id (a UUID)."

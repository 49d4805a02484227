"""``loyalty-terminal --self-test``: prove this installation works, in a throwaway folder.

Opens a fresh database (running every migration), registers a customer, makes a sale with
redemption and refunds it through the same app code the counter uses, checks the books, renders
a card to PDF, and prints one line per step. Exit 0 only when every step passed. Used by the
packaged-app CI job and by support ("run the self-test and send me what it prints").
"""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication


def _say(text: str) -> str:
    """A self-test line in the installed language (the shop's or the system's); the "ok"/"FAIL"
    marks and step names stay English so support and CI can read any shop's output."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("SelfTest", text)


def _steps(folder: Path) -> list[tuple[str, Callable[[], str]]]:
    state: dict[str, object] = {}

    def open_db() -> str:
        from terminal.app.till import open_till

        state["till"] = open_till(folder / "selftest.db")
        return _say("database created and migrated")

    def sale_and_refund() -> str:
        from terminal.app.counter import Counter, SaleRequest
        from terminal.app.enrollment import Enrollment
        from terminal.app.refunds import Refunds
        from terminal.core.checkout import MAX
        from terminal.core.customer_form import CustomerForm

        till = state["till"]
        enrolled = Enrollment(till).register(CustomerForm("Self Test", "0670000000"))  # type: ignore[arg-type]
        sale = Counter(till).checkout(SaleRequest(enrolled.card, 100_000, MAX))  # type: ignore[arg-type]
        again = Counter(till).checkout(SaleRequest(enrolled.card, 100_000, MAX), sale.sale_id)  # type: ignore[arg-type]
        if not again.replayed or sale.balance != 45:
            raise AssertionError(_say("unexpected sale figures: {sale}").format(sale=sale))
        refund = Refunds(till).refund(sale.sale_id)  # type: ignore[arg-type]
        if refund.balance != 100:
            raise AssertionError(
                _say("unexpected balance after refund: {balance}").format(balance=refund.balance)
            )
        state["card"] = enrolled.card
        return _say("sale and refund on card {card}: balance 100 → 45 → 100").format(
            card=enrolled.card
        )

    def books() -> str:
        from terminal.app.integrity import Integrity

        report = Integrity(state["till"]).check()  # type: ignore[arg-type]
        if not report.ok:
            raise AssertionError("; ".join(report.problems))
        return _say("books balance ({events} journal events)").format(events=report.events)

    def card_pdf() -> str:
        from terminal.cardprint import render_card_pdf  # type: ignore[attr-defined]

        out = folder / "card.pdf"
        render_card_pdf(state["till"], str(state["card"]), out)
        if out.stat().st_size < 1000:
            raise AssertionError(_say("the card PDF is empty"))
        return _say("card PDF rendered ({size} KB)").format(size=out.stat().st_size // 1024)

    def sync_workers() -> str:
        from terminal.app.till import open_till
        from terminal.sync import staging
        from terminal.sync.exchange import SyncExchange
        from terminal.sync.pairing import create_pairing, join_pairing

        if not staging.worker_count():
            return _say("one core here: bundles are imported in one process")
        till = state["till"]
        create_pairing(till, 2, folder / "till2.pair")  # type: ignore[arg-type]
        second = open_till(folder / "second.db")
        try:
            join_pairing(second, folder / "till2.pair")
            exported = SyncExchange(till).export(folder / "bundles", since=0)  # type: ignore[arg-type]
            assert exported.path is not None
            # the worker processes a big catch-up uses, asked for on this small bundle: they
            # start from the installed program itself (a packaged app re-runs its executable)
            result = SyncExchange(second).import_file(exported.path, staged=True)
            if not result.workers:
                raise AssertionError(_say("the sync worker processes did not start (see the log)"))
            with till.read_driver() as a, second.read_driver() as b:  # type: ignore[attr-defined]
                query = "SELECT id, balance FROM customer ORDER BY id"
                if a.execute(query).fetchall() != b.execute(query).fetchall():
                    raise AssertionError(_say("the imported balances differ"))
        finally:
            second.close()
        return _say("a bundle of {events} events imported by {workers} worker processes").format(
            events=result.applied, workers=result.workers
        )

    def window() -> str:

        from terminal.ui.app import build_window

        app = make_application()
        begun = time.perf_counter()
        main_window = build_window(state["till"])  # type: ignore[arg-type]
        main_window.resize(1366, 768)
        main_window.show()
        app.processEvents()
        shown = time.perf_counter() - begun
        main_window.close()
        return _say("main window built and shown in {seconds} s").format(seconds=f"{shown:.2f}")

    def languages() -> str:
        from PySide6.QtCore import QCoreApplication, QLocale

        from terminal.i18n_text import core_application, install_translations, points_text

        app = core_application()
        speaking = QLocale().name().split("_")[0]  # the language this output is in
        seen = []
        expected = (("ru", "Карта лояльности", "5 баллов"), ("uk", "Картка лояльності", "5 балів"))
        for language, card, points in expected:
            if install_translations(app, language) != language:
                raise AssertionError(_say("{language} is not available").format(language=language))
            got = QCoreApplication.translate("CardPrint", "Loyalty card"), points_text(5)
            if got != (card, points):
                raise AssertionError(
                    _say("{language} translation not loaded: {got}").format(
                        language=language, got=got
                    )
                )
            seen.append(language)
        install_translations(app, speaking)
        return _say("translations load: {languages}").format(languages=", ".join(seen))

    def network() -> str:
        if _network_calls:
            raise AssertionError(
                _say("something tried the network: {calls}").format(calls=_network_calls[:3])
            )
        return _say("nothing tried the network")

    return [
        ("database", open_db),
        ("checkout", sale_and_refund),
        ("check", books),
        ("window", window),
        ("cards", card_pdf),
        ("sync", sync_workers),
        ("languages", languages),
        ("network", network),
    ]


_network_calls: list[str] = []
_hooked: list[bool] = []
_NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request")


def _watch_network(event: str, args: tuple[object, ...]) -> None:
    """Audit hook: the till works offline, so nothing in the self-test may reach for a network.
    Local (AF_UNIX) connections are allowed; an address tuple is the network."""
    if event in _NETWORK_EVENTS:
        if event == "socket.connect" and not isinstance(args[1] if len(args) > 1 else None, tuple):
            return
        _network_calls.append(f"{event} {args[1:] if len(args) > 1 else args}")


def make_application() -> QApplication:
    """The self-test's application: offscreen, with widgets (made before the command line's
    language is installed, which would otherwise make a widget-less one)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication(["loyalty-terminal", "-platform", "offscreen"])


def self_test() -> int:
    started = time.perf_counter()
    _network_calls.clear()
    if not _hooked:
        sys.addaudithook(_watch_network)  # audit hooks cannot be removed: add it once
        _hooked.append(True)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="loyalty-selftest-") as tmp:
        for name, step in _steps(Path(tmp)):
            try:
                print(f"ok    {name}: {step()}")
            except Exception as exc:  # every failure is reported, the rest still runs
                failed += 1
                print(f"FAIL  {name}: {exc}")
                traceback.print_exc(file=sys.stderr)
    seconds = f"{time.perf_counter() - started:.2f}"
    summary = (
        _say("self-test passed in {seconds} s")
        if not failed
        else _say("self-test FAILED in {seconds} s")
    )
    print(summary.format(seconds=seconds))
    return 0 if not failed else 1

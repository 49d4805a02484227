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


def _steps(folder: Path) -> list[tuple[str, Callable[[], str]]]:
    state: dict[str, object] = {}

    def open_db() -> str:
        from terminal.app.till import open_till

        state["till"] = open_till(folder / "selftest.db")
        return "database created and migrated"

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
            raise AssertionError(f"unexpected sale figures: {sale}")
        refund = Refunds(till).refund(sale.sale_id)  # type: ignore[arg-type]
        if refund.balance != 100:
            raise AssertionError(f"unexpected balance after refund: {refund.balance}")
        state["card"] = enrolled.card
        return f"sale and refund on card {enrolled.card}: balance 100 → 45 → 100"

    def books() -> str:
        from terminal.app.integrity import Integrity

        report = Integrity(state["till"]).check()  # type: ignore[arg-type]
        if not report.ok:
            raise AssertionError("; ".join(report.problems))
        return f"books balance ({report.events} journal events)"

    def card_pdf() -> str:
        from terminal.cardprint import render_card_pdf  # type: ignore[attr-defined]

        out = folder / "card.pdf"
        render_card_pdf(state["till"], str(state["card"]), out)
        if out.stat().st_size < 1000:
            raise AssertionError("the card PDF is empty")
        return f"card PDF rendered ({out.stat().st_size // 1024} KB)"

    return [
        ("database", open_db),
        ("checkout", sale_and_refund),
        ("check", books),
        ("cards", card_pdf),
    ]


def self_test() -> int:
    started = time.perf_counter()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="loyalty-selftest-") as tmp:
        for name, step in _steps(Path(tmp)):
            try:
                print(f"ok    {name}: {step()}")
            except Exception as exc:  # every failure is reported, the rest still runs
                failed += 1
                print(f"FAIL  {name}: {exc}")
                traceback.print_exc(file=sys.stderr)
    print(
        f"self-test {'passed' if not failed else 'FAILED'} in {time.perf_counter() - started:.2f} s"
    )
    return 0 if not failed else 1

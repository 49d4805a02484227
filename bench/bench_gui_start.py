"""Till window start: from a fresh Python process to "ready to scan" (Counter shown, amount field
focused, events processed), on an existing shop database — what a cashier waits for each morning.

    python bench/bench_gui_start.py            # 5 starts, offscreen
    python bench/bench_gui_start.py --runs 10

Each start is a new ``python`` process (imports from source, no bytecode tricks beyond the normal
``__pycache__``, which one discarded warm-up start writes, as a till's first start would). Two
kinds of start: ``open_till`` + ``build_window`` reporting its own phases, and the shop's real
``loyalty-terminal --db FILE`` entry point, timed until its event loop runs with the amount field
focused, then one scanner burst to the customer shown. Wall clock runs from the parent launching
the process to the child being ready (shutdown is not counted). For scale, the same child also
times raw ``sqlite3`` opening the file and reading the shop name.
Target: ready to scan in < 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.5


def child(db: str) -> None:
    t0 = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    import sqlite3

    raw0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("SELECT value FROM shop_setting WHERE key = 'shop_name'").fetchone()
    con.close()
    raw = time.perf_counter() - raw0

    from PySide6.QtWidgets import QApplication

    from terminal.app.till import open_till
    from terminal.ui.app import build_window

    t_import = time.perf_counter()
    app = QApplication([])
    app.setOrganizationName("LoyaltyTerminalBench")
    app.setApplicationName("bench")
    till = open_till(db)
    t_open = time.perf_counter()
    window = build_window(till)
    window.resize(1366, 768)
    t_build = time.perf_counter()
    window.show()
    app.processEvents()
    counter = window.current_screen()
    assert counter is not None and counter.sale.amount.hasFocus()
    t_ready = time.perf_counter()
    print(
        json.dumps(
            {
                "imports": t_import - t0,
                "open_till": t_open - t_import,
                "build_window": t_build - t_open,
                "first_paint": t_ready - t_build,
                "in_process": t_ready - t0,
                "raw_sqlite": raw,
                "ready_epoch": time.time(),
            }
        )
    )
    window.close()
    till.close()


def child_entry(db: str, card: str) -> None:
    """The shop's own start: ``loyalty-terminal --db FILE`` through the command-line entry point
    (single-window lock, languages, logging, housekeeping), timed until its event loop runs with
    the Counter's amount field focused; then the process leaves without the shutdown."""
    t0 = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication([])  # run_gui uses the QApplication it finds (a probe needs one first)

    def probe() -> None:
        window = app.activeWindow() or next(
            (w for w in app.topLevelWidgets() if w.isVisible() and hasattr(w, "current_screen")),
            None,
        )
        counter = window.current_screen() if window is not None else None
        sale = getattr(counter, "sale", None)
        if sale is None or not sale.amount.hasFocus():
            QTimer.singleShot(1, probe)
            return
        ready = time.perf_counter()
        ready_epoch = time.time()
        # then the morning's first customer: a scanner burst into the focused field
        QTest.keyClicks(QApplication.focusWidget(), card)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

        def shown() -> None:
            if getattr(counter, "view", None) is None:
                QTimer.singleShot(1, shown)
                return
            first_scan = time.perf_counter() - ready
            assert counter.view.card == card, "the scan did not select the bench customer"
            result = {
                "in_process": ready - t0,
                "ready_epoch": ready_epoch,
                "first_scan": first_scan,
            }
            print(json.dumps(result), flush=True)
            os._exit(0)

        shown()

    QTimer.singleShot(0, probe)
    from terminal.cli import main as entry

    entry(["--db", db])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-entry", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--card", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    if args.child_entry:
        child_entry(args.child_entry, args.card)
        return 0
    sys.path.insert(0, str(ROOT))
    from terminal.app.enrollment import CustomerForm, Enrollment
    from terminal.app.shop_setup import ShopSetup
    from terminal.app.till import open_till

    folder = tempfile.mkdtemp(prefix="bench-gui-")
    db = str(Path(folder) / "shop.db")
    till = open_till(db)
    ShopSetup(till).save("Bench shop", "UAH", 1)
    card = Enrollment(till).register(CustomerForm("Olena Shevchenko", "0671234567")).card
    till.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # A till starts from an installed package or a checkout whose __pycache__ Python wrote on the
    # first start; an environment that forbids writing bytecode (some sandboxes and CI images set
    # PYTHONDONTWRITEBYTECODE) would recompile every module of the app at every start instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    config = tempfile.mkdtemp(prefix="bench-gui-config-")  # window geometry, logs: not the user's
    env.update(XDG_CONFIG_HOME=config, XDG_DATA_HOME=config, XDG_STATE_HOME=config, HOME=config)

    def start(mode: str) -> dict[str, float]:
        launched = time.perf_counter()
        launched_epoch = time.time()
        out = subprocess.run(
            [sys.executable, __file__, mode, db, "--card", card],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        whole = time.perf_counter() - launched
        phases = json.loads(out.strip().splitlines()[-1])
        phases["wall"] = phases["ready_epoch"] - launched_epoch
        phases["whole_process"] = whole
        return phases

    start("--child")  # the warm-up that writes __pycache__, not counted
    start("--child-entry")
    parts = [start("--child") for _ in range(args.runs)]
    entries = [start("--child-entry") for _ in range(args.runs)]

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(f"GUI start on an existing database, {args.runs} fresh processes each (median):")
    print("open_till + build_window, by phase:")
    for key in ("imports", "open_till", "build_window", "first_paint"):
        print(f"  {key:<13} {med(parts, key) * 1000:8.0f} ms")
    print(f"  {'in process':<13} {med(parts, 'in_process') * 1000:8.0f} ms  (first line to ready)")
    print(f"  {'wall clock':<13} {med(parts, 'wall') * 1000:8.0f} ms  (process launch to ready)")
    ratio = med(parts, "in_process") / max(med(parts, "raw_sqlite"), 1e-9)
    raw_ms = med(parts, "raw_sqlite") * 1000
    print(f"  raw sqlite3 open + read shop name: {raw_ms:.1f} ms  (ratio {ratio:.0f}×)")
    print(
        "the shop's start, `loyalty-terminal --db FILE` (lock, languages, logging, housekeeping):"
    )
    wall = med(entries, "wall")
    print(f"  {'in process':<13} {med(entries, 'in_process') * 1000:8.0f} ms")
    print(f"  {'wall clock':<13} {wall * 1000:8.0f} ms  (process launch to ready to scan)")
    first_scan = med(entries, "first_scan") * 1000
    print(f"  {'first scan':<13} {first_scan:8.0f} ms  (burst + Enter to the customer shown)")
    print(
        f"  best / worst  {min(r['wall'] for r in entries) * 1000:6.0f} / "
        f"{max(r['wall'] for r in entries) * 1000:.0f} ms"
    )
    verdict = "OK" if wall < TARGET_S else "SLOW"
    print(f"target < {TARGET_S:.1f} s wall clock: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Till window start: from a fresh Python process to "ready to scan" (Counter shown, amount field
focused, events processed), on an existing shop database — what a cashier waits for each morning.

    python bench/bench_gui_start.py            # 5 starts, offscreen
    python bench/bench_gui_start.py --runs 10

Each start is a new ``python`` process (imports from source, no bytecode tricks beyond the normal
``__pycache__``). The child reports its own phases (imports, open the database, build the window,
first paint); the parent measures the whole wall-clock time including interpreter start-up.
For scale, the same child also times raw ``sqlite3`` opening the file and reading the shop name.
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
            }
        )
    )
    window.close()
    till.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    sys.path.insert(0, str(ROOT))
    from terminal.app.shop_setup import ShopSetup
    from terminal.app.till import open_till

    folder = tempfile.mkdtemp(prefix="bench-gui-")
    db = str(Path(folder) / "shop.db")
    till = open_till(db)
    ShopSetup(till).save("Bench shop", "UAH", 1)
    till.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    runs = []
    for _ in range(args.runs):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--child", db],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        wall = time.perf_counter() - start
        phases = json.loads(out.strip().splitlines()[-1])
        phases["wall"] = wall
        runs.append(phases)

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(f"GUI start on an existing database, {args.runs} fresh processes (median):")
    for key in ("imports", "open_till", "build_window", "first_paint"):
        print(f"  {key:<13} {med(key) * 1000:8.0f} ms")
    print(f"  {'in process':<13} {med('in_process') * 1000:8.0f} ms  (first line to ready to scan)")
    print(f"  {'wall clock':<13} {med('wall') * 1000:8.0f} ms  (process launch to ready to scan)")
    ratio = med("in_process") / max(med("raw_sqlite"), 1e-9)
    raw_ms = med("raw_sqlite") * 1000
    print(f"  raw sqlite3 open + read shop name: {raw_ms:.1f} ms  (ratio {ratio:.0f}×)")
    verdict = "OK" if med("wall") < TARGET_S else "SLOW"
    print(f"target < {TARGET_S:.1f} s wall clock: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

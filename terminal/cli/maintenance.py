"""``check``: prove the books balance."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.app.integrity import Integrity
from terminal.cli.context import Cli, ExitCode


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    check = sub.add_parser(
        "check", help="verify balances, lots, journal and the database file", parents=[common]
    )
    check.set_defaults(handler=_check)


def _check(cli: Cli) -> int:
    report = Integrity(cli.till).check()
    data = {
        "ok": report.ok,
        "problems": report.problems,
        "customers": report.customers,
        "purchases": report.purchases,
        "events": report.events,
    }

    def text() -> str:
        if report.ok:
            return (
                f"All good: {report.customers} customers, {report.purchases} sales, "
                f"{report.events} journal events; balances equal their ledgers."
            )
        return "Problems found:\n" + "\n".join(f"  - {p}" for p in report.problems)

    cli.emit(data, text)
    return int(ExitCode.OK if report.ok else ExitCode.PROBLEMS)

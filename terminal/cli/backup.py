"""``backup [--out FILE]`` (a verified copy now) and ``restore FILE`` (put a backup back)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from terminal.app.backup import Backups
from terminal.cli.context import Cli, ExitCode


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    backup = sub.add_parser(
        "backup",
        help="make a verified backup now (into the backup folder, or to --out FILE)",
        parents=[common],
    )
    backup.add_argument("--out", type=Path, default=None, help="write the backup to this file")
    backup.set_defaults(handler=_backup)

    restore = sub.add_parser(
        "restore",
        help="replace the database with a backup (the current one is kept aside first)",
        parents=[common],
    )
    restore.add_argument("file", type=Path, help="the backup file to restore")
    restore.set_defaults(handler=_restore)


def _backup(cli: Cli) -> int:
    result = Backups(cli.till).make(cli.args.out)
    data = {
        "path": str(result.path),
        "size": result.size,
        "customers": result.customers,
        "sales": result.sales,
        "mirror_path": str(result.mirror_path) if result.mirror_path else None,
        "mirror_error": result.mirror_error,
        "removed": result.removed,
    }
    text = f"Backup verified: {result.path} ({result.customers} customers, {result.sales} sales)."
    if result.mirror_path:
        text += f"\nCopied to {result.mirror_path}."
    if result.mirror_error:
        text += f"\nWarning: {result.mirror_error}"
    cli.emit(data, text)
    return int(ExitCode.OK)


def _restore(cli: Cli) -> int:
    result = Backups(cli.till).restore(cli.args.file)
    data = {
        "restored_from": str(result.restored_from),
        "kept_aside": str(result.kept_aside),
        "customers": result.customers,
        "sales": result.sales,
    }
    cli.emit(
        data,
        f"Restored {result.customers} customers and {result.sales} sales from "
        f"{result.restored_from}. The database as it was is kept in {result.kept_aside}.",
    )
    return int(ExitCode.OK)

"""``backup [--out FILE]`` (a verified copy now) and ``restore FILE`` (put a backup back)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from terminal.app.backup import Backups
from terminal.app.restore import restore_over_damaged
from terminal.app.till import DamagedDatabase
from terminal.cli.context import Cli, ExitCode
from terminal.cli.language import cli_help
from terminal.core.errors import QT_TRANSLATE_NOOP


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    backup = sub.add_parser(
        "backup",
        help=cli_help("make a verified backup now (into the backup folder, or to --out FILE)"),
        parents=[common],
    )
    backup.add_argument(
        "--out", type=Path, default=None, help=cli_help("write the backup to this file")
    )
    backup.set_defaults(handler=_backup)

    restore = sub.add_parser(
        "restore",
        help=cli_help("replace the database with a backup (the current one is kept aside first)"),
        parents=[common],
    )
    restore.add_argument("file", type=Path, help=cli_help("the backup file to restore"))
    restore.set_defaults(handler=_restore, makes_database=True)


def _backup(cli: Cli) -> int:
    result = Backups(cli.till).make(cli.args.out)
    data = {
        "path": str(result.path),
        "size": result.size,
        "customers": result.customers,
        "sales": result.sales,
        "mirror_path": str(result.mirror_path) if result.mirror_path else None,
        "mirror_error": str(result.mirror_error),
        "removed": result.removed,
    }

    def text() -> str:
        lines = [
            cli.sentence(result.summary),
            cli.translate(QT_TRANSLATE_NOOP("Cli", "Saved as {path}."), path=result.path),
        ]
        if result.mirror_path:
            lines.append(
                cli.translate(
                    QT_TRANSLATE_NOOP("Cli", "Copied to {path}."), path=result.mirror_path
                )
            )
        if result.mirror_error:
            lines.append(
                cli.translate(
                    QT_TRANSLATE_NOOP("Cli", "Warning: {problem}"),
                    problem=cli.sentence(result.mirror_error),
                )
            )
        return "\n".join(lines)

    cli.emit(data, text)
    return int(ExitCode.OK)


def _restore(cli: Cli) -> int:
    try:
        till = cli.till
    except DamagedDatabase as exc:
        # the reason to restore: the damaged file goes next to the backups, kept as evidence,
        # and the backup is put back into a new database in its place
        if not Path(cli.args.file).is_file():
            raise
        till, result = restore_over_damaged(Path(exc.params["path"]), Path(cli.args.file))
        cli.adopt(till)
    else:
        result = Backups(till).restore(cli.args.file)
    data = {
        "restored_from": str(result.restored_from),
        "kept_aside": str(result.kept_aside),
        "customers": result.customers,
        "sales": result.sales,
    }
    cli.emit(data, lambda: cli.sentence(result.summary))
    return int(ExitCode.OK)

"""``sync ...``: bundles between tills, pairing, the PostgreSQL hub, and the sync status.

sync export --out DIR [--since SEQ]    write this till's new events to a signed bundle
sync import FILE                       verify and apply another till's bundle
sync pair-create --till N --out FILE   a one-time pairing file for new till number N
sync pair-join FILE                    make this new till a till of that shop
sync push|pull|run --server URL        exchange events with a PostgreSQL hub
sync folder DIR                        one folder-sync round: export news, import others'
sync status                            till number, events waiting, peers, conflicts
sync conflicts                         what two tills did offline that needs a look
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from terminal.cli.context import Cli, ExitCode
from terminal.sync.exchange import SyncExchange
from terminal.sync.folder import FolderSync
from terminal.sync.hub import sync_with_hub
from terminal.sync.pairing import create_pairing, join_pairing


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    sync = sub.add_parser("sync", help="share customers and sales with the shop's other tills")
    commands = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)

    export = commands.add_parser(
        "export", help="write this till's new events to a signed bundle", parents=[common]
    )
    export.add_argument("--out", type=Path, required=True, help="folder for the bundle file")
    export.add_argument(
        "--since",
        type=int,
        default=None,
        help="export events after this sequence number (default: after the last export/push; "
        "0 exports everything)",
    )
    export.set_defaults(handler=_export)

    imp = commands.add_parser(
        "import", help="verify and apply another till's bundle", parents=[common]
    )
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=_import)

    pair = commands.add_parser(
        "pair-create", help="make a one-time pairing file for a new till", parents=[common]
    )
    pair.add_argument("--till", type=int, required=True, help="the new till's number (1-99)")
    pair.add_argument("--out", type=Path, required=True, help="where to write the pairing file")
    pair.set_defaults(handler=_pair_create)

    join = commands.add_parser(
        "pair-join", help="join a shop with a pairing file (new till only)", parents=[common]
    )
    join.add_argument("file", type=Path)
    join.set_defaults(handler=_pair_join)

    for name, push, pull, what in (
        ("push", True, False, "send this till's new events to the hub"),
        ("pull", False, True, "fetch and apply the other tills' events from the hub"),
        ("run", True, True, "push, then pull"),
    ):
        hub = commands.add_parser(name, help=what, parents=[common])
        hub.add_argument("--server", required=True, help="postgresql://user@host:port/database")
        hub.set_defaults(handler=_hub, push=push, pull=pull)

    folder = commands.add_parser(
        "folder",
        help="one round of folder sync: write this till's news to DIR, apply other tills' "
        "bundles found there",
        parents=[common],
    )
    folder.add_argument("dir", type=Path, help="the shared or USB folder the tills sync through")
    folder.set_defaults(handler=_folder)

    status = commands.add_parser(
        "status", help="till number, events waiting, peers", parents=[common]
    )
    status.set_defaults(handler=_status)

    conflicts = commands.add_parser(
        "conflicts",
        help="list what two tills did offline that the owner should look at",
        parents=[common],
    )
    conflicts.set_defaults(handler=_conflicts)


def _export(cli: Cli) -> int:
    result = SyncExchange(cli.till).export(cli.args.out, cli.args.since)
    if result.path is None:
        text = "Nothing new to export."
    else:
        text = (
            f"Exported events {result.first_seq}–{result.last_seq} ({result.count}) "
            f"to {result.path}."
        )
    cli.emit({**result.__dict__, "path": str(result.path) if result.path else None}, text)
    return int(ExitCode.OK)


def _import(cli: Cli) -> int:
    result = SyncExchange(cli.till).import_file(cli.args.file)
    text = (
        f"Till {result.terminal_number}: {result.applied} new events applied, "
        f"{result.skipped} already here."
    )
    cli.emit(result, text)
    return int(ExitCode.OK)


def _pair_create(cli: Cli) -> int:
    result = create_pairing(cli.till, cli.args.till, cli.args.out)
    cli.emit(
        {"till_number": result.till_number, "shop_id": result.shop_id, "file": str(cli.args.out)},
        f"Pairing file for till {result.till_number} written to {cli.args.out}. It holds the "
        "shop's key: carry it to the new till and delete it after use.",
    )
    return int(ExitCode.OK)


def _pair_join(cli: Cli) -> int:
    result = join_pairing(cli.till, cli.args.file)
    cli.emit(
        result,
        f"This is now till {result.till_number} of {result.shop_name}. Import the other tills' "
        "bundles (or pull from the hub) to get the customers.",
    )
    return int(ExitCode.OK)


def _hub(cli: Cli) -> int:
    result = sync_with_hub(cli.till, cli.args.server, push=cli.args.push, pull=cli.args.pull)
    parts = []
    if cli.args.push:
        parts.append(f"pushed {result.pushed} events")
    if cli.args.pull:
        parts.append(f"applied {result.pulled} events from other tills")
    cli.emit(result, "Sync server: " + ", ".join(parts) + ".")
    return int(ExitCode.OK)


def _folder(cli: Cli) -> int:
    """One round; a refused file is reported (exit code REFUSED) but never stops the others."""
    result = FolderSync(cli.till).run_round(cli.args.dir)
    lines = [
        f"Wrote {result.exported} events of this till to {result.export_file}."
        if result.export_file
        else "Nothing new of this till to write.",
        f"Applied {result.applied} events from {len(result.files) - len(result.refused)} "
        f"bundles; {result.already_applied} bundles were already here.",
    ]
    if result.export_error:
        lines.append(result.export_error.message)
    lines += [f"Refused {f.name}: {f.refused.message}" for f in result.refused if f.refused]
    cli.emit({**result.to_dict(), "ok": result.ok}, "\n".join(lines))
    return int(ExitCode.OK if result.ok else ExitCode.REFUSED)


def _status(cli: Cli) -> int:
    status = SyncExchange(cli.till).status()
    lines = [
        f"This is till {status.terminal_number}: {status.local_events} events of its own, "
        f"{status.waiting} not yet exported or pushed.",
        f"Last export/push: {status.last_export_at or 'never'}; "
        f"last import/pull: {status.last_import_at or 'never'}.",
    ]
    lines += [f"Till {p['number']}: {p['events']} events here." for p in status.peers]
    if status.open_conflicts:
        lines.append(f"{status.open_conflicts} conflicts to look at: run `sync conflicts`.")
    cli.emit(status, "\n".join(lines))
    return int(ExitCode.OK)


_KINDS = {
    "points_overspent": "points spent twice on two tills offline; the balance went below zero",
    "card_assigned_twice": "the same card was given to two customers",
    "sale_on_blocked_card": "a sale was made with a card another till had blocked",
}


def _conflicts(cli: Cli) -> int:
    rows = SyncExchange(cli.till).conflicts()
    text = "\n".join(
        f"{row['created_at'][:16]}  {_KINDS.get(row['kind'], row['kind'])} ({row['subject']})"
        for row in rows
    )
    cli.emit({"conflicts": rows}, text or "No conflicts.")
    return int(ExitCode.OK)

"""``sync ...``: bundles between tills, pairing, the PostgreSQL hub, and the sync status.

sync export --out DIR [--since SEQ]    write this till's new events to a signed bundle
sync import FILE                       verify and apply another till's bundle
sync pair-create --till N --out FILE   a one-time pairing file for new till number N
sync pair-join FILE                    make this new till a till of that shop
sync push|pull|run --server URL        exchange events with a PostgreSQL hub
sync folder DIR                        one folder-sync round: export news, import others'
sync status                            till number, events waiting, peers, conflicts
sync conflicts                         what two tills did offline that needs a look
sync settle ID                         mark one of those conflicts as dealt with
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from terminal.cli.context import Cli, ExitCode
from terminal.cli.language import cli_help
from terminal.core.errors import ERRORS_CONTEXT
from terminal.core.sentences import QT_TRANSLATE_NOOP, Count, Day, Sentence
from terminal.sync.bundle import Manifest
from terminal.sync.exchange import BIG_BATCH, SyncExchange
from terminal.sync.folder import FolderSync, Reason
from terminal.sync.hub import sync_with_hub
from terminal.sync.pairing import create_pairing, join_pairing


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    sync = sub.add_parser(
        "sync", help=cli_help("share customers and sales with the shop's other tills")
    )
    commands = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)

    export = commands.add_parser(
        "export", help=cli_help("write this till's new events to a signed bundle"), parents=[common]
    )
    export.add_argument(
        "--out", type=Path, required=True, help=cli_help("folder for the bundle file")
    )
    export.add_argument(
        "--since",
        type=int,
        default=None,
        help=cli_help(
            "export events after this sequence number (default: after the last export/push; "
            "0 exports everything)"
        ),
    )
    export.set_defaults(handler=_export)

    imp = commands.add_parser(
        "import", help=cli_help("verify and apply another till's bundle"), parents=[common]
    )
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=_import)

    pair = commands.add_parser(
        "pair-create",
        help=cli_help("make a one-time pairing file for a new till"),
        parents=[common],
    )
    pair.add_argument(
        "--till", type=int, required=True, help=cli_help("the new till's number (1-99)")
    )
    pair.add_argument(
        "--out", type=Path, required=True, help=cli_help("where to write the pairing file")
    )
    pair.set_defaults(handler=_pair_create)

    join = commands.add_parser(
        "pair-join",
        help=cli_help("join a shop with a pairing file (new till only)"),
        parents=[common],
    )
    join.add_argument("file", type=Path)
    join.set_defaults(handler=_pair_join, makes_database=True)

    for name, push, pull, what in (
        ("push", True, False, cli_help("send this till's new events to the hub")),
        ("pull", False, True, cli_help("fetch and apply the other tills' events from the hub")),
        ("run", True, True, cli_help("push, then pull")),
    ):
        hub = commands.add_parser(name, help=what, parents=[common])
        hub.add_argument(
            "--server", required=True, help=cli_help("postgresql://user@host:port/database")
        )
        hub.set_defaults(handler=_hub, push=push, pull=pull)

    folder = commands.add_parser(
        "folder",
        help=cli_help(
            "one round of folder sync: write this till's news to DIR, apply other tills' "
            "bundles found there"
        ),
        parents=[common],
    )
    folder.add_argument(
        "dir", type=Path, help=cli_help("the shared or USB folder the tills sync through")
    )
    folder.set_defaults(handler=_folder)

    status = commands.add_parser(
        "status", help=cli_help("till number, events waiting, peers"), parents=[common]
    )
    status.set_defaults(handler=_status)

    conflicts = commands.add_parser(
        "conflicts",
        help=cli_help("list what two tills did offline that the owner should look at"),
        parents=[common],
    )
    conflicts.set_defaults(handler=_conflicts)

    settle = commands.add_parser(
        "settle",
        help=cli_help(
            "mark a conflict as dealt with: it leaves the list here, and on the other tills "
            "with this till's next news"
        ),
        parents=[common],
    )
    settle.add_argument("id", help=cli_help("the conflict, as `sync conflicts` shows it"))
    settle.set_defaults(handler=_settle)


def _events(n: int) -> Count:
    return Count("Cli", "%n event(s)", n)


def _before_a_long_wait(cli: Cli, count: int, template: str, events: Count, till: int) -> None:
    """A bundle of ``BIG_BATCH`` events or more takes a while (a million: ~12 s to write, well
    over half a minute to apply): say what is being done first, on stderr, so stdout keeps the
    one result line or JSON object it is."""
    if count >= BIG_BATCH and not cli.json:
        print(cli.translate(template, events=events, number=till), file=sys.stderr, flush=True)


def _export(cli: Cli) -> int:
    def writing(manifest: Manifest) -> None:
        _before_a_long_wait(
            cli,
            manifest.count,
            QT_TRANSLATE_NOOP("Cli", "Writing {events} of till {number} to a bundle…"),
            _events(manifest.count),
            manifest.terminal_number,
        )

    result = SyncExchange(cli.till).export(cli.args.out, cli.args.since, writing=writing)

    def text() -> str:
        if result.path is None:
            return cli.translate(QT_TRANSLATE_NOOP("Cli", "Nothing new to export."))
        return cli.translate(
            QT_TRANSLATE_NOOP("Cli", "Exported events {first}–{last} ({count}) to {path}."),
            first=result.first_seq,
            last=result.last_seq,
            count=result.count,
            path=result.path,
        )

    cli.emit({**result.__dict__, "path": str(result.path) if result.path else None}, text)
    return int(ExitCode.OK)


def _import(cli: Cli) -> int:
    def applying(manifest: Manifest, new: int) -> None:
        _before_a_long_wait(
            cli,
            new,
            QT_TRANSLATE_NOOP("Cli", "Checking and applying {events} of till {number}…"),
            Count("Cli", "%n new event(s)", new),
            manifest.terminal_number,
        )

    result = SyncExchange(cli.till).import_file(cli.args.file, alone=True, applying=applying)
    cli.emit(
        result,
        lambda: cli.translate(
            QT_TRANSLATE_NOOP("Cli", "Till {number}: {applied} applied, {skipped} already here."),
            number=result.terminal_number,
            applied=Count("Cli", "%n new event(s)", result.applied),
            skipped=result.skipped,
        ),
    )
    return int(ExitCode.OK)


def _pair_create(cli: Cli) -> int:
    result = create_pairing(cli.till, cli.args.till, cli.args.out)
    cli.emit(
        {"till_number": result.till_number, "shop_id": result.shop_id, "file": str(cli.args.out)},
        lambda: cli.translate(
            QT_TRANSLATE_NOOP(
                "Cli",
                "Pairing file for till {number} written to {path}. It holds the shop's key: carry "
                "it to the new till and delete it after use.",
            ),
            number=result.till_number,
            path=cli.args.out,
        ),
    )
    return int(ExitCode.OK)


def _pair_join(cli: Cli) -> int:
    result = join_pairing(cli.till, cli.args.file)

    def text() -> str:
        if result.renumbered_from:
            return cli.translate(
                QT_TRANSLATE_NOOP(
                    "Cli",
                    "This is now till {number} (it was till {old}): the cards it gives from now "
                    "on carry the new number. The other tills learn it with this till's next "
                    "news.",
                ),
                number=result.till_number,
                old=result.renumbered_from,
            )
        return cli.translate(
            QT_TRANSLATE_NOOP(
                "Cli",
                "This is now till {number} of {shop}. Import the other tills' bundles (or pull "
                "from the hub) to get the customers.",
            ),
            number=result.till_number,
            shop=result.shop_name,
        )

    cli.emit(result, text)
    return int(ExitCode.OK)


def _hub(cli: Cli) -> int:
    result = sync_with_hub(cli.till, cli.args.server, push=cli.args.push, pull=cli.args.pull)
    if cli.args.push and cli.args.pull:
        template = QT_TRANSLATE_NOOP(
            "Cli", "Sync server: pushed {pushed}, applied {pulled} from other tills."
        )
    elif cli.args.push:
        template = QT_TRANSLATE_NOOP("Cli", "Sync server: pushed {pushed}.")
    else:
        template = QT_TRANSLATE_NOOP("Cli", "Sync server: applied {pulled} from other tills.")
    cli.emit(
        result,
        lambda: cli.translate(
            template, pushed=_events(result.pushed), pulled=_events(result.pulled)
        ),
    )
    return int(ExitCode.OK)


def _reason(cli: Cli, reason: Reason) -> str:
    """A refusal the folder round recorded (an error's template and parameters), translated."""
    return cli.sentence(Sentence(reason.template, context=ERRORS_CONTEXT, **reason.params))


def _folder(cli: Cli) -> int:
    """One round; a refused file is reported (exit code REFUSED) but never stops the others."""
    result = FolderSync(cli.till).run_round(cli.args.dir)

    def text() -> str:
        t = cli.translate
        lines = [
            t(
                QT_TRANSLATE_NOOP("Cli", "Wrote {events} of this till to {file}."),
                events=_events(result.exported),
                file=result.export_file,
            )
            if result.export_file
            else t(QT_TRANSLATE_NOOP("Cli", "Nothing new of this till to write.")),
            t(
                QT_TRANSLATE_NOOP(
                    "Cli", "Applied {events} from {bundles}; {already} already here."
                ),
                events=_events(result.applied),
                bundles=Count("Cli", "%n bundle(s)", len(result.files) - len(result.refused)),
                already=Count("Cli", "%n bundle(s)", result.already_applied),
            ),
        ]
        if result.export_error:
            lines.append(_reason(cli, result.export_error))
        lines += [
            t(
                QT_TRANSLATE_NOOP("Cli", "Refused {file}: {reason}"),
                file=f.name,
                reason=_reason(cli, f.refused),
            )
            for f in result.refused
            if f.refused
        ]
        return "\n".join(lines)

    cli.emit({**result.to_dict(), "ok": result.ok}, text)
    return int(ExitCode.OK if result.ok else ExitCode.REFUSED)


def _moment(cli: Cli, stamp: str | None) -> str:
    """When a sync last happened (stored as ISO text), or "never"."""
    if not stamp:
        return cli.translate(QT_TRANSLATE_NOOP("Cli", "never"))
    moment = datetime.fromisoformat(stamp)
    return cli.translate(
        QT_TRANSLATE_NOOP("Cli", "{day} {time}"), day=Day(moment), time=f"{moment:%H:%M}"
    )


def _status(cli: Cli) -> int:
    status = SyncExchange(cli.till).status()

    def text() -> str:
        t = cli.translate
        lines = [
            t(
                QT_TRANSLATE_NOOP(
                    "Cli", "This is till {number}: {own}, {waiting} not yet exported or pushed."
                ),
                number=status.terminal_number,
                own=Count("Cli", "%n event(s) of its own", status.local_events),
                waiting=status.waiting,
            ),
            t(
                QT_TRANSLATE_NOOP("Cli", "Last export/push: {sent}; last import/pull: {received}."),
                sent=_moment(cli, status.last_export_at),
                received=_moment(cli, status.last_import_at),
            ),
        ]
        lines += [
            t(
                QT_TRANSLATE_NOOP("Cli", "Till {number}: {events} here."),
                number=peer["number"],
                events=_events(peer["events"]),
            )
            for peer in status.peers
        ]
        if status.open_conflicts:
            lines.append(
                t(
                    QT_TRANSLATE_NOOP("Cli", "{conflicts} to look at: run `sync conflicts`."),
                    conflicts=Count("Cli", "%n conflict(s)", status.open_conflicts),
                )
            )
        return "\n".join(lines)

    cli.emit(status, text)
    return int(ExitCode.OK)


_KINDS = {
    "points_overspent": QT_TRANSLATE_NOOP(
        "Cli",
        "points used twice on two tills offline (spent, or taken back by two refunds); the "
        "balance went below zero",
    ),
    "points_debt_unsettled": QT_TRANSLATE_NOOP(
        "Cli",
        "points taken back on one till were not known to another that gave points meanwhile; "
        "the balance is right, the points lots hold more",
    ),
    "card_assigned_twice": QT_TRANSLATE_NOOP("Cli", "the same card was given to two customers"),
    "sale_on_blocked_card": QT_TRANSLATE_NOOP(
        "Cli", "a sale was made with a card another till had blocked"
    ),
    "sale_refunded_twice": QT_TRANSLATE_NOOP(
        "Cli", "a sale was refunded on two tills offline; more money went back than its check"
    ),
    "till_number_twice": QT_TRANSLATE_NOOP(
        "Cli",
        "two tills use the same till number (one pairing file used on both); the card numbers "
        "they give out can clash: make a pairing file with a new number and join it on one of "
        "them (`sync pair-join`), which takes the new number",
    ),
}


def _conflicts(cli: Cli) -> int:
    rows = SyncExchange(cli.till).conflicts()

    def text() -> str:
        if not rows:
            return cli.translate(QT_TRANSLATE_NOOP("Cli", "No conflicts."))
        return "\n".join(
            f"{_moment(cli, row['created_at'][:16])}  "
            f"{cli.translate(_KINDS[row['kind']]) if row['kind'] in _KINDS else row['kind']} "
            f"({row['subject']})\n    {row['id']}"
            for row in rows
        )

    cli.emit({"conflicts": rows}, text)
    return int(ExitCode.OK)


def _settle(cli: Cli) -> int:
    SyncExchange(cli.till).settle_conflict(cli.args.id, None)
    cli.emit(
        {"settled": cli.args.id},
        lambda: cli.translate(
            QT_TRANSLATE_NOOP(
                "Cli",
                "Marked as dealt with; the other tills hear of it with this till's next news.",
            )
        ),
    )
    return int(ExitCode.OK)

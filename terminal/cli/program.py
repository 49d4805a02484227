"""``program show|export|import|history``: the owner's program from the command line."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from terminal.app.program import ProgramBook, ProgramInfo, describe_changes
from terminal.cli.context import Cli
from terminal.cli.language import cli_help
from terminal.core.program import ProgramKind
from terminal.core.sentences import QT_TRANSLATE_NOOP, Count, Day, Listing, Percent, Sentence


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    program = sub.add_parser(
        "program", help=cli_help("show, export or import the loyalty program"), parents=[common]
    )
    psub = program.add_subparsers(dest="program_command", metavar="ACTION", required=True)
    show = psub.add_parser("show", help=cli_help("the program in force"), parents=[common])
    show.add_argument("--version", type=int, default=None, help=cli_help("an earlier version"))
    show.set_defaults(handler=_show)
    export = psub.add_parser(
        "export", help=cli_help("write the program to a JSON file"), parents=[common]
    )
    export.add_argument("file")
    export.set_defaults(handler=_export)
    imp = psub.add_parser(
        "import",
        help=cli_help("save a program from a JSON file as the next version"),
        parents=[common],
    )
    imp.add_argument("file")
    imp.set_defaults(handler=_import)
    history = psub.add_parser("history", help=cli_help("every saved version"), parents=[common])
    history.set_defaults(handler=_history)


# The program's money fields (minor units inside). ``--json`` writes them as every command
# writes money, "10000.00"; ``program export`` keeps the file format ``program import`` reads
# (minor units), so a file round-trips unchanged.
_PROGRAM_MONEY = ("point_value", "min_check_to_earn", "referral_min_first_check")


def _as_json(cli: Cli, info: ProgramInfo) -> dict[str, Any]:
    program = info.program.to_dict()
    for name in _PROGRAM_MONEY:
        program[name] = cli.money(program[name])
    for tier in program["tiers"]:
        tier["threshold"] = cli.money(tier["threshold"])
    return {
        "version": info.version,
        "created_at": info.created_at.isoformat(),
        "created_by": info.created_by,
        "note": info.note,
        "program": program,
    }


_KINDS = {
    ProgramKind.BONUS: QT_TRANSLATE_NOOP("Cli", "points on what is paid"),
    ProgramKind.DISCOUNT: QT_TRANSLATE_NOOP("Cli", "a discount off the check"),
    ProgramKind.HYBRID: QT_TRANSLATE_NOOP("Cli", "a discount and points"),
}


def _when(cli: Cli, moment: datetime) -> str:
    return cli.translate(
        QT_TRANSLATE_NOOP("Cli", "{day} {time}"), day=Day(moment), time=f"{moment:%H:%M}"
    )


def summary(cli: Cli, info: ProgramInfo) -> str:
    """The program in plain words, in the shop's language."""
    p = info.program
    t = cli.translate
    lines = [
        t(
            QT_TRANSLATE_NOOP("Cli", "Program version {version} ({when}, {by}): {kind}"),
            version=info.version,
            when=_when(cli, info.created_at),
            by=info.created_by or "—",
            kind=t(_KINDS[p.kind]),
        )
    ]
    for tier in p.tiers:
        rates = []
        if p.earns_points:
            rates.append(
                Sentence(
                    QT_TRANSLATE_NOOP("Cli", "{rate} % points"),
                    context="Cli",
                    rate=Percent(tier.earn_bp),
                )
            )
        if p.gives_discount:
            rates.append(
                Sentence(
                    QT_TRANSLATE_NOOP("Cli", "{rate} % discount"),
                    context="Cli",
                    rate=Percent(tier.discount_bp),
                )
            )
        line = t(
            QT_TRANSLATE_NOOP("Cli", "{tier}: from {threshold} paid — {rates}"),
            tier=tier.name,
            threshold=cli.amount(tier.threshold),
            rates=Listing(tuple(rates)),
        )
        lines.append(f"  {line}")
    if p.earns_points:
        params = {"value": cli.amount(p.point_value), "cap": Percent(p.redeem_cap_bp)}
        if p.expiry_days:
            line = t(
                QT_TRANSLATE_NOOP(
                    "Cli",
                    "1 point = {value}; points pay up to {cap} % of a check; they expire after "
                    "{days}",
                ),
                days=Count("Cli", "%n day(s)", p.expiry_days),
                **params,
            )
        else:
            line = t(
                QT_TRANSLATE_NOOP(
                    "Cli",
                    "1 point = {value}; points pay up to {cap} % of a check; they never expire",
                ),
                **params,
            )
        lines.append(f"  {line}")
        line = t(
            QT_TRANSLATE_NOOP(
                "Cli",
                "Welcome {welcome}, birthday {birthday} ({window}), referral {referrer}/{newcomer}",
            ),
            welcome=p.welcome_points,
            birthday=p.birthday_points,
            window=t(
                QT_TRANSLATE_NOOP("Cli", "±{days}"),
                days=Count("Cli", "%n day(s)", p.birthday_window_days),
            ),
            referrer=p.referral_referrer_points,
            newcomer=p.referral_newcomer_points,
        )
        lines.append(f"  {line}")
    for promo in p.promotions:
        lines.append("  " + t(QT_TRANSLATE_NOOP("Cli", "Promotion: {label}"), label=promo.label()))
    if p.promotions:
        how = (
            QT_TRANSLATE_NOOP("Cli", "Overlapping promotions: the best one")
            if p.stacking == "best"
            else QT_TRANSLATE_NOOP("Cli", "Overlapping promotions: add up")
        )
        lines.append(f"  {t(how)}")
    if p.categories:
        categories = ", ".join(p.categories)
        lines.append("  " + t(QT_TRANSLATE_NOOP("Cli", "Categories: {list}"), list=categories))
    return "\n".join(lines)


def _note(cli: Cli, note: str) -> str:
    """A version's note; the ones the program writes (the first version's, an import's) are
    translated, the owner's own are shown as written."""
    if note == _FIRST:
        return cli.translate(QT_TRANSLATE_NOOP("Cli", "Default program"))
    if note.startswith(_IMPORTED) and len(note) > len(_IMPORTED):
        return cli.translate(
            QT_TRANSLATE_NOOP("Cli", "Imported from {file}"), file=note[len(_IMPORTED) :]
        )
    return note


_IMPORTED = "Imported from "  # how ProgramBook.import_json notes a version (in English)
_FIRST = "Default program"  # the note of version 1, written when the till is first opened


def _show(cli: Cli) -> int:
    book = ProgramBook(cli.till)
    info = book.get(cli.args.version) if cli.args.version is not None else book.current()
    cli.emit(_as_json(cli, info), lambda: summary(cli, info))
    return 0


def _export(cli: Cli) -> int:
    book = ProgramBook(cli.till)
    out = book.export_json(cli.args.file)
    info = book.current()
    cli.emit(
        {"version": info.version, "file": str(out)},
        lambda: cli.translate(
            QT_TRANSLATE_NOOP("Cli", "Program version {version} written to {path}."),
            version=info.version,
            path=out,
        ),
    )
    return 0


def _import(cli: Cli) -> int:
    book = ProgramBook(cli.till)
    before = book.current()
    info = book.import_json(cli.args.file, actor="cli")
    changes = describe_changes(before.program, info.program, cli.decimals())
    data = _as_json(cli, info) | {"changes": changes}
    cli.emit(
        data,
        lambda: (
            cli.translate(
                QT_TRANSLATE_NOOP("Cli", "Saved as program version {version}:"),
                version=info.version,
            )
            + "".join(f"\n  - {cli.sentence(line)}" for line in changes)
        ),
    )
    return 0


def _history(cli: Cli) -> int:
    versions = ProgramBook(cli.till).history()
    cli.emit(
        {"versions": [_as_json(cli, v) for v in versions]},
        lambda: "\n".join(
            f"{v.version:>3}  {_when(cli, v.created_at)}  {v.created_by or '—':<10}  "
            f"{_note(cli, v.note)}"
            for v in versions
        ),
    )
    return 0

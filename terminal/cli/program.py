"""``program show|export|import|history``: the owner's program from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.app.program import ProgramBook, ProgramInfo, describe_changes
from terminal.cli.context import Cli
from terminal.core.errors import QT_TRANSLATE_NOOP
from terminal.core.money import format_amount
from terminal.core.program import ProgramKind, format_bp


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    program = sub.add_parser(
        "program", help="show, export or import the loyalty program", parents=[common]
    )
    psub = program.add_subparsers(dest="program_command", metavar="ACTION", required=True)
    show = psub.add_parser("show", help="the program in force", parents=[common])
    show.add_argument("--version", type=int, default=None, help="an earlier version")
    show.set_defaults(handler=_show)
    export = psub.add_parser("export", help="write the program to a JSON file", parents=[common])
    export.add_argument("file")
    export.set_defaults(handler=_export)
    imp = psub.add_parser(
        "import", help="save a program from a JSON file as the next version", parents=[common]
    )
    imp.add_argument("file")
    imp.set_defaults(handler=_import)
    history = psub.add_parser("history", help="every saved version", parents=[common])
    history.set_defaults(handler=_history)


def _as_json(info: ProgramInfo) -> dict[str, Any]:
    return {
        "version": info.version,
        "created_at": info.created_at.isoformat(),
        "created_by": info.created_by,
        "note": info.note,
        "program": info.program.to_dict(),
    }


def summary(info: ProgramInfo, decimals: int) -> str:
    p = info.program
    money = lambda minor: format_amount(minor, decimals)  # noqa: E731
    kind = {
        ProgramKind.BONUS: "points on what is paid",
        ProgramKind.DISCOUNT: "a discount off the check",
        ProgramKind.HYBRID: "a discount and points",
    }[p.kind]
    lines = [
        f"Program version {info.version} ({info.created_at:%Y-%m-%d %H:%M}, "
        f"{info.created_by or '—'}): {kind}"
    ]
    for tier in p.tiers:
        rates = []
        if p.earns_points:
            rates.append(f"{format_bp(tier.earn_bp)} % points")
        if p.gives_discount:
            rates.append(f"{format_bp(tier.discount_bp)} % discount")
        lines.append(f"  {tier.name}: from {money(tier.threshold)} paid — {', '.join(rates)}")
    if p.earns_points:
        expiry = f"after {p.expiry_days} days" if p.expiry_days else "never"
        lines.append(
            f"  1 point = {money(p.point_value)}; points pay up to "
            f"{format_bp(p.redeem_cap_bp)} % of a check; they expire {expiry}"
        )
        lines.append(
            f"  Welcome {p.welcome_points}, birthday {p.birthday_points} "
            f"(±{p.birthday_window_days} days), referral {p.referral_referrer_points}"
            f"/{p.referral_newcomer_points}"
        )
    for promo in p.promotions:
        lines.append(f"  Promotion: {promo.label()}")
    if p.promotions:
        lines.append(
            f"  Overlapping promotions: {'the best one' if p.stacking == 'best' else 'add up'}"
        )
    if p.categories:
        lines.append(f"  Categories: {', '.join(p.categories)}")
    return "\n".join(lines)


def _show(cli: Cli) -> int:
    book = ProgramBook(cli.till)
    info = book.get(cli.args.version) if cli.args.version else book.current()
    cli.emit(_as_json(info), lambda: summary(info, cli.decimals()))
    return 0


def _export(cli: Cli) -> int:
    book = ProgramBook(cli.till)
    out = book.export_json(cli.args.file)
    info = book.current()
    cli.emit(
        {"version": info.version, "file": str(out)},
        f"Program version {info.version} written to {out}.",
    )
    return 0


def _import(cli: Cli) -> int:
    book = ProgramBook(cli.till)
    before = book.current()
    info = book.import_json(cli.args.file, actor="cli")
    changes = describe_changes(before.program, info.program, cli.decimals())
    data = _as_json(info) | {"changes": changes}
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
        {"versions": [_as_json(v) for v in versions]},
        lambda: "\n".join(
            f"{v.version:>3}  {v.created_at:%Y-%m-%d %H:%M}  {v.created_by or '—':<10}  {v.note}"
            for v in versions
        ),
    )
    return 0

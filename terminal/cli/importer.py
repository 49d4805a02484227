"""``import customers FILE`` and ``export customers --out FILE``: the shop's list in and out."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.app.customer_export import CustomerExport
from terminal.app.importer import Importer, parse_mapping, read_sheet
from terminal.cli.context import Cli, ExitCode
from terminal.cli.language import cli_help
from terminal.core.import_rows import FIELDS, guess_mapping
from terminal.core.sentences import QT_TRANSLATE_NOOP, Count


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    imp = sub.add_parser(
        "import", help=cli_help("import customers from CSV or Excel"), parents=[common]
    )
    isub = imp.add_subparsers(dest="import_command", metavar="WHAT", required=True)
    customers = isub.add_parser(
        "customers",
        help=cli_help("customers, their cards and opening balances from a .csv or .xlsx file"),
        parents=[common],
    )
    customers.add_argument(
        "file", help=cli_help("the .csv or .xlsx file; the first row holds headers")
    )
    customers.add_argument(
        "--map",
        default="",
        help=cli_help(
            "which column holds which field, e.g. name=Client,phone=3 (fields: {fields}); "
            "columns by header or 1-based number; the rest is guessed"
        ).format(fields=", ".join(FIELDS)),
    )
    customers.add_argument(
        "--dry-run",
        action="store_true",
        help=cli_help("list the rows that would be refused; write nothing"),
    )
    customers.add_argument(
        "--skip-refused",
        action="store_true",
        help=cli_help("import the good rows, leave the refused ones"),
    )
    customers.set_defaults(handler=_import)

    exp = sub.add_parser(
        "export", help=cli_help("export customers to CSV or Excel"), parents=[common]
    )
    esub = exp.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    out = esub.add_parser(
        "customers", help=cli_help("every customer with consent status"), parents=[common]
    )
    out.add_argument("--out", required=True, help=cli_help("FILE.csv or FILE.xlsx"))
    out.set_defaults(handler=_export)


def _import(cli: Cli) -> int:
    sheet = read_sheet(cli.args.file)
    mapping = guess_mapping(sheet.headers)
    mapping.update(parse_mapping(cli.args.map, sheet.headers))
    importer = Importer(cli.till)
    dry = importer.dry_run(sheet, mapping)
    columns = {name: sheet.headers[index] for name, index in mapping.items()}
    if cli.args.dry_run or (dry.refused and not cli.args.skip_refused):
        data = {
            "file": dry.file_name,
            "columns": columns,
            "rows": dry.rows,
            "good": dry.good,
            "opening_points": dry.opening_points,
            "new_cards": dry.new_cards,
            "refused": [{"line": r.line, "reasons": list(r.reasons)} for r in dry.refused],
            "written": False,
        }

        def text() -> str:
            t = cli.translate
            listing = ", ".join(f"{k} ← “{v}”" for k, v in columns.items())
            lines = [
                t(QT_TRANSLATE_NOOP("Cli", "Columns: {columns}"), columns=listing),
                t(
                    QT_TRANSLATE_NOOP(
                        "Cli",
                        "{rows}: {good} can be imported, {refused} would be refused; {points} "
                        "opening points, {cards} new cards.",
                    ),
                    rows=Count("Cli", "%n row(s)", dry.rows),
                    good=dry.good,
                    refused=len(dry.refused),
                    points=dry.opening_points,
                    cards=dry.new_cards,
                ),
            ]
            for r in dry.refused:
                reasons = "; ".join(cli.sentence(reason) for reason in r.reasons)
                row = t(
                    QT_TRANSLATE_NOOP("Cli", "line {line}: {reasons}"), line=r.line, reasons=reasons
                )
                lines.append(f"  {row}")
            if not cli.args.dry_run:
                lines.append(
                    t(
                        QT_TRANSLATE_NOOP(
                            "Cli",
                            "Nothing was imported. Fix those rows, or run again with "
                            "--skip-refused.",
                        )
                    )
                )
            return "\n".join(lines)

        cli.emit(data, text)
        return ExitCode.OK if cli.args.dry_run else ExitCode.INVALID_INPUT
    result = importer.apply(sheet, mapping, skip_refused=cli.args.skip_refused)
    cli.emit(
        result,
        lambda: cli.translate(
            QT_TRANSLATE_NOOP(
                "Cli",
                "Imported {customers} from {file} ({skipped} refused rows skipped, {points} "
                "opening points, {cards} new card numbers).",
            ),
            customers=Count("Cli", "%n customer(s)", result.imported),
            file=result.file_name,
            skipped=result.skipped,
            points=result.opening_points,
            cards=result.new_cards,
        ),
    )
    return ExitCode.OK


def _export(cli: Cli) -> int:
    result = CustomerExport(cli.till).write(cli.args.out)
    cli.emit(
        result,
        lambda: cli.translate(
            QT_TRANSLATE_NOOP(
                "Cli", "Exported {customers} ({with_consent} agreed to messages) to {path}."
            ),
            customers=Count("Cli", "%n customer(s)", result.customers),
            with_consent=result.with_consent,
            path=result.path,
        ),
    )
    return ExitCode.OK

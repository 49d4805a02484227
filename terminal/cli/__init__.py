"""The ``loyalty-terminal`` command: the GUI by default, scriptable sub-commands otherwise.

Sub-commands call the same ``terminal.app`` use cases as the GUI. Each command group lives in its
own module and registers itself through ``register(subparsers)``; ``main(argv) -> int`` never
raises for a user's mistake: it prints one plain sentence on stderr and returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import io
import logging
import sys
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from typing import NoReturn

from terminal import __version__
from terminal.cli.context import INTERRUPTED, ExitCode, print_json_error, run_command
from terminal.cli.language import argparse_text, cli_help, install_cli_language

log = logging.getLogger("cli")

# Command groups, each a module with ``register(subparsers, common)``.
COMMAND_MODULES = (
    "terminal.cli.customers",
    "terminal.cli.sales",
    "terminal.cli.maintenance",
    "terminal.cli.cards",
    "terminal.cli.card_admin",
    "terminal.cli.importer",
    "terminal.cli.backup",
    "terminal.cli.privacy",
    "terminal.cli.sync",
    "terminal.cli.report",
    "terminal.cli.program",
    "terminal.cli.points",
)

# The commands that paint (card PDFs, the customer-data PDF). Painting needs a QGuiApplication,
# and it must be the process's first Qt application: the language installed before parsing
# would otherwise make a plain QCoreApplication, and Qt aborts at the first font.
PAINTING_COMMANDS = {("cards", "print"), ("cards", "batch"), ("customer-data", "export")}

# argparse's last complaint, so that --json can report it too (see ``_Parser.error``).
_complaints: list[str] = []


class _Parser(argparse.ArgumentParser):
    """argparse's parser that remembers its complaint before exiting: with --json a usage
    error must end in one JSON object too. Sub-command parsers are made of the same class."""

    def error(self, message: str) -> NoReturn:
        _complaints.append(message)
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help=cli_help("database file (default: $LOYALTY_DB, else the user data folder)"),
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help=cli_help("print one JSON object"),
    )
    parser = _Parser(
        prog="loyalty-terminal",
        description=cli_help("Loyalty-card terminal. Without a command it opens the till window."),
        parents=[common],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        # argparse passes its other texts through ``_`` but not this default: say it ourselves
        help=argparse_text("show program's version number and exit"),
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=cli_help(
            "check that this installation works (database, sale, refund, card PDF) and exit"
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def _window_request(args: list[str]) -> tuple[bool, str | None]:
    """Whether the command line only opens the till window (nothing, or just ``--db PATH``),
    and the database it names. That path skips the parser and the command line's language:
    the window makes its own QApplication and languages, and a QCoreApplication made first for
    the command line's words would stop it from starting."""
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--db":
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--db="):
        return True, args[0].removeprefix("--db=")
    return False, None


def _command_words(args: list[str]) -> tuple[str, ...]:
    """The command and its action as typed (``cards print``), read before the parser exists:
    options are skipped, ``--db`` with its value (the only option before the action that
    takes one)."""
    words: list[str] = []
    tokens = iter(args)
    for token in tokens:
        if token == "--db":
            next(tokens, None)
        elif not token.startswith("-"):
            words.append(token)
            if len(words) == 2:
                break
    return tuple(words)


def _english_complaint(parser: argparse.ArgumentParser, args: list[str]) -> str:
    """argparse's complaint in English, the stable text --json gives scripts. It was printed in
    the shop's language; parsing once more, silently and with no translator installed, gives
    the same complaint in argparse's own words."""
    from terminal.i18n_text import core_application, remove_translations

    remove_translations(core_application())
    _complaints.clear()
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            parser.parse_args(args)
    except SystemExit:
        pass
    return _complaints[-1] if _complaints else "invalid command line"


def _parse(args_list: list[str], json_wanted: bool) -> argparse.Namespace | int:
    """The parsed command line, or the exit code when argparse has already answered."""
    if "--self-test" in args_list:  # it shows a window: a QApplication before any Qt words
        from terminal.selftest import make_application

        make_application()
    elif _command_words(args_list) in PAINTING_COMMANDS:
        from PySide6.QtCore import QCoreApplication

        if QCoreApplication.instance() is None:  # else the command says what is wrong
            from terminal.cardprint.output import ensure_qt

            ensure_qt()  # before the language, which would make a QCoreApplication
    # help texts and argparse's messages are made while building and parsing: speak first
    if args_list != ["--version"]:
        install_cli_language(args_list)
    parser = build_parser()
    try:
        return parser.parse_args(args_list)
    except SystemExit as exc:  # argparse already printed its message (or the help)
        if exc.code in (0, None):
            return 0
        if json_wanted:
            print_json_error("usage", _english_complaint(parser, args_list))
        return int(ExitCode.USAGE)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    window, db = _window_request(args_list)
    if window:
        from terminal.ui.app import run_gui

        return run_gui(db or None)
    json_wanted = "--json" in args_list
    try:
        args = _parse(args_list, json_wanted)
    except KeyboardInterrupt:  # while starting: the command itself has not begun
        from terminal.i18n_text import translated

        if json_wanted:
            print_json_error("interrupted", INTERRUPTED)
        print(f"loyalty-terminal: {translated('Cli', INTERRUPTED)}", file=sys.stderr)
        return 130
    if isinstance(args, int):
        return args
    if getattr(args, "self_test", False):
        from terminal.selftest import self_test

        return self_test()
    if not getattr(args, "command", None):
        from terminal.ui.app import run_gui

        return run_gui(getattr(args, "db", None))
    return run_command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

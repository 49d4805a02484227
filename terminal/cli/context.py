"""What every sub-command shares: opening the till, printing results, turning errors into exit
codes and one plain sentence."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from terminal.app.results import to_jsonable
from terminal.core import errors
from terminal.core.errors import QT_TRANSLATE_NOOP, format_template
from terminal.core.money import format_amount
from terminal.core.sentences import Amount, Sentence
from terminal.log_file import COMMAND_LOG, configure_logging, current_log_file

if TYPE_CHECKING:
    from terminal.app.till import Till

log = logging.getLogger("cli")


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1  # ``check`` found problems
    USAGE = 2
    INVALID_INPUT = 3
    NOT_FOUND = 4
    REFUSED = 5  # a rule refused it: blocked card, redemption over the cap, refund too large
    CONFLICT = 6
    BUSY = 7
    STORAGE = 8
    INTERNAL = 70


_EXIT_BY_ERROR: list[tuple[type[errors.LoyaltyError], ExitCode]] = [
    (errors.InvalidInput, ExitCode.INVALID_INPUT),
    (errors.NotFound, ExitCode.NOT_FOUND),
    (errors.CardBlocked, ExitCode.REFUSED),
    (errors.CardUnavailable, ExitCode.CONFLICT),
    (errors.DuplicateCustomer, ExitCode.CONFLICT),
    (errors.RedemptionRefused, ExitCode.REFUSED),
    (errors.RefundRefused, ExitCode.REFUSED),
    (errors.ConflictingSaleId, ExitCode.CONFLICT),
    (errors.QuoteOutdated, ExitCode.CONFLICT),
    (errors.DatabaseBusy, ExitCode.BUSY),
    (errors.StorageError, ExitCode.STORAGE),
]


def exit_code_for(exc: errors.LoyaltyError) -> ExitCode:
    for error_type, code in _EXIT_BY_ERROR:
        if isinstance(exc, error_type):
            return code
    return ExitCode.REFUSED


class Cli:
    """Handed to every command: the open till and the output conventions."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json = bool(getattr(args, "json", False))
        self._till: Till | None = None
        self._language_for: tuple[Till | None] | None = None  # the till whose language is in

    @property
    def till(self) -> Till:
        if self._till is None:
            # imported here: the CLI's own import stays light, and so does every process that
            # imports it to start (a sync import's staging workers, sync/staging.py)
            from terminal.app.till import open_till

            self._till = open_till(
                getattr(self.args, "db", None),
                named_folder_must_exist=not getattr(self.args, "makes_database", False),
            )
        return self._till

    def adopt(self, till: Till) -> None:
        """The till a command opened itself (restore over a damaged file made a new one): the
        command's closing and its money formatting use it."""
        self._till = till

    def money(self, minor: int) -> str:
        return format_amount(minor, self.till.currency().decimals)

    def decimals(self) -> int:
        return self.till.currency().decimals

    def emit(self, result: Any, text: str | Callable[[], str]) -> None:
        """Print ``result`` as one JSON object with --json, else the human sentence(s)."""
        if self.json:
            data = to_jsonable(result, self.money)
            print(json.dumps(data, ensure_ascii=False, indent=None))
        else:
            print(text() if callable(text) else text)

    def speak_shop_language(self, *, painting: bool = False) -> None:
        """Install the shop's language before making something a person reads (a card PDF);
        ``painting`` makes the windowless Qt application that drawing needs."""
        if painting:
            from terminal.cardprint.output import ensure_qt

            ensure_qt()
        self.till  # noqa: B018 - open it: the language is a shop setting
        self._install_language()

    def _install_language(self) -> None:
        """Translate what we print: the shop's language setting, else the system's (QtCore only,
        loaded lazily, and once per command: a long listing asks for it on every line)."""
        from terminal.i18n_text import core_application, install_translations

        if self._language_for is not None and self._language_for[0] is self._till:
            return
        override = None
        if self._till is not None:
            try:
                from terminal.app.settings import get_setting

                with self._till.read() as session:
                    override = get_setting(session, "language") or None
            except Exception:  # a broken database must not hide the error we are reporting
                log.debug("language setting unreadable", exc_info=True)
        else:  # refused before the till was opened (a missing file, a bad --out): same language
            from terminal.cli.language import shop_language_of

            override = shop_language_of(getattr(self.args, "db", None))
        install_translations(core_application(), override)
        self._language_for = (self._till,)

    def translate_error(self, exc: errors.LoyaltyError) -> str:
        """The error's sentence in the shop's language."""
        from terminal.i18n_text import error_text

        self._install_language()
        return error_text(exc)

    def amount(self, minor: int) -> Amount:
        """Money of this shop's currency as a sentence parameter: the locale's separators when
        shown ("1 240,50"), the plain "1240.50" in English text."""
        return Amount(minor, self.decimals())

    def translate(self, template: str, **params: Any) -> str:
        """A ``Cli``-context sentence in the shop's language; :class:`Count`, :class:`Amount`,
        :class:`Percent` and :class:`Day` parameters are written the locale's way."""
        return self.sentence(Sentence(template, context="Cli", **params))

    def sentence(self, text: str) -> str:
        """An outcome the app layer reported (a ``Sentence``) in the shop's language — the path
        errors take, so a success reads in the same language as a refusal."""
        from terminal.i18n_text import sentence_text

        self._install_language()
        return sentence_text(text)

    def fail(self, exit_code: int, error_code: str, template: str, **params: Any) -> int:
        """Give up in one sentence: on stderr in the shop's language and, with --json, as the
        one JSON object scripts read, with the stable English sentence. Returns ``exit_code``."""
        if self.json:
            print_json_error(error_code, format_template(template, params))
        print(f"loyalty-terminal: {self.translate(template, **params)}", file=sys.stderr)
        return int(exit_code)

    def close(self) -> None:
        if self._till is not None:
            self._till.close()


def print_json_error(code: str, message: str) -> None:
    """The one JSON object a failed --json command prints: scripts read ``error.code`` and the
    English ``error.message`` whatever language the shop speaks, as for a refused sale."""
    print(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False))


INTERRUPTED = QT_TRANSLATE_NOOP("Cli", "interrupted; nothing half-written was kept.")


def run_command(args: argparse.Namespace) -> int:
    configure_logging(COMMAND_LOG)
    cli = Cli(args)
    try:
        return int(args.handler(cli) or ExitCode.OK)
    except errors.LoyaltyError as exc:
        code = exit_code_for(exc)
        if cli.json:
            print_json_error(exc.code, exc.message)
        print(f"loyalty-terminal: {cli.translate_error(exc)}", file=sys.stderr)
        return int(code)
    except KeyboardInterrupt:
        return cli.fail(130, "interrupted", INTERRUPTED)
    except Exception as exc:  # the one place that turns a bug into a calm sentence + log
        log.exception("command failed")
        log_file = current_log_file()
        if log_file is None:
            text = QT_TRANSLATE_NOOP("Cli", "unexpected error: {error}")
        else:
            text = QT_TRANSLATE_NOOP("Cli", "unexpected error: {error} (the details are in {log})")
        return cli.fail(ExitCode.INTERNAL, "internal", text, error=exc, log=log_file)
    finally:
        cli.close()

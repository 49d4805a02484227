"""The command line's language, decided before its parser is built.

Help texts and argparse's own messages (usage, headings, "the following arguments are required")
are made while the parser is built and parsed, before any command opens the till; so the shop's
language is read first, straight from the database file (read-only, no migrations, no lock), and
installed. argparse asks its module-level ``_`` and ``ngettext`` for every text it shows; they are
pointed at Qt's translators in the ``argparse`` context, whose English sources are marked below
exactly as Python 3.11's argparse spells them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from terminal.core.errors import QT_TRANSLATE_NOOP

log = logging.getLogger("cli")

ARGPARSE_CONTEXT = "argparse"

# The argparse texts a user of ``loyalty-terminal`` can meet (Python 3.11 wording).
ARGPARSE_TEXTS = (
    QT_TRANSLATE_NOOP("argparse", "usage: "),
    QT_TRANSLATE_NOOP("argparse", "positional arguments"),
    QT_TRANSLATE_NOOP("argparse", "options"),
    QT_TRANSLATE_NOOP("argparse", "show this help message and exit"),
    QT_TRANSLATE_NOOP("argparse", "show program's version number and exit"),
    QT_TRANSLATE_NOOP("argparse", "%(prog)s: error: %(message)s\n"),
    QT_TRANSLATE_NOOP("argparse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("argparse", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("argparse", "one of the arguments %s is required"),
    QT_TRANSLATE_NOOP("argparse", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("argparse", "expected one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected at most one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected at least one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected %s argument"),
    QT_TRANSLATE_NOOP("argparse", "expected %s arguments"),
    QT_TRANSLATE_NOOP("argparse", "not allowed with argument %s"),
    QT_TRANSLATE_NOOP("argparse", "ignored explicit argument %r"),
    QT_TRANSLATE_NOOP("argparse", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("argparse", "unexpected option string: %s"),
    QT_TRANSLATE_NOOP("argparse", "can't open '%(filename)s': %(error)s"),
    QT_TRANSLATE_NOOP("argparse", "unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def cli_help(text: str) -> str:
    """A help text of ours (sub-command or option) in the installed language."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("CliHelp", text)


def argparse_text(text: str) -> str:
    """argparse's ``_``: its English text, translated when a translator knows it. Also for the
    one text argparse never passes through ``_`` (``--version``'s help)."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(ARGPARSE_CONTEXT, text)


def _argparse_plural(singular: str, plural: str, count: int) -> str:
    """argparse's ``ngettext``: the English form for ``count``, then translated (our
    translations of both forms read right for any number)."""
    return argparse_text(singular if count == 1 else plural)


def shop_language(argv: Sequence[str]) -> str | None:
    """The ``language`` shop setting of the database ``argv`` names (``--db``, else
    ``$LOYALTY_DB``, else the default file), or None when there is none to read: the file does
    not exist yet, is not ours, or the setting is empty."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--db", default=None)
    try:
        known, _rest = early.parse_known_args(list(argv))
    except SystemExit:  # "--db" without a value: the real parser will say so
        return None
    return shop_language_of(known.db)


def shop_language_of(db: str | None) -> str | None:
    """The ``language`` shop setting in the database file ``db`` (else ``$LOYALTY_DB``, else the
    default file), read without opening the till: a command that fails before it opens the till
    still speaks the shop's language."""
    from terminal.app.till import default_db_path

    path = Path(db) if db else default_db_path()
    if not path.is_file():
        return None
    # Without a write-ahead log beside it the file is read as it stands (immutable): even a
    # read-only open of a WAL database leaves -wal and -shm files behind, next to a file that
    # may not be a till database at all. With a log there, a till has it open: read through it.
    wal = path.with_name(path.name + "-wal")
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    try:
        with closing(sqlite3.connect(uri, uri=True)) as db:
            row = db.execute("SELECT value FROM shop_setting WHERE key = 'language'").fetchone()
    except sqlite3.Error:  # not a till database (yet): the command itself will report it
        log.debug("no language setting in %s", path, exc_info=True)
        return None
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, str) and value else None


def install_cli_language(argv: Sequence[str]) -> str:
    """Install the shop's language (else the system's, as the app does) and make argparse speak
    it; returns the language code."""
    from terminal.i18n_text import core_application, install_translations

    language = install_translations(core_application(), shop_language(argv))
    argparse._ = argparse_text  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_plural  # type: ignore[attr-defined]
    return language

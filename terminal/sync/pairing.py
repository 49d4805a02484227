"""Pairing: a new till joins the shop by importing a one-time file that carries the shop's
identity, its signing key and the new till's number.

The file is a secret (it holds the key): the owner makes it for one till, carries it on a USB
stick, and the joining till refuses to join when it already belongs to the shop or has news of
its own. The key is never written to a log. Joining is offline, so the same file used on a
second new till cannot be refused there; sync flags the two tills under one number instead
(``apply.flag_till_number_twice``).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from terminal.app.files import partial_name
from terminal.app.settings import get_setting, put_setting
from terminal.app.till import Till, driver_connection
from terminal.core.errors import QT_TRANSLATE_NOOP
from terminal.core.money import CURRENCIES
from terminal.db.models import Terminal
from terminal.db.sync_state import put_state, state
from terminal.sync.bundle import BundleRefused, not_written
from terminal.sync.exchange import shop_key

log = logging.getLogger("sync")

PAIRING_FORMAT = "loyalty-terminal-pairing/1"


@dataclass(frozen=True)
class PairingResult:
    shop_id: str
    shop_name: str
    till_number: int
    renumbered_from: int = 0  # the number this till had, when it took a new one (see join)


def create_pairing(till: Till, number: int, out: Path) -> PairingResult:
    """Write a pairing file for till ``number`` of this shop.

    The file is written whole before the number is noted as given: a file that could not be
    written (a full stick, no right to write there) leaves the number free for the next try.
    """
    if number < 1 or number > 99:
        raise BundleRefused(QT_TRANSLATE_NOOP("Errors", "A till number is between 1 and 99."))
    key = shop_key(till)
    with till.read_driver() as db:
        _refuse_taken(db, number)
    with till.read() as s:
        shop = str(get_setting(s, "shop_id"))
        name = str(get_setting(s, "shop_name"))
        currency = str(get_setting(s, "currency"))
    data = {
        "format": PAIRING_FORMAT,
        "shop_id": shop,
        "shop_name": name,
        "currency": currency,  # so the new till shows the shop's money before its first news
        "shop_key": key.hex(),
        "till_number": number,
        "token": secrets.token_hex(8),
    }
    _write_secret(out, json.dumps(data).encode("utf-8"))
    try:
        with till.write_driver() as db:
            _refuse_taken(db, number)  # another window gave it meanwhile
            issued = set(json.loads(state(db, "paired_numbers") or "[]"))
            put_state(db, "paired_numbers", json.dumps(sorted(issued | {number})))
    except BaseException:
        out.unlink(missing_ok=True)  # a file for a number not given must not go round
        raise
    log.info("pairing file for till %d written", number)
    return PairingResult(shop, name, number)


def _refuse_taken(db: sqlite3.Connection, number: int) -> None:
    taken = {row[0] for row in db.execute("SELECT number FROM terminal")}
    issued = set(json.loads(state(db, "paired_numbers") or "[]"))
    if number in taken or number in issued:
        raise BundleRefused(
            QT_TRANSLATE_NOOP("Errors", "Till number {number} is already in use in this shop."),
            number=number,
        )


def _write_secret(out: Path, content: bytes) -> None:
    """Write the file readable by its owner alone from its first byte (it holds the shop's
    key), whole or not at all, and on the stick before the till says it is written."""
    partial = partial_name(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
                f.flush()
                os.fsync(f.fileno())
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("pairing file not written to %s: %s", out.parent, exc)
        raise not_written(
            exc,
            out.parent,
            QT_TRANSLATE_NOOP(
                "Errors",
                "The pairing file could not be written to {folder}: the disk is full. Free "
                "some space there or choose another folder; the till number is still free.",
            ),
            QT_TRANSLATE_NOOP(
                "Errors",
                "The pairing file could not be written to {folder}: {reason}. The till number "
                "is still free.",
            ),
        ) from exc


# What answering the first-start questions journals: a till with only these of its own was set
# up as a shop of its own, not used (its refusal says how joining is done instead).
_FIRST_START_EVENTS = frozenset({"settings.changed", "program.changed"})


def join_refusal(db: sqlite3.Connection, terminal_id: str) -> BundleRefused | None:
    """Why this till may not join a shop, or None: only a new, empty till may. A till holding
    its shop's news, or one other tills were paired from, would carry that shop's customers
    into the new one, or leave its tills without the till they count on."""
    own = {
        kind
        for (kind,) in db.execute(
            "SELECT DISTINCT type FROM journal_event WHERE terminal_id = ?", (terminal_id,)
        )
    }
    if own and own <= _FIRST_START_EVENTS:
        return BundleRefused(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This till was already set up as a shop of its own (its first-start questions "
                "were answered), so it cannot join another shop. A till that joins a shop "
                "does it from its first-start screen instead (“Join a shop…”), on a new, "
                "empty database.",
            )
        )
    if own:
        return BundleRefused(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This till already has its own customers or sales; only a new, empty till "
                "can join a shop.",
            )
        )
    if any(
        db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
        for table in ("journal_event", "journal_archive", "customer")
    ):
        return BundleRefused(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This till already holds customers or sales from the other tills of its shop; "
                "only a new, empty till can join a shop.",
            )
        )
    if json.loads(state(db, "paired_numbers") or "[]"):
        return BundleRefused(
            QT_TRANSLATE_NOOP(
                "Errors",
                "Other tills were paired from this one for its shop; only a new, empty till "
                "can join a shop.",
            )
        )
    return None


def join_pairing(till: Till, path: Path) -> PairingResult:
    """Make this (new) till a till of the shop in the pairing file."""
    if not Path(path).is_file():
        raise BundleRefused(QT_TRANSLATE_NOOP("Errors", "There is no file {path}."), path=path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != PAIRING_FORMAT:
            raise ValueError
        shop, key, number = str(data["shop_id"]), str(data["shop_key"]), int(data["till_number"])
        bytes.fromhex(key)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BundleRefused(
            QT_TRANSLATE_NOOP("Errors", "{path} is not a pairing file of this program."),
            path=path,
        ) from exc
    now = till.now()
    renumbered_from = 0
    with till.write() as s:
        db = driver_connection(s)
        local = s.exec(select(Terminal).where(Terminal.is_local == True)).one()  # noqa: E712
        if get_setting(s, "shop_id") == shop and get_setting(s, "shop_key"):
            # A till of the shop under a number another till has too (one pairing file used
            # on both) takes the new number of a new file; any other till of the shop has one.
            if number == local.number or not number_twice(db, till.terminal_id):
                raise BundleRefused(
                    QT_TRANSLATE_NOOP("Errors", "This till already belongs to that shop.")
                )
            if db.execute("SELECT 1 FROM terminal WHERE number = ?", (number,)).fetchone():
                raise BundleRefused(
                    QT_TRANSLATE_NOOP(
                        "Errors", "Till number {number} is already in use in this shop."
                    ),
                    number=number,
                )
            renumbered_from = local.number
        else:
            refused = join_refusal(db, till.terminal_id)
            if refused is not None:
                raise refused
            put_setting(s, "shop_id", shop, now)
            put_setting(s, "shop_key", key, now)
            if data.get("shop_name"):
                put_setting(s, "shop_name", str(data["shop_name"]), now)
            if data.get("currency") in CURRENCIES:  # files made before it was carried lack it
                put_setting(s, "currency", str(data["currency"]), now)
            # the first-start questions are the shop's, already answered on its other tills
            put_setting(s, "configured", True, now)
        local.number = number
        local.name = f"Till {number}"
        s.add(local)
    till.terminal_number = number
    if renumbered_from:
        log.info("till %d of the shop is now till %d", renumbered_from, number)
    else:
        log.info("joined shop as till %d", number)
    return PairingResult(shop, str(data.get("shop_name", "")), number, renumbered_from)


def number_twice(db: sqlite3.Connection, terminal_id: str) -> bool:
    """Whether another till of the shop known here has this till's number."""
    return (
        db.execute(
            "SELECT 1 FROM terminal t JOIN terminal mine ON mine.number = t.number "
            "WHERE mine.id = ? AND t.id != ?",
            (terminal_id, terminal_id),
        ).fetchone()
        is not None
    )

"""Folder sync: tills of a shop meet in one shared or USB folder, without a server.

One *round* (the CLI's ``sync folder DIR``; the app runs one every few minutes when the owner
chose a folder and an interval on Settings → Sync):

1. exports this till's events that the folder does not hold yet, as one signed bundle;
2. imports every other till's bundle found there that brings news, oldest first, skipping by
   file name (till number, id and sequence range) the ones already applied without opening
   them, and trying a refused one again after the others once news it depends on came in;
3. blanks the customers erased since in the folder's bundles and signs them again;
4. records what happened (``sync_state`` key ``folder_last_round``) so the screen can show it.

**The folder is the truth for what this till has put there**: the export starts after the
highest event of this till that the folder holds in one unbroken run of its own bundles, not
after the till's last export anywhere. A manual export to a USB stick or a hub push in between
therefore never leaves a gap in the folder that the other tills could not get past; and if
someone cleans the folder, the next round writes everything again (importing overlaps changes
nothing).

A bad file (changed after export, another shop's, cut short while a sync tool was still
copying it) is refused with its reason, logged once per version of the file, reported with the
round and tried again next round; it never stops the other files. Each bundle is applied in its
own transaction, all of it or nothing, by :meth:`SyncExchange.import_file`.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from terminal.app.journal import SCHEMA_VERSION
from terminal.app.privacy import blanker
from terminal.app.till import Till
from terminal.core.errors import QT_TRANSLATE_NOOP, LoyaltyError
from terminal.db import journal_archive
from terminal.db.sync_state import put_state, state
from terminal.sync.apply import known_seq
from terminal.sync.bundle import BundleRefused, read_bundle, rewrite_bundle
from terminal.sync.exchange import SyncExchange, note_activity, shop_id, shop_key

log = logging.getLogger("sync")

BUNDLE_SUFFIX = ".ltb"
# the name ``bundle.bundle_name`` gives: till<number>-<first 8 of the till id>-<first>-<last>.ltb
_NAME = re.compile(r"^till(\d+)-([0-9a-f]{8})-(\d+)-(\d+)\.ltb$")
LAST_ROUND_KEY = "folder_last_round"
REFUSED_KEY = "folder_refused_seen"

# One round at a time per process: the timer's and the owner's "Sync now" never overlap.
_ROUND_LOCK = threading.Lock()


class FolderUnavailable(LoyaltyError):
    """The sync folder is missing (USB stick unplugged, network share down) or not writable."""

    code = "sync_folder_unavailable"


class FolderSyncBusy(LoyaltyError):
    code = "sync_folder_busy"


@dataclass(frozen=True)
class Reason:
    """A sentence with its English template and parameters, so a screen can translate it."""

    message: str
    template: str
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, exc: BaseException) -> Reason:
        if isinstance(exc, LoyaltyError):
            return cls(exc.message, exc.template, {k: str(v) for k, v in exc.params.items()})
        text = str(exc) or type(exc).__name__
        return cls(text, text, {})

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "template": self.template, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reason:
        return cls(str(data["message"]), str(data["template"]), dict(data.get("params", {})))


@dataclass(frozen=True)
class FolderFile:
    """One bundle of another till that this round opened."""

    name: str
    till_number: int | None
    applied: int  # new events applied from it
    already_here: int  # events of it this till had before
    refused: Reason | None = None


@dataclass(frozen=True)
class FolderRound:
    """What one round did; ``error`` set means the folder itself could not be used."""

    folder: str
    at: datetime
    exported: int = 0  # this till's events written to the folder
    export_file: str | None = None
    export_error: Reason | None = None
    applied: int = 0  # other tills' events applied
    files: tuple[FolderFile, ...] = ()  # bundles opened (applied or refused)
    already_applied: int = 0  # bundles skipped by name: everything in them was here already
    error: Reason | None = None

    @property
    def refused(self) -> tuple[FolderFile, ...]:
        return tuple(f for f in self.files if f.refused is not None)

    @property
    def ok(self) -> bool:
        return self.error is None and self.export_error is None and not self.refused

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "at": self.at.isoformat(timespec="seconds"),
            "exported": self.exported,
            "export_file": self.export_file,
            "export_error": self.export_error.to_dict() if self.export_error else None,
            "applied": self.applied,
            "files": [
                {
                    "name": f.name,
                    "till_number": f.till_number,
                    "applied": f.applied,
                    "already_here": f.already_here,
                    "refused": f.refused.to_dict() if f.refused else None,
                }
                for f in self.files
            ],
            "already_applied": self.already_applied,
            "error": self.error.to_dict() if self.error else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FolderRound:
        def reason(value: Any) -> Reason | None:
            return Reason.from_dict(value) if value else None

        return cls(
            folder=str(data["folder"]),
            at=datetime.fromisoformat(data["at"]),
            exported=int(data.get("exported", 0)),
            export_file=data.get("export_file"),
            export_error=reason(data.get("export_error")),
            applied=int(data.get("applied", 0)),
            files=tuple(
                FolderFile(
                    f["name"],
                    f.get("till_number"),
                    int(f.get("applied", 0)),
                    int(f.get("already_here", 0)),
                    reason(f.get("refused")),
                )
                for f in data.get("files", ())
            ),
            already_applied=int(data.get("already_applied", 0)),
            error=reason(data.get("error")),
        )


@dataclass(frozen=True)
class _Named:
    """What a bundle's file name says (a hint; the signed manifest inside is what counts)."""

    path: Path
    number: int | None = None
    prefix: str | None = None
    first: int = 0
    last: int = 0


def _parse(path: Path) -> _Named:
    match = _NAME.match(path.name)
    if match is None:
        return _Named(path)
    number, prefix, first, last = match.groups()
    return _Named(path, int(number), prefix, int(first), int(last))


class FolderSync:
    """Sync this till through a folder: :meth:`run_round` does one round."""

    def __init__(self, till: Till) -> None:
        self.till = till
        self.exchange = SyncExchange(till)

    # ---- the round -------------------------------------------------------------------------

    def run_round(self, folder: Path | str) -> FolderRound:
        """Export, then import, in ``folder``; raises :class:`FolderUnavailable` (after
        recording it) when the folder cannot be used, :class:`FolderSyncBusy` when a round is
        already running."""
        if not _ROUND_LOCK.acquire(blocking=False):
            raise FolderSyncBusy(
                QT_TRANSLATE_NOOP("Errors", "A folder sync is already running; wait for it.")
            )
        try:
            return self._round(Path(folder))
        finally:
            _ROUND_LOCK.release()

    def _round(self, folder: Path) -> FolderRound:
        now = self.till.now()
        if not folder.is_dir():
            problem = FolderUnavailable(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The sync folder {folder} is not available (USB stick unplugged or network "
                    "folder offline?). Sales go on; the next round tries again.",
                ),
                folder=str(folder),
            )
            self._record(FolderRound(str(folder), now, error=Reason.of(problem)))
            log.warning("folder sync: folder %s not available", folder)
            raise problem
        found = sorted(
            (p for p in folder.iterdir() if p.name.endswith(BUNDLE_SUFFIX) and p.is_file()),
            key=lambda p: p.name,
        )
        named = [_parse(p) for p in found]
        exported, export_file, export_error = self._export(folder, named)
        files, skipped = self._import(named)
        self._blank_erased(found)
        result = FolderRound(
            folder=str(folder),
            at=now,
            exported=exported,
            export_file=export_file,
            export_error=export_error,
            applied=sum(f.applied for f in files),
            files=tuple(files),
            already_applied=skipped,
        )
        self._record(result)
        log.info(
            "folder sync: %d events exported, %d applied from %d bundles, %d refused",
            result.exported,
            result.applied,
            len(files),
            len(result.refused),
        )
        return result

    def _mine(self, item: _Named) -> bool:
        return item.number == self.till.terminal_number and item.prefix == self.till.terminal_id[:8]

    def _export(self, folder: Path, named: list[_Named]) -> tuple[int, str | None, Reason | None]:
        """Write this till's events after the last one the folder holds without a gap."""
        covered = 0
        for item in sorted((n for n in named if self._mine(n)), key=lambda n: n.first):
            if item.first > covered + 1:
                break
            covered = max(covered, item.last)
        try:
            result = self.exchange.export(folder, since=covered)
        except (OSError, LoyaltyError) as exc:
            log.warning("folder sync: export to %s failed: %s", folder, exc)
            if isinstance(exc, OSError):
                exc = FolderUnavailable(
                    QT_TRANSLATE_NOOP(
                        "Errors", "This till's news could not be written to {folder}: {reason}."
                    ),
                    folder=str(folder),
                    reason=exc.strerror or str(exc),
                )
            return 0, None, Reason.of(exc)
        return result.count, result.path.name if result.path else None, None

    def _import(self, named: list[_Named]) -> tuple[list[FolderFile], int]:
        """Apply every other till's bundle that brings news; a refused one is tried again after
        the others (it may need their news), and reported if it still cannot go in."""
        pending = sorted(
            (n for n in named if not self._mine(n)),
            key=lambda n: (n.number or 0, n.prefix or "", n.first, n.path.name),
        )
        done: list[FolderFile] = []
        skipped = 0
        refusals: dict[Path, tuple[int | None, BaseException]] = {}
        while pending:
            progress = False
            retry: list[_Named] = []
            for item in pending:
                if self._already_here(item):
                    skipped += 1
                    refusals.pop(item.path, None)
                    continue
                try:
                    outcome = self._import_one(item)
                except Exception as exc:  # one bad file never stops the round
                    if not isinstance(exc, LoyaltyError | OSError | sqlite3.Error):
                        log.exception("folder sync: %s could not be applied", item.path.name)
                    refusals[item.path] = (item.number, exc)
                    retry.append(item)
                    continue
                refusals.pop(item.path, None)
                if outcome is None or outcome.applied == 0:
                    skipped += 1  # our own bundle renamed, or a renamed one applied before
                    continue
                done.append(outcome)
                progress = True
            pending = retry if progress else []
        seen = self._refusals_seen()
        for path, (number, exc) in refusals.items():
            reason = Reason.of(exc)
            done.append(FolderFile(path.name, number, 0, 0, reason))
            self._log_refusal(path, reason, seen)
        self._save_refusals_seen(seen, {p.name for p in refusals})
        return done, skipped

    def _blank_erased(self, paths: list[Path]) -> int:
        """Privacy erasure reaching the folder: the bundles there (every till's) still hold the
        people erased since — on this till or on one whose news arrived — so the lines that
        name them are blanked and the files signed again under the shop's key. A file that
        does not verify is not the shop's to sign; one that cannot be written now (a stick
        pulled out) keeps the request for the next round. Returns how many events changed."""
        with self.till.read_driver() as db:
            customers = journal_archive.folder_scrubs(db)
        if not customers:
            return 0
        key, shop, change = shop_key(self.till), shop_id(self.till), blanker(customers)
        changed, complete = 0, True
        for path in paths:
            try:
                changed += rewrite_bundle(path, key, shop, SCHEMA_VERSION, customers, change)
            except BundleRefused:
                continue  # refused with its reason by the import step already
            except OSError as exc:
                log.warning("folder sync: could not blank erased customers in %s: %s", path, exc)
                complete = False
        if complete:
            with self.till.write_driver() as db:
                journal_archive.forget_folder_scrubs(db, customers)
        if changed:
            log.info("folder sync: erased customers blanked in %d events of the folder", changed)
        return changed

    def _already_here(self, item: _Named) -> bool:
        """True when the name says the bundle holds nothing this till lacks."""
        if item.number is None or item.prefix is None:
            return False
        with self.till.read_driver() as db:
            ids = [
                row[0]
                for row in db.execute(
                    "SELECT id FROM terminal WHERE number = ? AND is_local = 0", (item.number,)
                )
                if row[0].startswith(item.prefix)
            ]
            return len(ids) == 1 and known_seq(db, ids[0]) >= item.last

    def _import_one(self, item: _Named) -> FolderFile | None:
        if item.number is None or item.prefix == self.till.terminal_id[:8]:
            # a renamed file, or one whose id looks like ours: the signed manifest decides
            key = shop_key(self.till, make=False)
            bundle = read_bundle(item.path, key, shop_id(self.till), SCHEMA_VERSION)
            if bundle.manifest.terminal_id == self.till.terminal_id:
                return None
        result = self.exchange.import_file(item.path)
        return FolderFile(item.path.name, result.terminal_number, result.applied, result.skipped)

    # ---- what is remembered ----------------------------------------------------------------

    def _refusals_seen(self) -> dict[str, list[Any]]:
        with self.till.read_driver() as db:
            raw = state(db, REFUSED_KEY)
        return json.loads(raw) if raw else {}

    def _log_refusal(self, path: Path, reason: Reason, seen: dict[str, list[Any]]) -> None:
        """Log a refused file once per version of it (name, size, time), not every round."""
        try:
            stat = path.stat()
            version: list[Any] = [stat.st_size, stat.st_mtime_ns, reason.message]
        except OSError:
            version = [None, None, reason.message]
        if seen.get(path.name) != version:
            log.warning("folder sync: %s refused: %s", path.name, reason.message)
            seen[path.name] = version

    def _save_refusals_seen(self, seen: dict[str, list[Any]], still: set[str]) -> None:
        kept = {name: version for name, version in seen.items() if name in still}
        with self.till.write_driver() as db:
            put_state(db, REFUSED_KEY, json.dumps(kept))

    def _record(self, result: FolderRound) -> None:
        """Keep the round's outcome; news that left or arrived count as sent/received "through
        the folder" (one line for the whole round, not the round's last file)."""
        with self.till.write_driver() as db:
            put_state(db, LAST_ROUND_KEY, json.dumps(result.to_dict(), ensure_ascii=False))
            if result.exported:
                note_activity(db, "last_sent", result.at, "folder", count=result.exported)
            if result.applied:
                tills = sorted({f.till_number for f in result.files if f.applied and f.till_number})
                note_activity(
                    db, "last_received", result.at, "folder", tills=tills, count=result.applied
                )

    def last_round(self) -> FolderRound | None:
        """The last round's outcome (None before the first)."""
        with self.till.read_driver() as db:
            raw = state(db, LAST_ROUND_KEY)
        return FolderRound.from_dict(json.loads(raw)) if raw else None

    def due(self, folder: str, minutes: int) -> bool:
        """Whether the schedule calls for a round now: a folder and an interval are set and the
        last round (successful or not) is at least ``minutes`` old."""
        if not folder or minutes <= 0:
            return False
        last = self.last_round()
        if last is None or last.folder != folder:
            return True
        return (self.till.now() - last.at).total_seconds() >= minutes * 60


__all__ = [
    "BundleRefused",
    "FolderFile",
    "FolderRound",
    "FolderSync",
    "FolderSyncBusy",
    "FolderUnavailable",
    "Reason",
]

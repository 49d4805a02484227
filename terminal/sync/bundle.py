"""The bundle file: gzip'd JSON Lines, a manifest first, a signature last.

```
{"manifest": {"format": 1, "shop_id": ..., "terminal_id": ..., "terminal_number": ...,
              "first_seq": ..., "last_seq": ..., "count": ..., "schema_version": ...,
              "created_at": ...}}
{"id": ..., "terminal_id": ..., "seq": ..., "created_at": ..., "type": ..., "payload": "...",
 "schema_version": 1, "hlc": "..."}
...
{"signature": "<hex HMAC-SHA256 under the shop key of every byte above this line>"}
```

Reading checks everything that can be checked without the database (signature, format, shop,
schema version, count and an unbroken run of sequence numbers) and raises
:class:`BundleRefused` with a sentence a shop owner can act on.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import hmac
import os
import queue
import threading
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

import orjson

from terminal.app.files import os_reason, partial_name
from terminal.core.errors import QT_TRANSLATE_NOOP, LoyaltyError, StorageError
from terminal.db import journal_archive

BUNDLE_FORMAT = 1


class BundleRefused(LoyaltyError):
    """A bundle that will not be applied; nothing of it was written."""

    code = "sync_refused"


@dataclass(frozen=True)
class Manifest:
    shop_id: str
    terminal_id: str
    terminal_number: int
    first_seq: int
    last_seq: int
    count: int
    schema_version: int
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"format": BUNDLE_FORMAT, **self.__dict__}


@dataclass(frozen=True)
class Bundle:
    manifest: Manifest
    events: list[dict[str, Any]]


def sign(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


# Bytes of bundle text handled at a time: large enough that per-chunk work (a gzip call, an
# HMAC update, one executemany per table) is negligible, small enough to stay a few MiB.
CHUNK_BYTES = 4 << 20
# gzip level 1: a bundle is written once and read once, mostly on the same day; on the bench's
# events level 1 took 2.7 times less CPU than level 6 for a file 17 % larger.
COMPRESS_LEVEL = 1


def _line(value: dict[str, Any]) -> bytes:
    return orjson.dumps(value) + b"\n"


def write_bundle(
    path: Path, key: bytes, manifest: Manifest, events: Iterable[dict[str, Any]]
) -> Path:
    """Write the bundle to ``path`` through a temporary name, so a half-written file never
    carries the final name. ``events`` may be a generator: they are encoded a few MiB at a time.
    """
    return write_bundle_lines(path, key, manifest, _encoded(events))


def _encoded(events: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    parts: list[bytes] = []
    size = 0
    for event in events:
        line = orjson.dumps(event)
        parts.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield b"\n".join(parts) + b"\n"
            parts, size = [], 0
    if parts:
        yield b"\n".join(parts) + b"\n"


def not_written(exc: OSError, folder: Path, full: str, other: str) -> StorageError:
    """The owner's sentence for a file that could not be written to ``folder``: ``full`` (a
    template with ``{folder}``) for a full disk, the one case with an obvious fix; ``other``
    (with ``{folder}`` and ``{reason}``, the system's words) for anything else."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(full, folder=str(folder))
    return StorageError(other, folder=str(folder), reason=os_reason(exc))


def write_bundle_lines(
    path: Path, key: bytes, manifest: Manifest, chunks: Iterable[bytes | memoryview]
) -> Path:
    """Write a bundle whose event lines come ready-made: the chunks joined are whole lines,
    each ending in a newline (export builds them in SQL). Signed as they pass; compressed on a
    second thread (zlib lets go of the GIL), so reading the journal and compressing overlap."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    # a name of this writer's own: two tills blanking the same bundle of a shared folder at
    # once each write their own file, and the last rename wins (both are whole and signed)
    partial = partial_name(path)
    try:
        with open(partial, "wb") as raw:
            gz = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=COMPRESS_LEVEL, mtime=0)
            with gz as out, _Compressor(out) as compressor:
                head = _line({"manifest": manifest.to_dict()})
                mac.update(head)
                compressor.put(head)
                for chunk in chunks:
                    mac.update(chunk)
                    compressor.put(chunk)
                compressor.put(_line({"signature": mac.hexdigest()}))
            raw.flush()
            # on the stick before the till says "exported" (and the owner pulls it out)
            os.fsync(raw.fileno())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


class _Compressor:
    """Feeds a gzip stream from a worker thread, a few chunks behind the caller."""

    def __init__(self, out: gzip.GzipFile) -> None:
        self._out = out
        self._queue: queue.Queue[bytes | memoryview | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bundle-gzip", daemon=True)

    def __enter__(self) -> _Compressor:
        self._thread.start()
        return self

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._out.write(chunk)
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc

    def put(self, chunk: bytes | memoryview) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(chunk)

    def __exit__(self, *exc_info: object) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and exc_info[0] is None:
            raise self._error


def bundle_name(manifest: Manifest) -> str:
    return (
        f"till{manifest.terminal_number}-{manifest.terminal_id[:8]}-"
        f"{manifest.first_seq:09d}-{manifest.last_seq:09d}.ltb"
    )


# Blocks of text the inflating thread may be ahead of the reader: enough to keep both busy,
# few enough that the decompressed text of a big bundle never sits in memory (a million events
# are ~1.5 GB of text; held whole, an import peaked at 2 GB, too much for a shop's old PC).
_BLOCKS_AHEAD = 4


class _End:
    """The inflating thread's last word: why the file is refused, or None when it is whole
    and its signature matches."""

    def __init__(self, refusal: BaseException | None) -> None:
        self.refusal = refusal


class _Abandoned(Exception):
    """The reader closed the bundle before reading it out."""


class _Inflater:
    """Decompresses and hashes a bundle file on a worker thread (zlib and the HMAC let go of
    the GIL), handing the reader line-aligned blocks of text a few ahead, and last an
    :class:`_End` with the verdict on the whole file."""

    def __init__(self, raw: bytes, key: bytes) -> None:
        self._raw = raw
        self.key = key
        self._blocks: queue.Queue[bytes | _End] = queue.Queue(maxsize=_BLOCKS_AHEAD)
        self._stopped = threading.Event()
        self._ended = False
        self._refusal: BaseException | None = None
        threading.Thread(target=self._run, name="bundle-inflate", daemon=True).start()

    # -- the reader's side

    def next_block(self) -> bytes | None:
        """The next block of text; None after the last, or the file's refusal raised there."""
        if not self._ended:
            if self._stopped.is_set():  # the thread may be gone: waiting would never end
                raise RuntimeError("the bundle was closed before it was read out")
            item = self._blocks.get()
            if not isinstance(item, _End):
                return item
            self._ended, self._refusal = True, item.refusal
        if self._refusal is not None:
            raise self._refusal
        return None

    def verify(self) -> None:
        """Read what is left (unused) and raise the file's refusal, if it has one."""
        while self.next_block() is not None:
            pass

    def close(self) -> None:
        self._stopped.set()

    # -- the worker's side

    def _put(self, item: bytes | _End) -> None:
        while not self._stopped.is_set():
            try:
                self._blocks.put(item, timeout=0.2)
                return
            except queue.Full:
                continue
        raise _Abandoned

    def _run(self) -> None:
        try:
            try:
                verdict = self._read()
            except _Abandoned:
                raise
            except BaseException as exc:  # e.g. MemoryError: handed to the reader's thread
                verdict = exc
            self._put(_End(verdict))
        except _Abandoned:
            pass

    def _read(self) -> BaseException | None:
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        held = b""  # the newest whole lines: not hashed yet, they may end with the signature line
        rest = b""  # text after the last newline read so far
        handed = 0
        try:
            for piece in journal_archive.inflated(self._raw, CHUNK_BYTES):
                data = rest + piece if rest else piece
                cut = data.rfind(b"\n") + 1
                if not cut:
                    rest = data
                    continue
                if held:
                    mac.update(held)
                    self._put(held)
                    handed += 1
                held, rest = data[:cut], data[cut:]
        except zlib.error:
            return BundleRefused(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The bundle file is damaged or cut short (it is not a complete gzip file).",
                )
            )
        tail, sep, last = (held + rest).rstrip(b"\n").rpartition(b"\n")
        if not sep and not handed:
            return BundleRefused(
                QT_TRANSLATE_NOOP(
                    "Errors", "The bundle file is incomplete: it has no signature line."
                )
            )
        try:
            signature = _signature_of(last)
        except BundleRefused as refusal:
            return refusal
        if tail:
            tail += b"\n"
            mac.update(tail)
            self._put(tail)
        if not hmac.compare_digest(signature, mac.hexdigest()):
            return BundleRefused(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The bundle's signature does not match: the file was changed after export, "
                    "or it was made with another shop's key.",
                )
            )
        return None


class SignedBundle:
    """A bundle file being read: the manifest at once, the events a block at a time from a
    thread that decompresses and hashes the file a few blocks ahead (``_Inflater``).

    Whether the signature matches is known only once the last block is read, so nothing read
    may outlive a refusal: :meth:`batches` raises at its end when the file fails, inside the
    importer's transaction, which then rolls back every event of it; the events are never
    acted on outside that transaction before then (the archive, the erasures, the caches all
    come after the last batch). A reader that stops on an error of its own asks :meth:`verify`
    first, so a changed file is refused for being changed, not for what the change broke.
    Reading while verifying, rather than verifying first, keeps the text out of memory and
    puts the decompression on another core.
    """

    def __init__(self, raw: bytes, manifest: Manifest, stream: _Inflater, first: bytes) -> None:
        self.raw = raw  # the file as read and verified: what the importing till archives
        self.manifest = manifest
        self._stream = stream
        self._first = first  # the rest of the first block, after the manifest line
        self._started = False
        weakref.finalize(self, stream.close)

    def __enter__(self) -> SignedBundle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the inflating thread (a bundle left unread, e.g. after a refusal)."""
        self._stream.close()

    def reread(self) -> SignedBundle:
        """The same bytes read again from the start, verified again as they are read (an import
        that has to start over: ``staging.StagingFailed``)."""
        stream = _Inflater(self.raw, self._stream.key)
        first = stream.next_block() or b""
        return SignedBundle(self.raw, self.manifest, stream, first.partition(b"\n")[2])

    def verify(self) -> None:
        """Read what is left of the file (its events unused) and raise its refusal if it is
        damaged or its signature does not match; returns when it is whole and signed."""
        self._stream.verify()

    def _begin(self) -> bytes:
        if self._started:
            raise RuntimeError("the events of a bundle can be read once")
        self._started = True
        first, self._first = self._first, b""
        return first

    def batches(self) -> Iterator[list[dict[str, Any]]]:
        """The events in order, in lists of a few thousand; raises :class:`BundleRefused` (and
        stops) at the first event that breaks the run the manifest announces, and after the last
        when the file fails its signature. Can run once."""
        text: bytes | None = self._begin()
        run = _RunCheck(self.manifest)
        while text is not None:
            if text:
                try:
                    events = [orjson.loads(line) for line in text.split(b"\n")[:-1]]
                    text = None
                    run.check(events)
                except orjson.JSONDecodeError as exc:
                    self.verify()
                    raise BundleRefused(
                        QT_TRANSLATE_NOOP(
                            "Errors", "The bundle file is not in the expected format."
                        )
                    ) from exc
                except BundleRefused:
                    self.verify()
                    raise
                yield events
            text = self._stream.next_block()
        run.done()

    def blocks(self) -> Iterator[bytes]:
        """The event lines as they are in the file, a line-aligned block at a time (instead of
        :meth:`batches`, for a reader that parses them elsewhere: ``staging.py``); raises the
        file's refusal after the last. Can run once."""
        text: bytes | None = self._begin()
        while text is not None:
            yield text
            text = self._stream.next_block()

    def events(self) -> list[dict[str, Any]]:
        return [event for batch in self.batches() for event in batch]

    def event_text(self) -> bytes:
        """Every event line, as in the file, once the whole file is verified (instead of
        :meth:`batches`; can run once)."""
        parts = [self._begin()]
        while (block := self._stream.next_block()) is not None:
            parts.append(block)
        return b"".join(parts)


def rewrite_bundle(
    path: Path,
    key: bytes,
    shop_id: str,
    schema_version: int,
    needles: list[str],
    change: Callable[[dict[str, Any]], bool],
) -> int:
    """Edit events of a bundle file in place and sign it again (privacy erasure reaching a
    shared folder): every event line holding one of ``needles`` is passed to ``change``, which
    edits the event and says whether it changed anything. Only a file that verifies under the
    shop's key is touched, and it is replaced whole (written beside it, then renamed): a till
    reading it meanwhile reads the old file or the new one. Returns how many events changed
    (0: the file is left as it was)."""
    with open_bundle(path, key, shop_id, schema_version) as verified:
        text = verified.event_text()
    parts, changed = journal_archive.edited_lines(text, needles, change)
    if changed:
        write_bundle_lines(path, key, verified.manifest, parts)
    return changed


def _signature_of(last: bytes) -> str:
    try:
        value = orjson.loads(last)["signature"]
    except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise BundleRefused(
            QT_TRANSLATE_NOOP(
                "Errors", "The bundle file is incomplete: its signature line is missing."
            )
        ) from exc
    return str(value)


def open_bundle(path: Path, key: bytes, shop_id: str, schema_version: int) -> SignedBundle:
    """Open a bundle and check its manifest; the events follow through
    :meth:`SignedBundle.batches`, verified as they are read (see there). Close it, or use it
    as a context manager, when it may be left unread."""
    try:
        # Read once and verified from memory: the bytes archived are the bytes checked, even if
        # the file changes on disk meanwhile.
        raw = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise BundleRefused(
            QT_TRANSLATE_NOOP("Errors", "There is no bundle file at {path}."), path=str(path)
        ) from exc
    except IsADirectoryError as exc:
        raise BundleRefused(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{path} is a folder, not a bundle file: give the bundle file in it (its name "
                "ends in .ltb).",
            ),
            path=str(path),
        ) from exc
    except OSError as exc:  # no right to read it, a failing USB stick
        raise BundleRefused(
            QT_TRANSLATE_NOOP("Errors", "The bundle file {path} cannot be read: {reason}."),
            path=str(path),
            reason=os_reason(exc),
        ) from exc
    stream = _Inflater(raw, key)
    try:
        first = stream.next_block()
        try:
            if first is None:
                raise BundleRefused(
                    QT_TRANSLATE_NOOP("Errors", "The bundle file is not in the expected format.")
                )
            head, _, rest = first.partition(b"\n")
            manifest = _manifest_of(head, shop_id, schema_version)
        except BundleRefused:
            stream.verify()  # a changed file is refused for that, not for what the change broke
            raise
    except BaseException:
        stream.close()
        raise
    return SignedBundle(raw, manifest, stream, rest)


def _manifest_of(head: bytes, shop_id: str, schema_version: int) -> Manifest:
    try:
        raw_manifest = orjson.loads(head)["manifest"]
        fields = {k: v for k, v in raw_manifest.items() if k != "format"}
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise BundleRefused(
            QT_TRANSLATE_NOOP("Errors", "The bundle file is not in the expected format.")
        ) from exc
    if raw_manifest.get("format") != BUNDLE_FORMAT:
        raise BundleRefused(
            QT_TRANSLATE_NOOP("Errors", "The bundle has format {found}, not {expected}."),
            found=str(raw_manifest.get("format")),
            expected=BUNDLE_FORMAT,
        )
    try:
        manifest = Manifest(**fields)
    except TypeError as exc:
        raise BundleRefused(
            QT_TRANSLATE_NOOP("Errors", "The bundle's manifest is not in the expected format.")
        ) from exc
    if manifest.shop_id != shop_id:
        raise BundleRefused(
            QT_TRANSLATE_NOOP(
                "Errors", "The bundle comes from another shop; it cannot be imported here."
            )
        )
    if manifest.schema_version > schema_version:
        raise BundleRefused(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The bundle was made by a newer version of the program (journal schema "
                "{schema}); update this till first.",
            ),
            schema=manifest.schema_version,
        )
    return manifest


def read_bundle(path: Path, key: bytes, shop_id: str, schema_version: int) -> Bundle:
    """Open, verify and parse a whole bundle; refuse it with a plain reason when anything is
    off. (Import reads big bundles a block at a time through :func:`open_bundle` instead.)"""
    with open_bundle(path, key, shop_id, schema_version) as verified:
        return Bundle(verified.manifest, verified.events())


class _RunCheck:
    """The events are one unbroken run of one till's sequence numbers, as the manifest says;
    checked a batch at a time."""

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self.expected = manifest.first_seq
        self.count = 0
        self.seen: set[str] = set()

    def check(self, events: list[dict[str, Any]]) -> None:
        """Raise at the first event that breaks the run. A whole batch is checked with
        ``map`` and set operations first (C loops: a million events in a fraction of a
        second, where the event-by-event loop took ~2.7 s); only a batch that fails is walked
        event by event, to name what broke."""
        count = len(events)
        start = self.expected
        if set(map(type, events)) <= {dict}:
            ids = set(map(str, map(dict.get, events, repeat("id"))))
            if (
                set(map(dict.get, events, repeat("terminal_id"))) <= {self.manifest.terminal_id}
                and list(map(dict.get, events, repeat("seq"))) == list(range(start, start + count))
                and len(ids) == count
                and self.seen.isdisjoint(ids)
            ):
                self.seen |= ids
                self._counted(count, start + count)
                return
        self._walk(events)

    def _walk(self, events: list[dict[str, Any]]) -> None:
        terminal_id, expected, seen = self.manifest.terminal_id, self.expected, self.seen
        for event in events:
            if type(event) is not dict:
                raise BundleRefused(
                    QT_TRANSLATE_NOOP("Errors", "The bundle file is not in the expected format.")
                )
            if event.get("terminal_id") != terminal_id:
                raise BundleRefused(
                    QT_TRANSLATE_NOOP("Errors", "The bundle mixes events of different tills.")
                )
            if event.get("seq") != expected:
                raise BundleRefused(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The bundle's events are out of order: expected number {expected}, "
                        "found {found}.",
                    ),
                    expected=expected,
                    found=str(event.get("seq")),
                )
            event_id = str(event.get("id"))
            if event_id in seen:
                raise BundleRefused(
                    QT_TRANSLATE_NOOP("Errors", "The bundle holds event {event} twice."),
                    event=event_id,
                )
            seen.add(event_id)
            expected += 1
        self._counted(len(events), expected)

    def advance(self, count: int) -> None:
        """Count ``count`` events whose run was checked elsewhere (by a staging process, from
        the number this check expects), so :meth:`done` still holds the total to the
        manifest."""
        self._counted(count, self.expected + count)

    def _counted(self, count: int, expected: int) -> None:
        self.expected = expected
        self.count += count
        if self.count > self.manifest.count:
            raise BundleRefused(
                QT_TRANSLATE_NOOP(
                    "Errors", "The bundle should hold {count} events but holds more."
                ),
                count=self.manifest.count,
            )

    def done(self) -> None:
        if self.count != self.manifest.count:
            raise BundleRefused(
                QT_TRANSLATE_NOOP(
                    "Errors", "The bundle should hold {count} events but holds {found}."
                ),
                count=self.manifest.count,
                found=self.count,
            )
        if self.count and self.expected - 1 != self.manifest.last_seq:
            raise BundleRefused(
                QT_TRANSLATE_NOOP(
                    "Errors", "The bundle's last event is not the one its manifest names."
                )
            )


def check_run(manifest: Manifest, events: list[dict[str, Any]]) -> None:
    """The events are one unbroken run of one till's sequence numbers, as the manifest says."""
    run = _RunCheck(manifest)
    run.check(events)
    run.done()

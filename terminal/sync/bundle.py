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

import gzip
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terminal.core.errors import LoyaltyError

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


def _line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def write_bundle(path: Path, key: bytes, manifest: Manifest, events: list[dict[str, Any]]) -> Path:
    """Write the bundle to ``path`` through a temporary name, so a half-written file never
    carries the final name."""
    parts = [_line({"manifest": manifest.to_dict()})]
    parts.extend(_line(event) for event in events)
    body = b"".join(parts)
    data = body + _line({"signature": sign(key, body)})
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as out:
            out.write(data)
        raw.flush()
    partial.replace(path)
    return path


def bundle_name(manifest: Manifest) -> str:
    return (
        f"till{manifest.terminal_number}-{manifest.terminal_id[:8]}-"
        f"{manifest.first_seq:09d}-{manifest.last_seq:09d}.ltb"
    )


def read_bundle(path: Path, key: bytes, shop_id: str, schema_version: int) -> Bundle:
    """Open, verify and parse a bundle; refuse it with a plain reason when anything is off."""
    try:
        data = gzip.decompress(Path(path).read_bytes())
    except FileNotFoundError as exc:
        raise BundleRefused(f"There is no bundle file at {path}.") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise BundleRefused(
            "The bundle file is damaged or cut short (it is not a complete gzip file)."
        ) from exc
    body, sep, last = data.rstrip(b"\n").rpartition(b"\n")
    if not sep:
        raise BundleRefused("The bundle file is incomplete: it has no signature line.")
    try:
        signature = json.loads(last)["signature"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BundleRefused(
            "The bundle file is incomplete: its signature line is missing."
        ) from exc
    if not hmac.compare_digest(str(signature), sign(key, body + b"\n")):
        raise BundleRefused(
            "The bundle's signature does not match: the file was changed after export, "
            "or it was made with another shop's key."
        )
    lines = body.split(b"\n")
    try:
        raw_manifest = json.loads(lines[0])["manifest"]
        events = [json.loads(line) for line in lines[1:]]
    except (ValueError, KeyError, TypeError) as exc:
        raise BundleRefused("The bundle file is not in the expected format.") from exc
    if raw_manifest.get("format") != BUNDLE_FORMAT:
        raise BundleRefused(
            f"The bundle has format {raw_manifest.get('format')}, not {BUNDLE_FORMAT}."
        )
    fields = {k: v for k, v in raw_manifest.items() if k != "format"}
    try:
        manifest = Manifest(**fields)
    except TypeError as exc:
        raise BundleRefused("The bundle's manifest is not in the expected format.") from exc
    if manifest.shop_id != shop_id:
        raise BundleRefused("The bundle comes from another shop; it cannot be imported here.")
    if manifest.schema_version > schema_version:
        raise BundleRefused(
            f"The bundle was made by a newer version of the program (journal schema "
            f"{manifest.schema_version}); update this till first."
        )
    check_run(manifest, events)
    return Bundle(manifest, events)


def check_run(manifest: Manifest, events: list[dict[str, Any]]) -> None:
    """The events are one unbroken run of one till's sequence numbers, as the manifest says."""
    if len(events) != manifest.count:
        raise BundleRefused(
            f"The bundle should hold {manifest.count} events but holds {len(events)}."
        )
    expected = manifest.first_seq
    seen: set[str] = set()
    for event in events:
        if event.get("terminal_id") != manifest.terminal_id:
            raise BundleRefused("The bundle mixes events of different tills.")
        if event.get("seq") != expected:
            raise BundleRefused(
                f"The bundle's events are out of order: expected number {expected}, "
                f"found {event.get('seq')}."
            )
        if event.get("id") in seen:
            raise BundleRefused(f"The bundle holds event {event.get('id')} twice.")
        seen.add(str(event.get("id")))
        expected += 1
    if events and expected - 1 != manifest.last_seq:
        raise BundleRefused("The bundle's last event is not the one its manifest names.")

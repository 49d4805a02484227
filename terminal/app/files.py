"""Files the owner asked for (exports, copies), written whole or not at all, and the plain words
for why the system refused to read or write one.

A file that fails half-way must not stay behind under its final name: the owner would take a
0-byte or cut-short export for the real thing. So it is written under a temporary name in the
same folder (a rename inside one folder is atomic) and renamed only once complete and on the
disk. The system's own error text is English whatever the shop's language; the common causes
are said again here as translatable phrases, once, for every sentence that needs a reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from terminal.core.errors import QT_TRANSLATE_NOOP, StorageError
from terminal.core.sentences import Sentence

# errno → a phrase that fits "Cannot write {path}: {reason}." and "Cannot read …" alike
_REASONS: dict[int, str] = {
    errno.ENOENT: QT_TRANSLATE_NOOP("Errors", "the file or its folder does not exist"),
    errno.ENOSPC: QT_TRANSLATE_NOOP("Errors", "there is no room left on the disk"),
    errno.EDQUOT: QT_TRANSLATE_NOOP("Errors", "there is no room left on the disk"),
    errno.EACCES: QT_TRANSLATE_NOOP("Errors", "access is denied"),
    errno.EPERM: QT_TRANSLATE_NOOP("Errors", "access is denied"),
    errno.EROFS: QT_TRANSLATE_NOOP("Errors", "the disk is read-only"),
    errno.EISDIR: QT_TRANSLATE_NOOP("Errors", "it is a folder, not a file"),
    errno.ENOTDIR: QT_TRANSLATE_NOOP("Errors", "part of the path is a file, not a folder"),
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, as a translatable phrase (a :class:`Sentence`) for the common
    causes; the system's own words only for a rare one that has no phrase here."""
    template = _REASONS.get(exc.errno or 0)
    if template is not None:
        return Sentence(template, context="Errors")
    return exc.strerror or str(exc)


def cannot_write(exc: OSError, path: Path) -> StorageError:
    """The owner's sentence for a file that could not be written."""
    return _file_error(QT_TRANSLATE_NOOP("Errors", "Cannot write {path}: {reason}."), exc, path)


def cannot_read(exc: OSError, path: Path) -> StorageError:
    """The owner's sentence for a file that could not be read."""
    return _file_error(QT_TRANSLATE_NOOP("Errors", "Cannot read {path}: {reason}."), exc, path)


def _file_error(template: str, exc: OSError, path: Path) -> StorageError:
    return StorageError(template, path=str(path), reason=os_reason(exc), errno=exc.errno)


def partial_name(path: Path) -> Path:
    """A temporary name of this writer's own next to ``path`` (two writers never share one)."""
    return path.with_name(f"{path.name}.{secrets.token_hex(4)}.partial")


def remove_quietly(*paths: Path) -> None:
    """Delete what a failed write left; a folder that refused the write may refuse this too,
    and that must not hide the reason the write failed."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def write_whole(path: Path | str, write: Callable[[Path], None]) -> Path:
    """Have ``write`` fill a temporary file next to ``path``, then give it the final name.

    The temporary file exists (empty) when ``write`` is called; ``write`` may reopen it by
    name (an Excel writer does). Any failure removes it, and an :class:`OSError` (no folder, a
    full or read-only disk) becomes a :class:`StorageError` in plain words.
    """
    path = Path(path)
    partial = partial_name(path)
    try:
        # 0o666 less the umask, as a plain open() would make the final file
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        try:
            write(partial)
            with partial.open("rb+") as handle:
                os.fsync(handle.fileno())  # on the disk before the owner is told it is written
            os.replace(partial, path)
        except BaseException:
            remove_quietly(partial)
            raise
    except OSError as exc:
        raise cannot_write(exc, path) from exc
    return path


def write_text_whole(path: Path | str, text: str, *, encoding: str = "utf-8") -> Path:
    """:func:`write_whole` for a text."""

    def _write(partial: Path) -> None:
        with partial.open("w", encoding=encoding, newline="") as handle:
            handle.write(text)

    return write_whole(path, _write)

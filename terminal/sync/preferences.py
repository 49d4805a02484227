"""This till's sync preferences: the folder it syncs through and how often, and the address of
the PostgreSQL sync server.

They are shop settings (``terminal/app/settings.py``) written *without* a journal event: they
belong to this till (another till mounts the shared folder elsewhere) and never travel in a
bundle or through the hub. The server address may carry a password; it is stored so the till
can connect, and everything meant for eyes or logs gets :func:`masked_url` instead: the password
is never shown in clear after saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from terminal.app.settings import get_setting, put_setting
from terminal.app.till import Till
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput

FOLDER_INTERVALS = (0, 5, 15, 60)  # minutes; 0 = off
MASK = "***"  # what SQLAlchemy puts in place of a hidden password


@dataclass(frozen=True)
class SyncPreferences:
    folder: str
    minutes: int  # 0: folder sync off
    hub_url_masked: str  # "" when no server is set
    has_hub: bool


def _parse(text: str) -> URL:
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The sync server address is not understood. It looks like "
                "postgresql://user:password@host:5432/database.",
            ),
            field="hub",
        ) from exc
    if url.get_backend_name() != "postgresql" or not url.host or not url.database:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The sync server address must start with postgresql:// and name the host and "
                "the database, e.g. postgresql://user:password@host:5432/database.",
            ),
            field="hub",
        )
    return url


def masked_url(text: str) -> str:
    """The address with its password replaced by ***; "" for no address."""
    if not text:
        return ""
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return MASK


class SyncSettings:
    def __init__(self, till: Till) -> None:
        self.till = till

    def current(self) -> SyncPreferences:
        with self.till.read() as s:
            folder = str(get_setting(s, "sync_folder") or "")
            minutes = int(get_setting(s, "sync_folder_minutes") or 0)
            url = str(get_setting(s, "sync_hub_url") or "")
        return SyncPreferences(folder, minutes, masked_url(url), bool(url))

    def set_folder_sync(self, folder: str, minutes: int) -> SyncPreferences:
        """Choose the sync folder and the interval (0 = off); an interval needs a folder that
        exists now (a USB stick may be unplugged later: rounds then report it)."""
        text = folder.strip()
        if minutes not in FOLDER_INTERVALS:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Folder sync runs every 5, 15 or 60 minutes, or off."),
                field="interval",
            )
        if text and not Path(text).is_dir():
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The folder {text} does not exist."),
                field="folder",
                text=text,
            )
        if minutes and not text:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Choose the folder to sync through first."),
                field="folder",
            )
        now = self.till.now()
        with self.till.write() as s:
            put_setting(s, "sync_folder", text, now)
            put_setting(s, "sync_folder_minutes", minutes, now)
        return self.current()

    def set_hub_url(self, text: str) -> SyncPreferences:
        """Save the server address ("" forgets it). An address shown masked (``***`` for the
        password) keeps the saved password, so the owner can change the host without retyping
        it."""
        text = text.strip()
        value = ""
        if text:
            url = _parse(text)
            if url.password == MASK:
                saved = self.hub_url()
                old = make_url(saved) if saved else None
                if old is None or old.password is None:
                    raise InvalidInput(
                        QT_TRANSLATE_NOOP(
                            "Errors", "Type the sync server's password in place of ***."
                        ),
                        field="hub",
                    )
                url = url.set(password=old.password)
            value = url.render_as_string(hide_password=False)
        with self.till.write() as s:
            put_setting(s, "sync_hub_url", value, self.till.now())
        return self.current()

    def hub_url(self) -> str:
        """The full address, password included: for connecting only, never for showing."""
        with self.till.read() as s:
            return str(get_setting(s, "sync_hub_url") or "")

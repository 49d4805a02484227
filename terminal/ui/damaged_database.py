"""What the window does when its database cannot be opened because the file is damaged: offer
to put the newest backup back, there and then, instead of sending the owner to the command line.

The damaged file is never deleted: it goes next to the backups (``app/restore.py``). Without a
backup there is nothing to offer, and the window says what happened and closes as before.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QMessageBox, QWidget

from terminal.app.restore import newest_backup, restore_over_damaged
from terminal.app.till import DamagedDatabase, Till
from terminal.core.errors import LoyaltyError
from terminal.i18n_text import error_text, sentence_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("DamagedDatabase", text)


def offer_restore(damaged: DamagedDatabase, parent: QWidget | None = None) -> Till | None:
    """Ask whether to restore the newest backup over the damaged database; the till opened on
    the restored data, or None when there is no backup, the owner declines, or it fails (each
    said in a message box)."""
    db_path = Path(str(damaged.params["path"]))
    newest = newest_backup(db_path)
    if newest is None:
        QMessageBox.critical(parent, _tr("Cannot open the database"), error_text(damaged))
        return None
    made, backup = newest
    when = QLocale().toString(made, QLocale.FormatType.ShortFormat)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _tr("Cannot open the database"),
        # not the command line's way out: the way out is the button below
        _tr("The database %1 is damaged or is not a loyalty terminal database.").replace(
            "%1", str(db_path)
        ),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText(
        _tr(
            "The newest backup was made on %1. Put it back now? Sales since then are not in it; "
            "the damaged file is kept next to the backups."
        ).replace("%1", when)
    )
    restore = box.addButton(
        _tr("Restore the backup of %1").replace("%1", when), box.ButtonRole.AcceptRole
    )
    box.addButton(_tr("Close"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return None
    try:
        till, result = restore_over_damaged(db_path, backup)
    except LoyaltyError as exc:
        QMessageBox.critical(parent, _tr("Cannot open the database"), error_text(exc))
        return None
    QMessageBox.information(parent, _tr("Backup restored"), sentence_text(result.summary))
    return till

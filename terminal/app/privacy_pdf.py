"""The customer's data export as a printable PDF: the same content as the JSON, laid out as a
document a person can read at the counter or take home.

Built from :meth:`terminal.app.privacy.Privacy.collect` (so PDF and JSON never disagree) as
simple HTML, printed with Qt's text engine onto A4. Imported only when a PDF is asked for, so
the command line does not load Qt otherwise.
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from terminal.cardprint.output import ensure_qt
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.money import currency, format_amount

_TITLES = {
    "customer": "Profile",
    "cards": "Cards",
    "purchases": "Purchases",
    "refunds": "Refunds",
    "ledger": "Points history",
    "points_lots": "Points and their expiry",
    "feedback": "Feedback",
    "nps": "Recommendation answers",
    "consent_history": "Consent to offers",
}

_COLUMNS = {
    "cards": ("number", "status", "issued_at"),
    "purchases": ("created_at", "amount", "discount", "paid", "points_earned", "points_redeemed"),
    "refunds": ("created_at", "amount", "money_returned", "points_reversed"),
    "ledger": ("created_at", "kind", "points", "reason"),
    "points_lots": ("granted_at", "points", "remaining", "expires_at"),
    "feedback": ("created_at", "kind", "text", "status"),
    "nps": ("created_at", "score"),
    "consent_history": ("at", "consent", "source"),
}

_PROFILE = ("name", "phone", "email", "birthday", "consent", "consent_at", "created_at",
            "balance", "lifetime_paid", "visits")  # fmt: skip


_MONEY = {"amount", "discount", "paid", "money_returned", "lifetime_paid", "redeemed_value"}
_TIMES = {"created_at", "issued_at", "granted_at", "expires_at", "at", "consent_at", "exported_at"}


def _cell(value: Any, column: str = "", decimals: int = 2) -> str:
    """One value as a person reads it: money with its decimals, times to the minute, yes/no."""
    if value is None or value == "":
        return "—"
    if column in _MONEY and isinstance(value, int):
        return format_amount(value, decimals)
    if column in _TIMES:
        return html.escape(str(value).replace("T", " ")[:16])
    if column == "consent":
        return "yes" if value else "no"
    return html.escape(str(value))


def render_html(data: dict[str, Any]) -> str:
    code = str(data.get("currency") or "UAH")
    decimals = currency(code).decimals
    parts = [
        "<html><body style='font-family: DejaVu Sans, sans-serif; font-size: 9pt;'>",
        f"<h2>{_cell(data['shop'])}: the data we store about you</h2>",
        f"<p>Exported {_cell(data['exported_at'], 'at')}. Amounts in {html.escape(code)}.</p>",
        f"<h3>{_TITLES['customer']}</h3>",
        f"<p><i>{_cell(data['explanation']['customer'])}</i></p><table cellpadding='3'>",
    ]
    for key in _PROFILE:
        parts.append(f"<tr><td><b>{key.replace('_', ' ')}</b></td>")
        parts.append(f"<td>{_cell(data['customer'].get(key), key, decimals)}</td></tr>")
    parts.append("</table>")
    for section, columns in _COLUMNS.items():
        rows = data.get(section, [])
        parts.append(f"<h3>{_TITLES[section]} ({len(rows)})</h3>")
        parts.append(f"<p><i>{_cell(data['explanation'][section])}</i></p>")
        if not rows:
            parts.append("<p>None.</p>")
            continue
        parts.append("<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr>")
        parts += [f"<th>{c.replace('_', ' ')}</th>" for c in columns]
        parts.append("</tr>")
        for row in rows:
            parts.append(
                "<tr>" + "".join(f"<td>{_cell(row.get(c), c, decimals)}</td>" for c in columns)
            )
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def write_pdf(data: dict[str, Any], out: Path) -> Path:
    """Write the export as an A4 PDF, atomically (a reader never sees half a file)."""
    ensure_qt()
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(
            QT_TRANSLATE_NOOP("Errors", "The folder {folder} does not exist."),
            field="out",
            folder=folder,
        )
    fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=".pdf", dir=folder)
    os.close(fd)
    try:
        writer = QPdfWriter(tmp_name)
        writer.setTitle("Customer data export")
        writer.setCreator("loyalty-terminal")
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(15, 15, 15, 15),
            )
        )
        document = QTextDocument()
        document.setHtml(render_html(data))
        document.print_(writer)
        del writer  # flushes and closes the file
        os.replace(tmp_name, out)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return out

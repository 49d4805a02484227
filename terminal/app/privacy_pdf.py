"""The customer's data export as a printable PDF: the same content as the JSON, laid out as a
document a person can read at the counter or take home.

Built from :meth:`terminal.app.privacy.Privacy.collect` (so PDF and JSON never disagree) as
simple HTML, printed with Qt's text engine onto A4. Imported only when a PDF is asked for, so
the command line does not load Qt otherwise.

The PDF is for the customer, so it reads in the till's language: headings, labels and the
explanations are translated in the ``PrivacyPdf`` context (``QCoreApplication.translate``, the
Qt this module already paints with), codes such as a card's status become words, and money and
times are written the locale's way. The JSON keeps the stable English keys and values.
"""

from __future__ import annotations

import html
import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from terminal.cardprint.output import ensure_qt
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput
from terminal.core.money import currency
from terminal.i18n_text import locale_amount, locale_date, short_datetime_format
from terminal.ledger_reasons import kind_text, reason_text


def _t(text: str) -> str:
    return QCoreApplication.translate("PrivacyPdf", text)


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

# The words for the keys above, as headings of the profile rows and the table columns.
_LABELS = {
    "name": "Name",
    "phone": "Phone",
    "email": "E-mail",
    "birthday": "Birthday",
    "consent": "Agrees to offers",
    "consent_at": "Answer given",
    "created_at": "Date",
    "balance": "Points balance",
    "lifetime_paid": "Paid in total",
    "visits": "Visits",
    "number": "Card number",
    "status": "Status",
    "issued_at": "Issued",
    "amount": "Amount",
    "discount": "Discount",
    "paid": "Paid",
    "points_earned": "Points earned",
    "points_redeemed": "Points spent",
    "money_returned": "Money back",
    "points_reversed": "Points taken back",
    "kind": "What",
    "points": "Points",
    "reason": "Reason",
    "granted_at": "Given",
    "remaining": "Left",
    "expires_at": "Expires",
    "text": "Text",
    "score": "Score",
    "at": "When",
    "source": "Where",
}

# Stored codes, as words the customer reads (anything unknown is shown as stored).
_CARD_STATUS = {
    "active": "in use",
    "blocked": "blocked",
    "replaced": "replaced",
    "stock": "not given out",
}
_FEEDBACK_KIND = {"complaint": "complaint", "suggestion": "suggestion", "praise": "praise"}
_FEEDBACK_STATUS = {"open": "open", "resolved": "resolved"}
_CONSENT_SOURCE = {"counter": "at the till", "cli": "recorded by the shop", "desk": "at the desk"}

_MONEY = {"amount", "discount", "paid", "money_returned", "lifetime_paid", "redeemed_value"}
_TIMES = {"created_at", "issued_at", "granted_at", "expires_at", "at", "consent_at", "exported_at"}
_POINTS = {"balance", "points", "points_earned", "points_redeemed", "points_reversed", "remaining"}


def _word(section: str, column: str, value: str) -> str:
    """A stored code as the customer's word, in the till's language."""
    if column == "status" and section == "cards":
        return _t(_CARD_STATUS.get(value, value))
    if column == "kind" and section == "ledger":
        return kind_text(value)
    if column == "kind" and section == "feedback":
        return _t(_FEEDBACK_KIND.get(value, value))
    if column == "status" and section == "feedback":
        return _t(_FEEDBACK_STATUS.get(value, value))
    if column == "source":
        return _t(_CONSENT_SOURCE.get(value, value))
    return value


def _moment(value: Any) -> str:
    """A stored time (ISO text or datetime) to the minute, or a day, the locale's short way."""
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value.replace("T", " ")[:16]
    if isinstance(moment, datetime):
        qt = QDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0)
        return QLocale().toString(qt, short_datetime_format())
    if isinstance(moment, date):
        return locale_date(moment)
    return str(value)


def _cell(value: Any, column: str = "", decimals: int = 2, section: str = "") -> str:
    """One value as a person reads it: money with its decimals, times to the minute, yes/no —
    all the locale's way, HTML-escaped."""
    if value is None or value == "":
        return "—"
    if column in _MONEY and isinstance(value, int):
        return html.escape(locale_amount(value, decimals))
    if column in _POINTS and isinstance(value, int):
        return html.escape(QLocale().toString(value))
    if column in _TIMES:
        return html.escape(_moment(value))
    if column == "birthday":
        try:
            return html.escape(locale_date(date.fromisoformat(str(value))))
        except ValueError:
            return html.escape(str(value))
    if column == "consent":
        return html.escape(_t("yes") if value else _t("no"))
    return html.escape(_word(section, column, str(value)))


def _row_cell(row: dict[str, Any], column: str, decimals: int, section: str) -> str:
    """A table cell; a points entry's reason in the customer's language when the program wrote
    it (ledger rows keep it in English, as they travel between tills)."""
    value = row.get(column)
    if section == "ledger" and column == "reason" and value:
        return html.escape(reason_text(str(value), row.get("kind")))
    return _cell(value, column, decimals, section)


def _label(key: str) -> str:
    return html.escape(_t(_LABELS.get(key, key.replace("_", " "))))


def render_html(data: dict[str, Any]) -> str:
    code = str(data.get("currency") or "UAH")
    decimals = currency(code).decimals
    heading = _t("{shop}: the data we store about you").format(shop=_cell(data["shop"]))
    exported = _t("Exported {when}. Amounts in {currency}.").format(
        when=_cell(data["exported_at"], "at"), currency=html.escape(code)
    )
    parts = [
        "<html><body style='font-family: DejaVu Sans, sans-serif; font-size: 9pt;'>",
        f"<h2>{heading}</h2>",
        f"<p>{exported}</p>",
        f"<h3>{html.escape(_t(_TITLES['customer']))}</h3>",
        f"<p><i>{_explained(data, 'customer')}</i></p><table cellpadding='3'>",
    ]
    for key in _PROFILE:
        label = html.escape(_t("Customer since")) if key == "created_at" else _label(key)
        parts.append(f"<tr><td><b>{label}</b></td>")
        parts.append(f"<td>{_cell(data['customer'].get(key), key, decimals)}</td></tr>")
    parts.append("</table>")
    for section, columns in _COLUMNS.items():
        rows = data.get(section, [])
        title = html.escape(_t(_TITLES[section]))
        parts.append(f"<h3>{title} ({QLocale().toString(len(rows))})</h3>")
        parts.append(f"<p><i>{_explained(data, section)}</i></p>")
        if not rows:
            parts.append(f"<p>{html.escape(_t('None.'))}</p>")
            continue
        parts.append("<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr>")
        parts += [f"<th>{_label(c)}</th>" for c in columns]
        parts.append("</tr>")
        for row in rows:
            parts.append(
                "<tr>"
                + "".join(f"<td>{_row_cell(row, c, decimals, section)}</td>" for c in columns)
            )
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def _explained(data: dict[str, Any], section: str) -> str:
    """The section's explanation (an English text marked in ``PrivacyPdf``), translated."""
    return html.escape(_t(str(data["explanation"][section])))


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
        writer.setTitle(_t("Customer data export"))
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

# ruff: noqa: E501  (a style sheet reads best one rule per line)
"""The look of the counter and the desk: calm, high-contrast, big where the cashier reads aloud.

One style sheet applied to those screens (not app-wide, so other screens keep their own look);
widgets pick a role through ``objectName`` or the ``role`` property.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

INK = "#1F2933"
MUTED = "#5B6675"
LINE = "#D9E0E8"
ACCENT = "#0F6E66"
ERROR = "#B42318"
ERROR_BG = "#FEF3F2"
OK = "#067647"
OK_BG = "#ECFDF3"
WARN = "#9A4A05"
WARN_BG = "#FFF6E0"
INFO = "#1D4ED8"
# the colour of a screen's one-line outcome ("Backup saved", "Refused: …") by its tone
TONES = {"info": INFO, "error": ERROR, "ok": OK, "muted": MUTED}

STYLE = f"""
QWidget#screen {{ background: #F3F5F8; }}
QWidget {{ color: {INK}; font-size: 15px; }}
QFrame[role="card"] {{
    background: white; border: 1px solid {LINE}; border-radius: 10px;
}}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="caption"] {{ color: {MUTED}; font-size: 13px; font-weight: 600;
    text-transform: uppercase; letter-spacing: 1px; }}
QLabel[role="name"] {{ font-size: 30px; font-weight: 700; }}
QLabel[role="tier"] {{ background: {ACCENT}; color: white; border-radius: 6px;
    padding: 3px 10px; font-weight: 700; font-size: 14px; }}
QLabel[role="balance"] {{ font-size: 46px; font-weight: 700; color: {INK}; }}
QLabel[role="balance"][negative="true"] {{ color: {ERROR}; }}
QLabel[role="big"] {{ font-size: 40px; font-weight: 700; }}
QLabel[role="figure"] {{ font-size: 20px; font-weight: 600; }}
QLabel[role="topay"] {{ font-size: 44px; font-weight: 800; color: {ACCENT}; }}
QLabel[role="hero"] {{ font-size: 34px; font-weight: 700; color: {INK}; }}
QLabel[role="banner"] {{ border-radius: 8px; padding: 8px 12px; font-weight: 600; font-size: 16px; }}
QLabel[role="banner"][tone="birthday"] {{ background: {WARN_BG}; color: {WARN}; border: 1px solid #F5D58A; }}
QLabel[role="banner"][tone="praise"] {{ background: #EEF4FF; color: #1D4ED8; border: 1px solid #C7D7FE; }}
QLabel[role="banner"][tone="expiry"] {{ background: {WARN_BG}; color: {WARN}; border: 1px solid #F5D58A; }}
QLabel#message {{ border-radius: 8px; padding: 10px 14px; font-size: 17px; font-weight: 600; }}
QLabel#message[tone="error"] {{ background: {ERROR_BG}; color: {ERROR}; border: 1px solid #FDA29B; }}
QLabel#message[tone="info"] {{ background: #EEF4FF; color: #1D4ED8; border: 1px solid #C7D7FE; }}
QLabel#message[tone="ready"] {{ color: {OK}; font-weight: 600; font-size: 15px; }}
QLabel#message[tone="ok"] {{ background: {OK_BG}; color: {OK}; border: 1px solid #A6F4C5; }}
QLabel#result {{ background: {OK_BG}; color: {OK}; border: 1px solid #A6F4C5; border-radius: 10px;
    padding: 14px 18px; font-size: 26px; font-weight: 700; }}
QLineEdit {{ background: white; border: 1px solid #B8C2CF; border-radius: 8px; padding: 6px 10px; }}
QLineEdit:focus {{ border: 2px solid {ACCENT}; }}
QLineEdit#amount {{ font-size: 40px; font-weight: 700; padding: 6px 14px; min-height: 58px; }}
QLineEdit#lookup {{ font-size: 19px; min-height: 38px; }}
QRadioButton {{ font-size: 17px; spacing: 8px; padding: 4px 0; }}
QPushButton {{ background: white; border: 1px solid #B8C2CF; border-radius: 8px; padding: 8px 16px;
    font-weight: 600; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; }}
QPushButton[role="primary"] {{ background: {ACCENT}; color: white; border: none; font-size: 18px;
    padding: 12px 20px; }}
QPushButton[role="primary"]:disabled {{ background: #A9C5C2; }}
QProgressBar {{ background: #E7ECF1; border: none; border-radius: 5px; height: 10px; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 5px; }}
QTableView {{ background: white; border: 1px solid {LINE}; border-radius: 8px;
    gridline-color: #EEF1F5; selection-background-color: #D5ECE9; selection-color: {INK}; }}
QHeaderView::section {{ background: #F7F9FB; color: {MUTED}; border: none;
    border-bottom: 1px solid {LINE}; padding: 6px 8px; font-weight: 600; }}
QLabel[role="key"] {{ background: #E7ECF1; color: {INK}; border: 1px solid #C9D2DC;
    border-radius: 4px; padding: 1px 6px; font-size: 13px; font-weight: 700; }}
"""


def apply(widget: QWidget) -> None:
    widget.setObjectName(widget.objectName() or "screen")
    widget.setStyleSheet(STYLE)


def restyle(widget: QWidget) -> None:
    """Re-evaluate property selectors after ``setProperty`` (Qt does not do it by itself)."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)

"""Card rendering makes thousands of Qt calls; PySide6 6.12.0 on CPython 3.11 loses a reference to
None on each one that returns nothing, which used to abort the process at exit. The guard in
``terminal/__init__.py`` must keep a long rendering session alive."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import terminal
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
app = QGuiApplication([])
image = QImage(64, 64, QImage.Format.Format_RGB32)
painter = QPainter(image)
for _ in range(20_000):
    painter.fillRect(QRectF(1, 1, 5, 5), QColor("black"))
painter.end()
print("survived")
"""


def test_twenty_thousand_void_qt_calls_do_not_abort_the_process() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "survived" in done.stdout

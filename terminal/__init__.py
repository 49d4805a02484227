"""Loyalty terminal: a desktop loyalty-card till for small shops."""

__version__ = "0.1.0"


def _keep_none_alive() -> None:
    """Work around PySide6 6.12.0 on CPython 3.11, which drops one reference to ``None`` on every
    Qt call that returns nothing (``QPainter.fillRect``, ``setFont``…). After ~5 000 such calls
    ``None`` is freed and the process aborts ("Fatal Python error: none_dealloc"). CPython 3.12
    made ``None`` immortal; this does the same here. Harmless where the bug is absent."""
    import sys

    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


_keep_none_alive()

"""Card tests paint with Qt: make sure the application is pytest-qt's QApplication (so later GUI
tests in the same run still get one), never a bare QGuiApplication made by the renderer."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image


@pytest.fixture(autouse=True)
def _qt_application(qapp: object) -> object:
    return qapp


@pytest.fixture
def rasterize():
    """Rasterize a PDF page with poppler, the way a print driver would see it."""

    def run(pdf: Path, page: int = 1, dpi: int = 300) -> Image.Image:
        if shutil.which("pdftoppm") is None:
            pytest.skip("pdftoppm (poppler-utils) is not installed")
        out = pdf.with_name(f"{pdf.stem}-p{page}-{dpi}")
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(out),
            ],
            check=True,
        )
        return Image.open(out.with_suffix(".png")).convert("L")

    return run

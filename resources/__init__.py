"""Icons, translations and card assets, installed as the ``terminal.resources`` package."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent

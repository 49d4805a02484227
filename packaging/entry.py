"""PyInstaller entry point: the same ``main`` as the ``loyalty-terminal`` console script."""

import multiprocessing
import sys

from terminal.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())

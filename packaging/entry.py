"""PyInstaller entry point: the same ``main`` as the ``loyalty-terminal`` console script."""

import multiprocessing
import sys

if __name__ == "__main__":
    # First: in a worker process (a sync import's staging, terminal/sync/staging.py) this runs
    # the worker and exits, before anything of the app is imported.
    multiprocessing.freeze_support()
    from terminal.cli import main

    sys.exit(main())

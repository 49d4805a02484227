"""Allow ``python -m terminal`` so the packaged app and the source tree start the same way."""

import sys

from terminal.cli import main

if __name__ == "__main__":
    sys.exit(main())

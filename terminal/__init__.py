"""Loyalty terminal: a desktop loyalty-card till for small shops."""

__version__ = "0.1.0"

# The folders the operating system gives the program (platformdirs): data, logs, settings.
APP_NAME = "loyalty-terminal"
APP_AUTHOR = "LoyaltyTerminal"

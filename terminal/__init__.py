"""Loyalty terminal: a desktop loyalty-card till for small shops."""

__version__ = "0.1.0"

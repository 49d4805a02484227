"""Offline-first sync between tills: signed bundles, the apply engine, pairing, the PostgreSQL hub.

See docs/sync.md for the design, the bundle format and the conflict rules.
"""

"""SQLite storage: tables, engine settings, migrations."""

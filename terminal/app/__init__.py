"""Use cases the UI and the CLI both call. Each one is a single transaction."""

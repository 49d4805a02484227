"""Qt widgets. Screens call terminal.app use cases and show what they return."""

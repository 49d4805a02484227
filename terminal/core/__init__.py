"""Pure domain rules: money, card numbers, program, checkout math. No Qt, no SQL, no I/O."""

"""What an erased customer's fields hold instead of their data.

These markers are stored in the database and travel to every till in the journal, so they are
one fixed English text each, whatever the language of the till that erased the person; screens
show them in their own language (``i18n_text.erased_marker_text``). Kept in ``core`` so the
interface can recognise them without importing the privacy use cases.
"""

from __future__ import annotations

ERASED_NAME = "Erased customer"
ERASED_FEEDBACK = "(text erased at the customer's request)"

"""Tables of the data-safety feature: the history of a customer's marketing consent.

The customer row only holds the consent *now*; a shop must be able to show when (and by whom)
a person said yes or no, so every change is kept here, append-only, with its time.
"""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class ConsentChange(SQLModel, table=True):
    __tablename__ = "consent_change"

    id: str = Field(primary_key=True)
    customer_id: str = Field(foreign_key="customer.id", index=True)
    consent: bool
    at: NaiveDatetime
    actor: str = ""  # staff id, "cli", or "import"
    source: str = ""  # counter | cli | registration | erase

"""The customer's 0–10 answer to "would you recommend us?", asked at the counter after a sale.

One answer per sale (asking twice must not skew the score); journaled as ``nps.recorded`` so the
chain's reports see every till's answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from terminal.app.journal import ChangeSet, record_event
from terminal.app.settings import get_setting
from terminal.app.till import Till
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput, SaleNotFound
from terminal.core.ids import new_id
from terminal.db.models import NpsResponse, Purchase


@dataclass(frozen=True)
class NpsAnswer:
    response_id: str
    sale_id: str | None
    score: int
    replayed: bool = False


class Nps:
    def __init__(self, till: Till) -> None:
        self.till = till

    def enabled(self) -> bool:
        """The owner can switch the question off (setting ``nps_enabled``)."""
        with self.till.read() as s:
            return bool(get_setting(s, "nps_enabled"))

    def record(self, score: int, sale_id: str | None = None) -> NpsAnswer:
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "The score is a whole number from 0 to 10."),
                field="score",
            )
        now = self.till.now()
        with self.till.write() as s:
            customer_id = None
            if sale_id is not None:
                purchase = s.get(Purchase, sale_id)
                if purchase is None:
                    raise SaleNotFound(
                        QT_TRANSLATE_NOOP("Errors", "No sale with the id {sale_id}."),
                        sale_id=sale_id,
                    )
                customer_id = purchase.customer_id
                earlier = s.exec(
                    select(NpsResponse).where(NpsResponse.purchase_id == sale_id)
                ).first()
                if earlier is not None:
                    return NpsAnswer(earlier.id, sale_id, earlier.score, replayed=True)
            changes = ChangeSet(s)
            row = NpsResponse(
                id=new_id(),
                customer_id=customer_id,
                purchase_id=sale_id,
                score=score,
                created_at=now,
            )
            changes.add(row)
            record_event(s, self.till.terminal_id, "nps.recorded", changes.payload(), now)
            return NpsAnswer(row.id, sale_id, score)

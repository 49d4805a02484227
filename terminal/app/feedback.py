"""Complaints, suggestions and praise for a customer, recorded at the counter or the desk and
resolved by the owner with a note. Journaled like every other change so the chain sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from terminal.app.journal import ChangeSet, record_event
from terminal.app.staff import write_audit
from terminal.app.till import Till
from terminal.core.errors import QT_TRANSLATE_NOOP, InvalidInput, NotFound
from terminal.core.ids import new_id
from terminal.db.models import Customer, Feedback

KINDS = ("complaint", "suggestion", "praise")
MAX_TEXT = 2000


@dataclass(frozen=True)
class FeedbackItem:
    id: str
    customer_id: str | None
    customer_name: str
    kind: str
    text: str
    status: str
    resolution: str
    created_at: datetime
    resolved_at: datetime | None


class FeedbackBook:
    def __init__(self, till: Till) -> None:
        self.till = till

    def record(
        self, kind: str, text: str, customer_id: str | None = None, staff_id: str | None = None
    ) -> FeedbackItem:
        text = text.strip()
        if kind not in KINDS:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Choose complaint, suggestion or praise."), field="kind"
            )
        if not text:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Write what the customer said."), field="text"
            )
        if len(text) > MAX_TEXT:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Keep it under {MAX_TEXT} characters."),
                field="text",
                MAX_TEXT=MAX_TEXT,
            )
        now = self.till.now()
        with self.till.write() as s:
            name = ""
            if customer_id is not None:
                customer = s.get(Customer, customer_id)
                if customer is None:
                    raise NotFound(
                        QT_TRANSLATE_NOOP("Errors", "That customer no longer exists."),
                        customer_id=customer_id,
                    )
                name = customer.name
            row = Feedback(
                id=new_id(),
                customer_id=customer_id,
                kind=kind,
                text=text,
                created_at=now,
                created_by=staff_id,
            )
            changes = ChangeSet(s)
            changes.add(row)
            record_event(s, self.till.terminal_id, "feedback.recorded", changes.payload(), now)
            return _item(row, name)

    def resolve(self, feedback_id: str, resolution: str, owner_id: str | None) -> FeedbackItem:
        resolution = resolution.strip()
        if not resolution:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("Errors", "Write how it was resolved."), field="resolution"
            )
        now = self.till.now()
        with self.till.write() as s:
            row = s.get(Feedback, feedback_id)
            if row is None:
                raise NotFound(
                    QT_TRANSLATE_NOOP("Errors", "That feedback item no longer exists."),
                    feedback_id=feedback_id,
                )
            if row.status == "resolved":
                raise InvalidInput(
                    QT_TRANSLATE_NOOP("Errors", "This item is already resolved."), field="status"
                )
            row.status, row.resolution, row.resolved_at = "resolved", resolution, now
            s.add(row)
            changes = ChangeSet(s)
            changes.update(
                "feedback",
                row.id,
                {"status": "resolved", "resolution": resolution, "resolved_at": now},
            )
            record_event(s, self.till.terminal_id, "feedback.resolved", changes.payload(), now)
            write_audit(s, now, owner_id or "", "feedback.resolved", feedback_id=row.id)
            customer = s.get(Customer, row.customer_id) if row.customer_id else None
            return _item(row, customer.name if customer else "")

    def list(self, status: str | None = None, limit: int = 1000) -> list[FeedbackItem]:
        with self.till.read() as s:
            query = (
                select(Feedback, Customer.name)
                .join(Customer, col(Customer.id) == col(Feedback.customer_id), isouter=True)
                .order_by(col(Feedback.created_at).desc())
                .limit(limit)
            )
            if status is not None:
                query = query.where(Feedback.status == status)
            return [_item(row, name or "") for row, name in s.exec(query).all()]


def _item(row: Feedback, name: str) -> FeedbackItem:
    return FeedbackItem(
        row.id,
        row.customer_id,
        name,
        row.kind,
        row.text,
        row.status,
        row.resolution,
        row.created_at,
        row.resolved_at,
    )

"""The audit log: every state change, stock adjustment, approval, refund and sign-in failure."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.time import utcnow
from shop.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(String(160), nullable=False, default="sistem")
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("facility.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    from_value: Mapped[str | None] = mapped_column(String(60))
    to_value: Mapped[str | None] = mapped_column(String(60))
    amount: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False,
                                                 index=True)


def record(kind, *, actor=None, facility_id=None, subject="", from_value=None, to_value=None,
           amount=None, note="") -> AuditEntry:
    """Add an audit row to the current transaction (the caller commits with its change)."""
    label = getattr(actor, "email", None) or (actor if isinstance(actor, str) else "sistem")
    entry = AuditEntry(
        kind=kind, actor_id=getattr(actor, "id", None), actor_label=label,
        facility_id=facility_id, subject=subject, from_value=from_value, to_value=to_value,
        amount=amount, note=note,
    )
    db.session.add(entry)
    return entry

"""How many mails wait in the outbox (for /healthz and /metrics)."""

from sqlalchemy import func, select

from shop.extensions import db
from shop.mail.models import OutboxMessage


def outbox_backlog() -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending"))

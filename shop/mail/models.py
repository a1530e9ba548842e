"""The outbox: mails are written in the transaction that causes them and sent afterwards."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.rendering import render_later


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    # The bodies; empty until first read for a mail queued with the ids of what it shows
    # (`template`, `context`, `locale`: shop.mail.rendering). Read them as text_body/html_body.
    stored_text: Mapped[str | None] = mapped_column("text_body", Text)
    stored_html: Mapped[str | None] = mapped_column("html_body", Text)
    template: Mapped[str | None] = mapped_column(String(60))
    context: Mapped[dict | None] = mapped_column(JSON)
    locale: Mapped[str | None] = mapped_column(String(10))
    # pending -> sent; failures stay pending with a later next_attempt_at (gives up after 10).
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    def _rendered(self) -> None:
        """Render the bodies of a mail queued with ids, once (they are saved with the next
        commit). Raises shop.mail.rendering.MailSubjectGone when what it shows is gone."""
        if self.stored_text is None and self.template:
            self.stored_text, self.stored_html = render_later(
                self.template, self.locale, self.context or {})

    @property
    def text_body(self) -> str:
        self._rendered()
        return self.stored_text

    @text_body.setter
    def text_body(self, value: str) -> None:
        self.stored_text = value

    @property
    def html_body(self) -> str:
        self._rendered()
        return self.stored_html

    @html_body.setter
    def html_body(self, value: str) -> None:
        self.stored_html = value

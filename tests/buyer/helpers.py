"""What the buyer tests share: the mails in the outbox and the links inside them."""

import re
from urllib.parse import urlsplit

from sqlalchemy import select


def mails(to=None):
    from shop.extensions import db
    from shop.mail.models import OutboxMessage

    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to:
        query = query.where(OutboxMessage.to_address == to)
    return db.session.scalars(query).all()


def links_in(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)


def order_link_in(message, suffix=""):
    """The path (with query) of the first link to /orders/<number><suffix>?k=... in a mail."""
    for url in links_in(message.text_body):
        parts = urlsplit(url)
        if re.fullmatch(r"/orders/EB-[A-Z0-9]+" + re.escape(suffix), parts.path) \
                and "k=" in parts.query:
            return f"{parts.path}?{parts.query}"
    raise AssertionError(f"no signed order link in {message.subject!r}")

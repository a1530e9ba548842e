"""Signed order links: what every customer mail carries, so the order opens in any browser.

A link is an itsdangerous token over the order's id and a digest of its e-mail, valid for
ORDER_LINK_DAYS (90). It stops working when the order's e-mail changes (anonymised, for one),
when it is older than that, or when a single character is changed.
"""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from shop.core.text import email_identity, normalize_phone
from shop.core.urls import external_url
from shop.orders.services import order_by_number

ORDER_LINK_SALT = "order-link"
ORDER_LINK_DAYS = 90
LINK_ARG = "k"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=ORDER_LINK_SALT)


def _email_digest(email: str) -> str:
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:16]


def make_order_token(order) -> str:
    return _serializer().dumps({"o": order.id, "e": _email_digest(order.email)})


def order_token_valid(order, token: str | None) -> bool:
    """True when `token` was signed for this order and its current e-mail, under 90 days ago."""
    if not token or not isinstance(token, str) or len(token) > 300:
        return False
    max_age = current_app.config.get("ORDER_LINK_DAYS", ORDER_LINK_DAYS) * 86400
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is one too
        return False
    return (isinstance(data, dict) and data.get("o") == order.id
            and data.get("e") == _email_digest(order.email))


def order_link(order, endpoint: str = "payments.order_detail", **values) -> str:
    """The absolute signed link to an order page, for mails and PDFs (SHOP_BASE_URL)."""
    return external_url(endpoint, number=order.number, **{LINK_ARG: make_order_token(order)},
                        **values)


def normalize_number(raw: str | None) -> str:
    """'eb-7k3m9q ', 'EB 7K3M9Q', '7k3m9q' -> 'EB-7K3M9Q' (what a buyer types from a mail)."""
    text = "".join((raw or "").split()).upper()[:30]
    if text.startswith("EB") and not text.startswith("EB-"):
        text = "EB-" + text[2:]
    elif not text.startswith("EB-") and text:
        text = "EB-" + text
    return text[:20]


def find_for_lookup(number: str | None, contact: str | None):
    """The order with this number whose e-mail (its mailbox, shop.core.text.email_identity)
    or phone (normalised, +62...) is `contact`; None for anything else, whichever part is
    wrong."""
    contact = (contact or "").strip()[:254]
    order = order_by_number(normalize_number(number))
    if order is None or not contact:
        return None
    if "@" in contact:
        key = email_identity(contact)
        match = bool(key) and key in (order.email_key, email_identity(order.email))
    else:
        phone = normalize_phone(contact)
        match = phone is not None and phone == order.phone
    return order if match else None

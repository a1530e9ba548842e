"""Who may see an order: its owner's session, a verified account with the order's e-mail (an
order placed as a guest), anyone holding its secret access token, or a browser that opened
one of its signed mail links (shop.orders.links)."""

from flask import session
from flask_login import current_user

from shop.core.text import email_identity
from shop.core.tokens import token_matches
from shop.orders.links import order_token_valid

SESSION_KEY = "order_tokens"
# Signed links a browser opened: kept (the signed session cookie) so the page can drop the
# token from its address. Dropped at sign-in and sign-out like the tokens above
# (shop.accounts.views).
LINKS_KEY = "order_links"
KEEP = 20


def remember_order_token(number: str, token: str) -> None:
    """The browser that placed the order keeps its token (the signed session cookie)."""
    tokens = dict(session.get(SESSION_KEY, {}))
    tokens[number] = token
    session[SESSION_KEY] = dict(list(tokens.items())[-KEEP:])


def remember_order_link(number: str, signed: str) -> None:
    links = dict(session.get(LINKS_KEY, {}))
    links.pop(number, None)
    links[number] = signed
    session[LINKS_KEY] = dict(list(links.items())[-KEEP:])


def token_for(number: str) -> str | None:
    return session.get(SESSION_KEY, {}).get(number)


def verified_owner(order, user) -> bool:
    """A verified account sees the orders placed with its e-mail, as a guest too."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "email_verified_at",
                                                                   None):
        return False
    key = email_identity(user.email)
    return bool(key) and order.user_id is None and order.email_key == key


def can_view(order, token: str | None) -> bool:
    if current_user.is_authenticated and (order.user_id == current_user.id
                                          or verified_owner(order, current_user)):
        return True
    if token and token_matches(token, order.token_hash):
        return True
    if order_token_valid(order, session.get(LINKS_KEY, {}).get(order.number)):
        return True
    return token_matches(token_for(order.number), order.token_hash)

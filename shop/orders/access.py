"""Who may see an order: its owner's session, or anyone holding its secret access token."""

from flask import session
from flask_login import current_user

from shop.core.tokens import token_matches

SESSION_KEY = "order_tokens"
KEEP = 20


def remember_order_token(number: str, token: str) -> None:
    """The browser that placed the order keeps its token (the signed session cookie)."""
    tokens = dict(session.get(SESSION_KEY, {}))
    tokens[number] = token
    session[SESSION_KEY] = dict(list(tokens.items())[-KEEP:])


def token_for(number: str) -> str | None:
    return session.get(SESSION_KEY, {}).get(number)


def can_view(order, token: str | None) -> bool:
    if current_user.is_authenticated and order.user_id == current_user.id:
        return True
    if token and token_matches(token, order.token_hash):
        return True
    return token_matches(token_for(order.number), order.token_hash)

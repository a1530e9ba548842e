"""Which cart belongs to this visitor: the account's, or the guest's (token in the signed
session cookie). The item count rides in the session too, so pages need no query for it."""

from flask import session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from shop.cart.services import cart_by_token, cart_for_user, create_cart

CART_COUNT_MARK = "__CART_COUNT__"
CSRF_MARK = "__CSRF_TOKEN__"
CART_COUNT_MARK_B, CSRF_MARK_B = CART_COUNT_MARK.encode(), CSRF_MARK.encode()


def current_cart(create=False):
    if current_user.is_authenticated:
        cart = cart_for_user(current_user)
        if cart is None and create:
            cart = create_cart(current_user)
    else:
        cart = cart_by_token(session.get("cart_token"))
        if cart is not None and cart.user_id is not None:
            cart = None  # a signed-out visitor never sees an account's cart
        if cart is None and create:
            cart = create_cart()
    if cart is not None:
        session["cart_token"] = cart.token
    return cart


def remember_count(view) -> None:
    session["cart_count"] = view.item_count


def init_app(app):
    @app.after_request
    def _fill_cart_count(response):
        """Cached pages carry placeholders; every response gets this visitor's cart count and
        CSRF token (so a page cached for everyone never carries someone else's token)."""
        if response.mimetype == "text/html" and not response.direct_passthrough:
            body = response.get_data()
            if CART_COUNT_MARK_B in body:
                body = body.replace(CART_COUNT_MARK_B, str(session.get("cart_count", 0)).encode())
                if CSRF_MARK_B in body:
                    body = body.replace(CSRF_MARK_B, generate_csrf().encode())
                response.set_data(body)
        return response

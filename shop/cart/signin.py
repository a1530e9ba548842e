"""At sign-in the guest cart joins the account's cart. The accounts area does not know carts:
it signs the user in, Flask-Login sends `user_logged_in`, and this listener does the rest."""

from flask import session
from flask_login import user_logged_in

from shop.cart.services import cart_by_token, cart_for_user, load_cart, merge_into, view_cart
from shop.cart.session import remember_count
from shop.extensions import db

CART_SESSION_KEY = "cart_token"
CART_COUNT_KEY = "cart_count"


def attach_cart_on_login(user, guest_token: str | None):
    """The guest cart joins the account's cart: adopted when the account has none, otherwise
    merged into it (quantities added, capped by stock). A cart belonging to another account is
    ignored. Only customers shop: staff, partner and admin accounts never take a guest cart.
    Commits; returns the account's cart (None when there is neither)."""
    if user.role != "customer":
        return None
    guest = cart_by_token(guest_token)
    if guest is not None and guest.user_id is not None and guest.user_id != user.id:
        guest = None
    owner = cart_for_user(user)
    if owner is None and guest is not None:
        guest.user_id = user.id
        owner = guest
    elif owner is not None and guest is not None and guest.id != owner.id:
        merge_into(guest, owner)
    db.session.commit()
    return owner


def _bring_guest_cart(sender, user, **extra):
    cart = attach_cart_on_login(user, session.get(CART_SESSION_KEY))
    if cart is not None:
        session[CART_SESSION_KEY] = cart.token
        remember_count(view_cart(load_cart(cart.id)))
    else:
        session.pop(CART_SESSION_KEY, None)
        session.pop(CART_COUNT_KEY, None)


def init_app(app):
    user_logged_in.connect(_bring_guest_cart, app)

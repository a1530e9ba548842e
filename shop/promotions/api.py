"""A cart's promotion code: POST and DELETE /api/v1/carts/<token>/promotion."""

from flask_babel import gettext as _

from shop.cart.api import cart_json, cart_missing, find_cart
from shop.cart.services import load_cart, view_cart
from shop.core.api import bp, json_body
from shop.core.errors import api_error
from shop.promotions.services import apply_cart_code, reason_text, remove_cart_code


@bp.post("/carts/<token>/promotion")
def add_promotion(token):
    cart = find_cart(token)
    if cart is None:
        return cart_missing()
    body = json_body()
    if body is None or not isinstance(body.get("code"), str):
        return api_error(400, _('Kirim JSON {"code": "..."}.'), code="invalid_body")
    problem = apply_cart_code(cart, body["code"])
    if problem:
        return api_error(422, reason_text(problem), code="unknown_code")
    return cart_json(view_cart(load_cart(cart.id)))


@bp.delete("/carts/<token>/promotion")
def remove_promotion(token):
    cart = find_cart(token)
    if cart is None:
        return cart_missing()
    remove_cart_code(cart)
    return cart_json(view_cart(load_cart(cart.id)))

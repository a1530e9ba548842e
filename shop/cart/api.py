"""Cart API: POST /api/v1/carts, GET /api/v1/carts/<token>, PUT .../lines/<product_slug>."""

from flask_babel import gettext as _
from flask_login import current_user

from shop.cart.pricing import price_cart
from shop.cart.services import (
    CartError,
    change_quantity,
    create_cart,
    load_cart_by_token,
    view_cart,
)
from shop.core.api import bp, json_body
from shop.core.errors import api_error
from shop.extensions import db


def _line_json(line):
    return {
        "product": line.product.slug, "name": line.product.name, "unit": line.product.unit,
        "price": line.price, "quantity": line.quantity, "line_total": line.total,
        "stock": line.product.stock, "facility": line.product.facility.slug,
        "problems": line.problems,
    }


def cart_json(view):
    """The cart as the API shows it, with each registered adjustment (promotions) priced in."""
    pricing = price_cart(view, current_user if current_user.is_authenticated else None)
    return {
        "token": view.cart.token,
        "facilities": [
            {"facility": g.facility.slug, "name": g.facility.name, "subtotal": g.subtotal,
             "weight_grams": g.weight_grams, "discount": pricing.discount_for(g.facility.id),
             "lines": [_line_json(line) for line in g.lines]}
            for g in view.groups
        ],
        "item_count": view.item_count,
        "subtotal": view.subtotal,
        "discount": pricing.discount,
        "total": pricing.total,
        **pricing.json_parts(),
        "can_checkout": view.can_checkout,
    }


def find_cart(token):
    return load_cart_by_token(token, images=False)


def cart_missing():
    return api_error(404, _("Keranjang tidak ditemukan."))


@bp.post("/carts")
def create_cart_api():
    # The answer is the new, empty cart as written (no reload), read in the transaction that
    # saves it: no second transaction (pool checkout, BEGIN, ROLLBACK) for the promotions.
    cart = create_cart()
    answer = cart_json(view_cart(cart))
    db.session.commit()
    return answer, 201


@bp.get("/carts/<token>")
def get_cart(token):
    cart = find_cart(token)
    if cart is None:
        return cart_missing()
    return cart_json(view_cart(cart))


@bp.put("/carts/<token>/lines/<product_slug>")
def put_line(token, product_slug):
    cart = find_cart(token)
    if cart is None:
        return cart_missing()
    body = json_body()
    if body is None or "quantity" not in body:
        return api_error(400, _('Kirim JSON {"quantity": n}.'), code="invalid_body")
    try:
        change_quantity(cart, product_slug, body["quantity"], commit=False)
    except CartError as exc:
        return api_error(422, str(exc), code="invalid_quantity")
    # The answer is the cart as this request leaves it, read before the commit in the same
    # transaction: no second transaction (pool checkout, BEGIN, ROLLBACK) for the promotions.
    answer = cart_json(view_cart(cart))
    db.session.commit()
    return answer

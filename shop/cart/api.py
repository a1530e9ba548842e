"""Cart API: POST /api/v1/carts, GET /api/v1/carts/<token>, PUT .../lines/<product_slug>."""


from shop.cart.services import (
    CartError,
    cart_by_token,
    create_cart,
    load_cart,
    parse_quantity,
    set_quantity,
    view_cart,
)
from shop.core.api import bp, json_body
from shop.core.errors import api_error
from shop.extensions import db


def promotions_json(view):
    from flask_login import current_user

    from shop.promotions.services import CartPromotions

    promos = CartPromotions(view, current_user if current_user.is_authenticated else None)
    slug_of = {g.facility.id: g.facility.slug for g in view.groups}
    return promos, {
        "code": promos.entered_code,
        "code_refusal": ({"reason": promos.refusal, "message": promos.refusal_text}
                         if promos.refusal else None),
        "applied": [
            {"promotion": promotion.slug, "name": promotion.name, "discount": amount,
             "funding": promotion.funding}
            for promotion, amount in promos.applied()
        ],
        "discount_total": promos.total,
        "per_facility": {slug_of[f]: amount for f, amount in promos.by_facility.items()
                         if f in slug_of},
    }


def cart_json(view):
    def line_json(line):
        return {
            "product": line.product.slug, "name": line.product.name, "unit": line.product.unit,
            "price": line.price, "quantity": line.quantity, "line_total": line.total,
            "stock": line.product.stock, "facility": line.product.facility.slug,
            "problems": line.problems,
        }

    promos, promotions = promotions_json(view)
    return {
        "token": view.cart.token,
        "facilities": [
            {"facility": g.facility.slug, "name": g.facility.name, "subtotal": g.subtotal,
             "weight_grams": g.weight_grams, "discount": promos.by_facility.get(g.facility.id, 0),
             "lines": [line_json(line) for line in g.lines]}
            for g in view.groups
        ],
        "item_count": view.item_count,
        "subtotal": view.subtotal,
        "discount": promos.total,
        "total": view.subtotal - promos.total,
        "promotions": promotions,
        "can_checkout": view.can_checkout,
    }


def find_cart(token):
    cart = cart_by_token(token)
    return load_cart(cart.id) if cart else None


@bp.post("/carts")
def create_cart_api():
    cart = create_cart()
    db.session.commit()
    return cart_json(view_cart(load_cart(cart.id))), 201


@bp.get("/carts/<token>")
def get_cart(token):
    cart = find_cart(token)
    if cart is None:
        return api_error(404, "Keranjang tidak ditemukan.")
    return cart_json(view_cart(cart))


@bp.put("/carts/<token>/lines/<product_slug>")
def put_line(token, product_slug):
    cart = find_cart(token)
    if cart is None:
        return api_error(404, "Keranjang tidak ditemukan.")
    body = json_body()
    if body is None or "quantity" not in body:
        return api_error(400, 'Kirim JSON {"quantity": n}.', code="invalid_body")
    try:
        set_quantity(cart, product_slug, parse_quantity(body["quantity"]))
        db.session.commit()
    except CartError as exc:
        db.session.rollback()
        return api_error(422, str(exc), code="invalid_quantity")
    return cart_json(view_cart(load_cart(cart.id)))


@bp.post("/carts/<token>/promotion")
def add_promotion(token):
    from shop.promotions.services import reason_text, set_cart_code

    cart = find_cart(token)
    if cart is None:
        return api_error(404, "Keranjang tidak ditemukan.")
    body = json_body()
    if body is None or not isinstance(body.get("code"), str):
        return api_error(400, 'Kirim JSON {"code": "..."}.', code="invalid_body")
    problem = set_cart_code(cart, body["code"])
    if problem:
        return api_error(422, reason_text(problem), code="unknown_code")
    db.session.commit()
    return cart_json(view_cart(load_cart(cart.id)))


@bp.delete("/carts/<token>/promotion")
def remove_promotion(token):
    from shop.promotions.services import clear_cart_code

    cart = find_cart(token)
    if cart is None:
        return api_error(404, "Keranjang tidak ditemukan.")
    clear_cart_code(cart)
    db.session.commit()
    return cart_json(view_cart(load_cart(cart.id)))

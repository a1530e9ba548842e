"""Checkout and order API: POST /api/v1/carts/<token>/checkout, GET /api/v1/orders/<number>."""

from flask import current_app, request
from flask_babel import gettext as _

from shop.cart.services import load_cart_by_token
from shop.checkout.addresses import validate_details
from shop.checkout.services import CheckoutError, OutOfStock, place_order
from shop.core.api import bp, json_body
from shop.core.database import kept_after_commit
from shop.core.errors import api_error
from shop.core.tokens import token_matches
from shop.extensions import limiter
from shop.orders.queries import order_for_page
from shop.orders.services import order_by_number
from shop.payments import methods
from shop.payments.gateway import GatewayUnavailable
from shop.payments.services import current_payment, expire_and_cancel, start_payment


def find_cart(token):
    return load_cart_by_token(token, images=False)


def order_json(order, with_lines=True, discounts=None):
    """`discounts`: the parcels' discounts by facility order id when the caller has them."""
    from shop.promotions.queries import discounts_by_parcel

    if discounts is None:
        discounts = discounts_by_parcel(order)

    def parcel(fo):
        data = {"number": fo.number, "facility": fo.facility.slug, "status": fo.status,
                "delivery": fo.delivery, "subtotal": fo.subtotal, "shipping": fo.shipping,
                "discount": fo.discount, "total": fo.total}
        data["discounts"] = [
            {"promotion": d.promotion.slug, "amount": d.amount, "shipping_part": d.shipping_part,
             "funding": d.funding} for d in discounts.get(fo.id, [])]
        if with_lines:
            data.update(courier=fo.courier, tracking_number=fo.tracking_number, lines=[
                {"product": line.product_slug, "name": line.product_name, "unit": line.unit,
                 "unit_price": line.unit_price, "quantity": line.quantity,
                 "line_total": line.line_total} for line in fo.lines])
        return data

    return {
        "number": order.number, "status": order.status, "subtotal": order.subtotal,
        "shipping_total": order.shipping_total, "discount_total": order.discount_total,
        "total": order.total, "created_at": order.created_at.isoformat() + "Z",
        "expires_at": order.expires_at.isoformat() + "Z",
        "facility_orders": [parcel(fo) for fo in order.facility_orders],
    }


def payment_json(order, payment):
    """The `payment` object of the contract, by the order's method; None when no attempt could
    be started (the gateway was down or hung): `POST /orders/<number>/payment` or the pay page
    starts one later, the order and its stock wait until then."""
    if payment is None:
        return None
    return methods.method_of(order).json(payment, order)


@bp.post("/carts/<token>/checkout")
@limiter.limit("20 per minute")
def checkout(token):
    cart = find_cart(token)
    if cart is None:
        return api_error(404, _("Keranjang tidak ditemukan."))
    body = json_body()
    if body is None:
        return api_error(400, _("Kirim objek JSON dengan contact, address dan delivery."),
                         code="invalid_body")
    contact, address, delivery = (body.get(k) for k in ("contact", "address", "delivery"))
    if not all(isinstance(part, dict) for part in (contact, address, delivery)):
        return api_error(400, _("contact, address dan delivery harus berupa objek JSON."),
                         code="invalid_body")
    details, errors = validate_details(contact, address, body.get("note"))
    if errors:
        return api_error(422, _("Periksa data kontak dan alamat."), code="invalid_details",
                         fields=errors)
    with kept_after_commit():  # the answer is built from the order just written
        return _place(cart, details, delivery, body.get("payment_method"))


def _place(cart, details, delivery, payment_method):
    try:
        order, order_token = place_order(cart, details, delivery, payment_method=payment_method)
    except OutOfStock as exc:
        return api_error(409, exc.message, code="out_of_stock",
                         products=[p.slug for p in exc.products])
    except CheckoutError as exc:
        status = 422 if exc.code in ("invalid_delivery", "below_minimum",
                                     "invalid_payment_method") else 409
        if exc.code == "empty_cart":
            status = 400
        return api_error(status, exc.message, code=exc.code, fields=exc.fields)
    try:
        payment = start_payment(order, just_placed=True)
    except GatewayUnavailable:
        current_app.logger.exception("payment could not start for %s", order.number)
        payment = None
    # A new order's parcels carry a discount only where a promotion was redeemed.
    discounts = None if any(fo.discount for fo in order.facility_orders) else {}
    body = order_json(order, with_lines=False, discounts=discounts)
    body.update(token=order_token, payment=payment_json(order, payment))
    return body, 201


@bp.get("/orders/<number>")
def get_order(number):
    order = order_by_number(number)
    if order is None or not token_matches(request.headers.get("X-Order-Token"), order.token_hash):
        return api_error(404, _("Pesanan tidak ditemukan."))
    expire_and_cancel(order)
    body = order_json(order_for_page(order.id))
    body["payment"] = payment_json(order, current_payment(order))
    return body


@bp.post("/orders/<number>/payment")
@limiter.limit("20 per minute")
def restart_payment(number):
    """Start or restart the order's payment, optionally by another method: the open attempt
    is closed at its gateway (a transfer's code released) and a new one started."""
    order = order_by_number(number)
    if order is None or not token_matches(request.headers.get("X-Order-Token"), order.token_hash):
        return api_error(404, _("Pesanan tidak ditemukan."))
    body = json_body() if request.get_data() else {}
    if body is None:
        return api_error(400, _('Kirim objek JSON, misalnya {"payment_method": "midtrans"}.'),
                         code="invalid_body")
    expire_and_cancel(order)
    if order.status != "pending_payment":
        return api_error(409, _("Pesanan ini tidak lagi menunggu pembayaran."),
                         code="order_not_pending", current=order.status)
    try:
        payment = start_payment(order, body.get("payment_method") or None)
    except methods.UnknownMethod as exc:
        return api_error(422, str(exc.message), code="invalid_payment_method",
                         fields={"payment_method": str(exc.message)})
    except GatewayUnavailable:
        current_app.logger.exception("payment could not start for %s", order.number)
        payment = None
    body = order_json(order_for_page(order.id))
    body["payment"] = payment_json(order, payment)
    return body

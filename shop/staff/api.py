"""Staff API (Bearer token): the caller's facility's parcels and their moves."""

from flask import g, request
from flask_babel import gettext as _

from shop.accounts.access import api_token_required
from shop.core.api import bp, json_body, list_response
from shop.core.errors import api_error
from shop.orders.fulfilment import MoveDetails, MoveRefused, allowed_moves
from shop.payments.parcels import move
from shop.payments.pickup import CounterPayment, payment_state
from shop.staff import queries

# 409: the move or the money does not fit the parcel as it is; 422: what was sent is incomplete
CONFLICTS = ("move_not_allowed", "conflict", "amount_mismatch")


def fulfilment_json(fo):
    order = fo.order
    data = {
        "number": fo.number, "order": order.number, "facility": fo.facility.slug,
        "status": fo.status, "delivery": fo.delivery, "subtotal": fo.subtotal,
        "shipping": fo.shipping, "discount": fo.discount, "total": fo.total,
        "courier": fo.courier, "tracking_number": fo.tracking_number,
        "paid_at": order.paid_at.isoformat() + "Z" if order.paid_at else None,
        "payment": payment_state(fo),
        "allowed_moves": allowed_moves(fo),
        "customer": {"name": order.contact_name, "phone": order.phone},
        "lines": [{"product": line.product_slug, "name": line.product_name,
                   "quantity": line.quantity, "unit": line.unit} for line in fo.lines],
    }
    if fo.delivery == "courier":
        data["address"] = {"street": order.street, "rt_rw": order.rt_rw,
                           "kelurahan": order.kelurahan, "kecamatan": order.kecamatan,
                           "city": order.city, "province": order.province,
                           "postal_code": order.postal_code}
    return data


@bp.get("/staff/fulfilments")
@api_token_required("facility_staff")
def staff_fulfilments():
    status = request.args.get("status")
    if status is not None and status not in queries.DESK_STATES:
        return api_error(400, _("Status tidak dikenal: %(known)s.",
                                  known=", ".join(queries.DESK_STATES)),
                         code="invalid_parameter", field="status")
    page = request.args.get("page", "1")
    if not page.isdigit() or not 0 < int(page) < 100_000:
        return api_error(400, _("'page' harus bilangan bulat positif."), code="invalid_parameter",
                         field="page")
    result = queries.queue(g.api_user.facility_id, status, request.args.get("q", ""), int(page))
    items = [fulfilment_json(fo) for fo in result.items]
    return list_response(items, result.total, result.page, result.per_page)


@bp.post("/staff/fulfilments/<number>/transition")
@api_token_required("facility_staff")
def staff_transition(number):
    fo = queries.facility_order(g.api_user.facility_id, number)
    if fo is None:
        return api_error(404, _("Pesanan tidak ditemukan."))
    body = json_body()
    if body is None or not isinstance(body.get("to"), str):
        return api_error(400, _('Kirim JSON {"to": status, ...}.'), code="invalid_body")
    details = MoveDetails(**{k: body.get(k) if isinstance(body.get(k), str) else None
                             for k in ("courier", "courier_name", "tracking_number", "reason")})
    payment = body.get("payment")
    if payment is not None and not isinstance(payment, dict):
        return api_error(400, _('payment: kirim {"method", "amount", "reference"}.'),
                         code="invalid_body", field="payment")
    counter = CounterPayment(method=payment.get("method"), amount=payment.get("amount"),
                             reference=payment.get("reference")) if payment else None
    try:
        move(fo, body["to"], g.api_user, details, payment=counter)
    except MoveRefused as exc:
        status = 409 if exc.code in CONFLICTS else 422
        return api_error(status, exc.message, code=exc.code, allowed=exc.allowed,
                         current=exc.current or fo.status, **getattr(exc, "extra", {}))
    return fulfilment_json(queries.facility_order(g.api_user.facility_id, number))

"""The Kanwil's JSON API: POST /api/v1/admin/bank-transfers/<order number>/confirm with an
admin Bearer token. 200 with the order (the shape of GET /orders/<number>); 409
amount_mismatch with expected/received/difference; 404 for an unknown order; 409
no_open_transfer when the order does not wait for a transfer; a repeat answers 200 and pays
nothing twice."""

from flask import g
from flask_babel import gettext as _

from shop.accounts.access import api_token_required
from shop.checkout.api import order_json, payment_json
from shop.core.api import bp, json_body
from shop.core.errors import api_error
from shop.orders.queries import order_for_page
from shop.orders.services import order_by_number
from shop.payments import transfers
from shop.payments.services import current_payment


@bp.post("/admin/bank-transfers/<number>/confirm")
@api_token_required("admin")
def confirm_bank_transfer(number):
    order = order_by_number(number)
    if order is None:
        return api_error(404, _("Pesanan tidak ditemukan."))
    body = json_body()
    if body is None:
        return api_error(400, _("Kirim objek JSON dengan amount dan reference."),
                         code="invalid_body")
    amount, reference = body.get("amount"), body.get("reference")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        return api_error(422, _("amount harus bilangan bulat rupiah yang positif."),
                         code="invalid_amount", field="amount")
    if not isinstance(reference, str) or not 3 <= len(reference.strip()) <= 100:
        return api_error(422, _("reference (nomor referensi bank) wajib, 3-100 karakter."),
                         code="invalid_reference", field="reference")
    try:
        transfers.confirm_transfer(order, amount, reference, g.api_user, source="API")
    except transfers.AmountMismatch as exc:
        return api_error(409, str(exc.message), code="amount_mismatch", expected=exc.expected,
                         received=exc.received, difference=exc.difference)
    except transfers.TransferError as exc:
        return api_error(409, str(exc.message), code=exc.code)
    body = order_json(order_for_page(order.id))
    body["payment"] = payment_json(order, current_payment(order))
    return body

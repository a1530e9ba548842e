"""The customer's order page and pay page, the payment return, and the gateway webhooks
(authenticated by their signatures, so exempt from CSRF)."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from shop.extensions import csrf
from shop.orders.access import can_view, remember_order_link, remember_order_token
from shop.orders.links import LINK_ARG, order_token_valid
from shop.orders.problems import problems_of
from shop.orders.queries import order_for_page
from shop.orders.services import order_by_number
from shop.payments import methods
from shop.payments.buyer import can_cancel
from shop.payments.gateway import (
    GatewayUnavailable,
    InvalidWebhook,
    PaymentDeclined,
    get_gateway,
)
from shop.payments.proofs import ProofRejected, save_proof
from shop.payments.queries import refunds_of
from shop.payments.services import (
    OPEN_STATES,
    Settlement,
    current_payment,
    expire_and_cancel,
    handle_midtrans_notification,
    handle_webhook,
    start_payment,
    sync_from_gateway,
)

bp = Blueprint("payments", __name__)


def _follow_signed_link(number):
    """A signed mail link (?k=...): a valid one is kept in this browser's session and the
    page opens without the token in its address; an expired or altered one leads to the
    lookup with the number filled in, never to the order."""
    signed = request.args.get(LINK_ARG)
    order = order_by_number(number)
    if order is not None and order_token_valid(order, signed):
        remember_order_link(order.number, signed)
        values = {k: v for k, v in request.args.items() if k != LINK_ARG}
        abort(redirect(url_for(request.endpoint, **(request.view_args or {}), **values)))
    flash(_("Tautan pesanan ini sudah kedaluwarsa atau tidak berlaku. Cari pesanan Anda "
            "dengan nomor pesanan dan surel atau nomor HP yang dipakai."), "info")
    abort(redirect(url_for("buyer.lookup", number=number[:20])))


def visible_order(number):
    """The order if this visitor may see it; 404 otherwise (a number alone reveals nothing)."""
    if LINK_ARG in request.args and request.method == "GET":
        _follow_signed_link(number)
    order = order_by_number(number)
    token = request.args.get("token")
    if order is None or not can_view(order, token):
        abort(404)
    if token:
        remember_order_token(order.number, token)
    expire_and_cancel(order)
    return order


_visible_order = visible_order


def offline_payments():
    return "api.stripe.com" not in (current_app.config.get("STRIPE_API_BASE") or "api.stripe.com")


def _choices(order):
    """[(method, explanation)] the customer may switch to: enabled and fitting this order."""
    deliveries = [fo.delivery for fo in order.facility_orders]
    return [(m, methods.explain(m)) for m in methods.enabled_methods() if m.fits(deliveries)]


@bp.get("/orders/<number>")
def order_detail(number):
    order = order_for_page(_visible_order(number).id)
    payment = current_payment(order) if order.status == "pending_payment" else None
    return render_template("orders/detail.html", order=order, refunds=refunds_of(order),
                           can_cancel=can_cancel(order),
                           problems=problems_of(fo.id for fo in order.facility_orders),
                           payment=payment, payment_open=bool(payment and payment.status
                                                              in OPEN_STATES),
                           method=methods.method_of(order), choices=_choices(order))


@bp.get("/orders/<number>/pay")
def pay(number):
    order = _visible_order(number)
    if order.status != "pending_payment":
        return redirect(url_for("payments.order_detail", number=number))
    try:
        payment = start_payment(order)
    except GatewayUnavailable:
        current_app.logger.exception("payment could not start for %s", number)
        payment = None
    order = order_for_page(order.id)
    return render_template(
        "payments/pay.html", order=order, payment=payment, method=methods.method_of(order),
        choices=_choices(order), bank=current_app.config, offline=offline_payments(),
        stripe_js=current_app.config["STRIPE_JS_URL"],
        publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
        proof_max_mb=f"{current_app.config['PROOF_MAX_BYTES'] / 1024 / 1024:g}",
    )


@bp.post("/orders/<number>/pay/method")
def change_method(number):
    """Another way to pay while the order is open: the current attempt is closed at its
    gateway (a transfer's code released) and a new one started."""
    order = _visible_order(number)
    if order.status != "pending_payment":
        flash(_("Pesanan ini tidak lagi menunggu pembayaran."), "error")
        return redirect(url_for("payments.order_detail", number=number))
    try:
        start_payment(order, request.form.get("payment_method") or None)
    except methods.UnknownMethod as exc:
        flash(str(exc.message), "error")
    except GatewayUnavailable:
        current_app.logger.exception("payment could not start for %s", number)
    return redirect(url_for("payments.pay", number=number))


@bp.post("/orders/<number>/pay/proof")
def upload_proof(number):
    """The customer's proof of a bank transfer (image or PDF), kept private for the Kanwil."""
    order = _visible_order(number)
    upload = request.files.get("proof")
    try:
        save_proof(current_payment(order), upload.read() if upload else b"")
    except ProofRejected as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Bukti transfer diterima. Kanwil akan memeriksanya."), "success")
    return redirect(url_for("payments.pay", number=number))


@bp.post("/orders/<number>/pay/test-card")
def pay_test_card(number):
    """Offline mode (localstripe): confirm with one of the test cards on the server."""
    order = _visible_order(number)
    if not offline_payments() or order.status != "pending_payment":
        abort(404)
    card = request.form.get("card")
    payment = current_payment(order)
    if payment is None or card not in ("success", "declined", "3ds"):
        flash(_("Pilih kartu uji."), "error")
        return redirect(url_for("payments.pay", number=number))
    try:
        intent = get_gateway(payment.provider).pay_with_test_card(payment.intent_id, card)
    except PaymentDeclined as exc:
        sync_from_gateway(order)
        flash(exc.message, "error")
        return redirect(url_for("payments.pay", number=number))
    except GatewayUnavailable:
        flash(_("Layanan pembayaran sedang tidak dapat dihubungi. Coba lagi sebentar lagi."),
              "error")
        return redirect(url_for("payments.pay", number=number))
    if intent.status == "requires_action":
        return redirect(url_for("payments.pay", number=number, authenticate=1))
    return redirect(url_for("payments.payment_return", number=number))


@bp.get("/orders/<number>/return")
def payment_return(number):
    """Where the browser lands after paying: ask the gateway now, don't wait for the webhook."""
    order = _visible_order(number)
    outcome = sync_from_gateway(order)
    if outcome == Settlement.NOT_SUCCEEDED:
        payment = current_payment(order)
        if payment and payment.last_error:
            flash(payment.last_error, "error")
        return redirect(url_for("payments.pay", number=number))
    return redirect(url_for("payments.order_detail", number=number))


@bp.post("/payments/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    try:
        outcome = handle_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except InvalidWebhook:
        return jsonify(error={"code": "bad_signature",
                              "message": _("Tanda tangan tidak valid.")}), 400
    return jsonify(received=True, outcome=outcome)


@bp.post("/payments/midtrans/notification")
@csrf.exempt
def midtrans_notification():
    """Midtrans' HTTP notification: the signature is checked and the status re-read from
    Midtrans; each (transaction, status) is processed once."""
    try:
        outcome = handle_midtrans_notification(request.get_data())
    except InvalidWebhook:
        return jsonify(error={"code": "bad_signature",
                              "message": _("Tanda tangan tidak valid.")}), 403
    except GatewayUnavailable:
        current_app.logger.warning("Midtrans status could not be re-read; it will retry")
        return jsonify(error={"code": "gateway_unavailable",
                              "message": _("Status Midtrans tidak dapat dibaca; "
                                           "kirim ulang.")}), 503
    return jsonify(received=True, outcome=outcome)

"""The buyer's pages around an order: finding it again (/orders/lookup), cancelling it while
unpaid, "Pesanan diterima", reporting a problem with a parcel, the PDF receipt and the
delivery note. Every route under /orders/<number> checks the visitor may see the order
(shop.payments.views.visible_order): someone else's order or parcel is a 404 or a refusal,
and nothing changes."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from shop.extensions import limiter
from shop.orders.links import LINK_ARG, find_for_lookup, make_order_token, normalize_number
from shop.orders.problems import PROBLEM_KINDS
from shop.orders.queries import order_for_page
from shop.payments import buyer
from shop.payments.receipts import delivery_note_pdf, receipt_pdf
from shop.payments.views import visible_order

bp = Blueprint("buyer", __name__)



def _lookup_limit():
    return f"{current_app.config['ORDER_LOOKUP_PER_MINUTE']} per minute"


@bp.route("/orders/lookup", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
def lookup():
    """Number + the e-mail or phone used → the order page through a signed link; anything
    else gets the same message, whether the number exists or not."""
    number = normalize_number(request.values.get("number")) if request.values.get("number") \
        else ""
    problem = None
    if request.method == "POST":
        order = find_for_lookup(request.form.get("number"), request.form.get("contact"))
        if order is not None:
            return redirect(url_for("payments.order_detail", number=order.number,
                                    **{LINK_ARG: make_order_token(order)}))
        problem = _("Pesanan tidak ditemukan. Periksa nomor pesanan dan surel atau nomor HP "
                    "yang Anda pakai saat memesan.")
    return render_template("orders/lookup.html", number=number, problem=problem,
                           contact=request.form.get("contact", "")[:254]), \
        (422 if problem else 200)


def _back(order):
    return redirect(url_for("payments.order_detail", number=order.number))


@bp.post("/orders/<number>/cancel")
def cancel(number):
    order = visible_order(number)
    try:
        buyer.cancel_order(order)
    except buyer.ActionRefused as exc:
        flash(exc.message, "error")
    else:
        flash(_("Pesanan %(n)s dibatalkan. Stok sudah dikembalikan.", n=order.number),
              "success")
    return _back(order)


@bp.post("/orders/<number>/parcels/<parcel>/received")
def received(number, parcel):
    order = visible_order(number)
    try:
        buyer.confirm_received(order, parcel)
    except buyer.ActionRefused as exc:
        flash(exc.message, "error")
    else:
        flash(_("Terima kasih! Paket %(n)s ditandai sudah sampai.", n=parcel), "success")
    return _back(order)


@bp.route("/orders/<number>/parcels/<parcel>/problem", methods=["GET", "POST"])
def report_problem(number, parcel):
    order = visible_order(number)
    try:
        fo = buyer.parcel_of(order, parcel)
    except buyer.ActionRefused:
        abort(404)
    problem = None
    if request.method == "POST":
        upload = request.files.get("photo")
        try:
            buyer.report(order, parcel, request.form.get("kind", ""),
                         request.form.get("text", ""), upload.read() if upload else None)
        except buyer.ActionRefused as exc:
            problem = exc.message
        else:
            flash(_("Laporan diterima. %(f)s akan menghubungi Anda.", f=fo.facility.name),
                  "success")
            return _back(order)
    return render_template("orders/problem.html", order=order, fo=fo, kinds=PROBLEM_KINDS,
                           problem=problem, form=request.form), (422 if problem else 200)


def _pdf(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/orders/<number>/receipt.pdf")
def receipt(number):
    order = order_for_page(visible_order(number).id)
    if order.paid_at is None:
        abort(404)
    return _pdf(receipt_pdf(order), f"kuitansi-{order.number}.pdf")


@bp.get("/orders/<number>/parcels/<parcel>/delivery-note.pdf")
def delivery_note(number, parcel):
    order = order_for_page(visible_order(number).id)
    try:
        fo = buyer.parcel_of(order, parcel)
    except buyer.ActionRefused:
        abort(404)
    if fo.status in ("awaiting_payment", "cancelled"):
        abort(404)
    return _pdf(delivery_note_pdf(order, fo), f"surat-jalan-{fo.number}.pdf")

"""The facility desk (/staff): the queue, a parcel, its moves, the packing slip, the export."""


import segno
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from shop.accounts.access import role_required
from shop.core.csvfile import csv_response
from shop.core.paging import date_arg, page_arg
from shop.core.time import to_wit, utcnow, wit_days_as_utc, wit_today
from shop.orders.fulfilment import COURIERS, MoveDetails, MoveRefused, allowed_moves
from shop.orders.problems import PROBLEM_KINDS, problem_photo, problems_of
from shop.payments.parcels import move
from shop.payments.pickup import CounterPayment, awaits_counter_payment, counter_payment_of
from shop.staff import queries

bp = Blueprint("staff", __name__, url_prefix="/staff")
EXPORT_HEADER = ["nomor", "dibayar_wit", "status", "pengiriman", "kurir", "resi",
                 "jumlah_barang", "subtotal", "ongkir", "diskon", "total", "kota"]


@bp.before_request
@role_required("facility_staff")
def _staff_only():
    """Every /staff route: signed-in staff of a facility (anonymous -> sign-in, others 403)."""


def _parcel_or_404(number):
    fo = queries.facility_order(current_user.facility_id, number)
    if fo is None:
        abort(404)  # another facility's parcel: not found, the number leaks nothing
    return fo


@bp.get("/")
def queue():
    status = request.args.get("status") or None
    now = to_wit(utcnow())
    return render_template(
        "staff/queue.html",
        result=queries.queue(current_user.facility_id, status, request.args.get("q", ""),
                             page_arg()),
        counts=queries.state_counts(current_user.facility_id),
        status=status if status in queries.DESK_STATES else None,
        q=request.args.get("q", ""),
        summary=queries.month_summary(current_user.facility_id, now.year, now.month),
        month=now,
    )


@bp.get("/orders/<number>/problems/<int:problem_id>/photo")
def problem_photo_view(number, problem_id):
    """A buyer's photo of a problem with this facility's parcel, inline, never public."""
    fo = _parcel_or_404(number)
    found = problem_photo(fo.id, problem_id)
    if found is None:
        abort(404)
    return Response(found[0], mimetype=found[1], headers={
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


@bp.get("/orders/<number>")
def parcel(number):
    fo = _parcel_or_404(number)
    return render_template("staff/parcel.html", fo=fo, order=fo.order,
                           reports=problems_of([fo.id])[fo.id], problem_kinds=PROBLEM_KINDS,
                           moves=allowed_moves(fo), couriers=COURIERS,
                           unpaid=awaits_counter_payment(fo), counter=counter_payment_of(fo))


def _amount(raw) -> int | None:
    """Rupiah as staff type it: "45000", "45.000", "Rp45.000", "Rp 45.000"."""
    text = (raw or "").strip().lower().removeprefix("rp").replace(".", "").replace(" ", "")
    return int(text) if text.isdigit() and len(text) <= 12 else None


def _counter_payment(form) -> CounterPayment | None:
    if not form.get("payment_method"):
        return None
    return CounterPayment(method=form.get("payment_method"), amount=_amount(form.get("amount")),
                          reference=form.get("payment_reference"))


@bp.post("/orders/<number>/move")
def move_parcel(number):
    fo = _parcel_or_404(number)
    details = MoveDetails(courier=request.form.get("courier"),
                          courier_name=request.form.get("courier_name"),
                          tracking_number=request.form.get("tracking_number"),
                          reason=request.form.get("reason"))
    try:
        move(fo, request.form.get("to", ""), current_user._get_current_object(), details,
             payment=_counter_payment(request.form))
    except MoveRefused as exc:
        flash(exc.message, "error")
    else:
        flash(_("Status paket diperbarui."), "success")
    return redirect(url_for("staff.parcel", number=number))


@bp.get("/orders/<number>/slip")
def packing_slip(number):
    fo = _parcel_or_404(number)
    qr = segno.make(fo.number, error="m")
    svg = Markup(qr.svg_inline(scale=4, title=_("Kode QR %(number)s", number=fo.number)))
    return render_template("staff/slip.html", fo=fo, order=fo.order, qr=svg)



@bp.get("/orders.csv")
def export_csv():
    today = wit_today()
    start = date_arg("from", today.replace(day=1))
    end = date_arg("to", today)
    if end < start:
        start, end = end, start
    rows = queries.export_rows(current_user.facility_id, *wit_days_as_utc(start, end))
    return csv_response(
        f"pesanan-{current_user.facility.slug}-{start}-{end}.csv", EXPORT_HEADER,
        ([fo.number, to_wit(fo.order.paid_at).strftime("%Y-%m-%d %H:%M"), fo.status,
          fo.delivery, fo.courier or "", fo.tracking_number or "",
          sum(line.quantity for line in fo.lines), fo.subtotal, fo.shipping, fo.discount,
          fo.total, fo.order.city] for fo in rows))


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    """Issue (shown once) and revoke API tokens for the staff API."""
    from shop.accounts.tokens import issue_api_token, revoke_api_token, tokens_of

    issued = None
    if request.method == "POST":
        if request.form.get("revoke", "").isdigit():
            if revoke_api_token(current_user, int(request.form["revoke"])):
                flash(_("Token dicabut."), "success")
        else:
            issued = issue_api_token(current_user, request.form.get("name", "").strip())
    return render_template("staff/tokens.html", tokens=tokens_of(current_user), issued=issued,
                           now=utcnow())

"""The facility desk (/staff): the queue, a parcel, its moves, the packing slip, the export."""

import csv
import io
from datetime import datetime, time, timedelta

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
from shop.core.time import to_wit, utcnow
from shop.orders.fulfilment import COURIERS, MoveDetails, MoveRefused, allowed_moves, move
from shop.staff import queries

bp = Blueprint("staff", __name__, url_prefix="/staff")


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
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 7 else 1
    now = to_wit(utcnow())
    return render_template(
        "staff/queue.html",
        result=queries.queue(current_user.facility_id, status, request.args.get("q", ""), page),
        counts=queries.state_counts(current_user.facility_id),
        status=status if status in queries.DESK_STATES else None,
        q=request.args.get("q", ""),
        summary=queries.month_summary(current_user.facility_id, now.year, now.month),
        month=now,
    )


@bp.get("/orders/<number>")
def parcel(number):
    fo = _parcel_or_404(number)
    return render_template("staff/parcel.html", fo=fo, order=fo.order,
                           moves=allowed_moves(fo), couriers=COURIERS)


@bp.post("/orders/<number>/move")
def move_parcel(number):
    fo = _parcel_or_404(number)
    details = MoveDetails(courier=request.form.get("courier"),
                          courier_name=request.form.get("courier_name"),
                          tracking_number=request.form.get("tracking_number"),
                          reason=request.form.get("reason"))
    try:
        move(fo, request.form.get("to", ""), current_user._get_current_object(), details)
    except MoveRefused as exc:
        flash(exc.message, "error")
    else:
        flash(_("Status paket diperbarui."), "success")
    return redirect(url_for("staff.parcel", number=number))


@bp.get("/orders/<number>/slip")
def packing_slip(number):
    fo = _parcel_or_404(number)
    qr = segno.make(fo.number, error="m")
    svg = Markup(qr.svg_inline(scale=4, title=f"Kode QR {fo.number}"))
    return render_template("staff/slip.html", fo=fo, order=fo.order, qr=svg)


def _date_arg(name, default):
    raw = request.args.get(name, "")
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        return default


def _cell(value: str) -> str:
    """Text typed by customers must not become a spreadsheet formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@bp.get("/orders.csv")
def export_csv():
    today = to_wit(utcnow()).date()
    start = _date_arg("from", today.replace(day=1))
    end = _date_arg("to", today)
    if end < start:
        start, end = end, start
    start_utc = datetime.combine(start, time.min) - timedelta(hours=9)
    end_utc = datetime.combine(end + timedelta(days=1), time.min) - timedelta(hours=9)
    rows = queries.export_rows(current_user.facility_id, start_utc, end_utc)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nomor", "dibayar_wit", "status", "pengiriman", "kurir", "resi",
                     "jumlah_barang", "subtotal", "ongkir", "diskon", "total", "kota"])
    for fo in rows:
        writer.writerow([
            fo.number, to_wit(fo.order.paid_at).strftime("%Y-%m-%d %H:%M"), fo.status,
            fo.delivery, _cell(fo.courier or ""), _cell(fo.tracking_number or ""),
            sum(line.quantity for line in fo.lines), fo.subtotal, fo.shipping, fo.discount,
            fo.total, _cell(fo.order.city),
        ])
    filename = f"pesanan-{current_user.facility.slug}-{start}-{end}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


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

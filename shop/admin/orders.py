"""Kanwil admin: find any order, see its parcels and payments, cancel a parcel on behalf of its
facility; the audit log. Personal data is shown only on an order's own page."""


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

from shop.accounts.access import role_required
from shop.accounts.models import User
from shop.admin import orders_queries as queries
from shop.core.paging import date_arg, page_arg
from shop.extensions import db
from shop.orders.fulfilment import MoveDetails, MoveRefused, allowed_moves, refund_share
from shop.orders.models import ORDER_STATUSES
from shop.orders.problems import PROBLEM_KINDS, problem_photo_by_number, problems_of
from shop.payments.parcels import move

bp = Blueprint("admin_orders", __name__, url_prefix="/admin")

@bp.before_request
@role_required("admin")
def _admins_only():
    """Every route here: Kanwil admins only (anonymous -> sign-in, others 403)."""


@bp.get("/orders")
def orders():
    q = request.args.get("q", "").strip()[:254]
    status = request.args.get("status", "")
    status = status if status in ORDER_STATUSES else ""
    result = queries.search_orders(q, status or None, page=page_arg())
    return render_template("admin/orders.html", result=result, q=q, status=status,
                           statuses=ORDER_STATUSES, mask_email=queries.mask_email)


@bp.get("/orders/<number>")
def order(number):
    order = queries.order_for_admin(number)
    if order is None:
        canonical = queries.order_number_for(number)
        if canonical is None:
            abort(404)
        anchor = number.strip().upper() if canonical != number.strip().upper() else None
        return redirect(url_for("admin_orders.order", number=canonical, _anchor=anchor))
    payments, events, refunds = queries.payments_of(order)
    account = db.session.get(User, order.user_id) if order.user_id else None
    return render_template(
        "admin/orders_detail.html", order=order, payments=payments, events=events,
        refunds=refunds, account=account, allowed_moves=allowed_moves, refund_share=refund_share,
        problems=problems_of(fo.id for fo in order.facility_orders), problem_kinds=PROBLEM_KINDS,
    )


@bp.get("/parcels/<number>/problems/<int:problem_id>/photo")
def problem_photo(number, problem_id):
    """A buyer's photo of a problem with a parcel, inline, to admins only."""
    found = problem_photo_by_number(number, problem_id)
    if found is None:
        abort(404)
    return Response(found[0], mimetype=found[1], headers={
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


@bp.post("/orders/<number>/cancel")
def cancel(number):
    """Cancel one parcel on behalf of its facility: stock back, the facility's share refunded,
    the customer told, the audit log written (all by shop.orders.fulfilment.move). The parcel is
    the form's `parcel`, or the URL's number when that is a parcel's number."""
    canonical = queries.order_number_for(number)  # the order's or one of its parcels' number
    order = queries.order_for_admin(canonical) if canonical else None
    if order is None:
        abort(404)
    parcel = (request.form.get("parcel") or number).strip().upper()
    fo = queries.facility_order_of(order, parcel)
    if fo is None:
        abort(404)
    reason = (request.form.get("reason") or "").strip()[:300]
    try:
        move(fo, "cancelled", current_user._get_current_object(), MoveDetails(reason=reason))
    except MoveRefused as exc:
        flash(exc.message, "error")
    else:
        flash(_("Paket %(n)s dibatalkan atas nama %(f)s; dana bagiannya dikembalikan dan stok "
                "dipulihkan.", n=fo.number, f=fo.facility.name), "success")
    return redirect(url_for("admin_orders.order", number=order.number, _anchor=fo.number))



@bp.get("/audit")
def audit():
    facility_id = request.args.get("facility", type=int)
    user = request.args.get("user", "").strip()[:160]
    kind = request.args.get("kind", "").strip()[:40]
    start, end = date_arg("from"), date_arg("to")
    result = queries.audit_log(facility_id=facility_id, user=user, kind=kind, start=start,
                               end=end, page=page_arg())
    filters = {"facility": facility_id or None, "user": user or None, "kind": kind or None,
               "from": start.isoformat() if start else None,
               "to": end.isoformat() if end else None}
    return render_template("admin/audit.html", result=result, filters=filters,
                           facilities=queries.facility_choices(), kinds=queries.audit_kinds())

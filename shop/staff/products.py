"""The facility's products (/staff/products). Placeholder until the product desk lands."""

from flask import Blueprint, redirect, url_for

from shop.accounts.access import role_required

bp = Blueprint("staff_products", __name__, url_prefix="/staff/products")


@bp.before_request
@role_required("facility_staff")
def _staff_only():
    """Signed-in staff only."""


@bp.get("/")
def products():
    return redirect(url_for("staff.queue"))

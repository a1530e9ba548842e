"""Kanwil admin: placeholder until this part lands."""

from flask import Blueprint

from shop.accounts.access import role_required

bp = Blueprint("admin_manage", __name__, url_prefix="/admin/manage")


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every route here: Kanwil admins only (anonymous -> sign-in, others 403)."""

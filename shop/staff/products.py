"""The facility's products (/staff/products): list, create, edit, stock, archive, flagship.

The screens are the product back office's (shop.catalog.backoffice_views), scoped to the
signed-in staff member's facility: another facility's product is "not found" (404), its slug
leaks nothing.
"""

from flask import Blueprint, render_template
from flask_login import current_user

from shop.accounts.access import role_required
from shop.catalog.backoffice_queries import facility_desk_products
from shop.catalog.backoffice_views import ProductDesk
from shop.catalog.models import FLAGSHIP_REQUEST_LABELS, PRODUCT_STATUS_LABELS

bp = Blueprint("staff_products", __name__, url_prefix="/staff/products")


@bp.context_processor
def _labels():
    return {"product_status_labels": PRODUCT_STATUS_LABELS,
            "flagship_request_labels": FLAGSHIP_REQUEST_LABELS}


@bp.before_request
@role_required("facility_staff")
def _staff_only():
    """Signed-in staff of a facility only (anonymous -> sign-in, other roles 403)."""


class StaffProductDesk(ProductDesk):
    name = "staff_products"
    form_template = "staff/product_form.html"
    detail_template = "staff/product_detail.html"
    flagship_requests = True

    def scope(self):
        return current_user.facility_id

    def facility_of(self, form):
        return current_user.facility


@bp.get("/")
def products():
    items, pending, counts = facility_desk_products(current_user.facility_id)
    return render_template("staff/products.html", products=items, pending=pending,
                           counts=counts)


StaffProductDesk().register(bp)

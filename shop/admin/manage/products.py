"""Products of any facility (/admin/manage/products): the list with its filters, and the
product back office's screens (shop.catalog.backoffice_views) acting for the Kanwil: a new
product names its facility, every product of every facility can be edited."""

from flask import render_template, request
from flask_babel import gettext as _

from shop.admin.manage import queries
from shop.admin.manage.common import bp, facility_choices, id_arg
from shop.admin.manage.forms import AdminNewProductForm
from shop.catalog.backoffice_views import ProductDesk
from shop.core.paging import page_arg
from shop.extensions import db
from shop.facilities.models import Facility


class KanwilProductDesk(ProductDesk):
    name = "admin_manage"
    form_template = "admin/manage_product_form.html"
    detail_template = "admin/manage_product.html"
    detail_endpoint = "product"
    stock_endpoint = "product_stock"

    def scope(self):
        return None  # every facility's products

    def new_form(self):
        form = AdminNewProductForm()
        form.facility.choices = facility_choices()
        if not form.is_submitted() and id_arg("facility"):
            form.facility.data = id_arg("facility")
        return form

    def facility_of(self, form):
        return db.session.get(Facility, form.facility.data)


@bp.get("/products")
def products():
    facility_id, status = id_arg("facility"), request.args.get("status") or None
    q = request.args.get("q", "")[:80]
    result = queries.product_page(facility_id, status, q, page_arg())
    return render_template("admin/manage_products.html", result=result,
                           facility_choices=facility_choices(_("Semua Lapas/Rutan")),
                           facility_id=facility_id, status=status, q=q)


KanwilProductDesk().register(bp, "/products")

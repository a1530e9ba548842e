"""Facility pages (/facilities, /facilities/<slug>): the list of units with their flagship
target, and one unit with its programmes and products. Blueprint "facilities"."""

from flask import Blueprint, abort, render_template

from shop.catalog.flagship import active_facility_summaries, facility_summary
from shop.catalog.queries import facility_products
from shop.core.cache import cached_page

bp = Blueprint("facilities", __name__)


@bp.get("/facilities")
@cached_page
def facility_list():
    return render_template("facilities/list.html", summaries=active_facility_summaries())


@bp.get("/facilities/<slug>")
@cached_page
def facility_detail(slug):
    summary = facility_summary(slug)
    if summary is None:
        abort(404)
    products = facility_products(summary.facility.id)
    return render_template(
        "facilities/detail.html",
        summary=summary,
        facility=summary.facility,
        products=products,
        flagships=[p for p in products if p.is_flagship],
    )

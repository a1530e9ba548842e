"""Storefront pages: the home page, the product list with its filters, and a product's page."""

from flask import Blueprint, abort, current_app, render_template, request

from shop.catalog.filters import SORTS, parse_product_filter
from shop.catalog.flagship import active_facility_summaries
from shop.catalog.queries import (
    category_menu,
    flagship_products,
    get_visible_product,
    more_from_facility,
    search_products,
)
from shop.core.cache import cached_page, stock_sensitive
from shop.facilities.queries import facility_choices

bp = Blueprint("catalog", __name__)


@bp.get("/")
@cached_page
def home():
    return render_template(
        "core/home.html",
        flagships=flagship_products(),
        categories=category_menu(),
        facilities=active_facility_summaries(),
    )


def _list_filter():
    return parse_product_filter(request.args, per_page=current_app.config["PRODUCTS_PER_PAGE"])


def _list_key():
    """The page's cache key: the parsed filter (unknown parameters dropped, any order)."""
    return _list_filter().query_args().items()


@bp.get("/products")
@cached_page(key_args=_list_key)
def product_list():
    f = _list_filter()
    if f.in_stock:
        stock_sensitive()
    result = search_products(f, cards=True)
    return render_template(
        "catalog/list.html",
        f=f,
        result=result,
        sorts=SORTS,
        facilities=facility_choices(),
        categories=category_menu(),
    )


@bp.get("/products/<slug>")
@cached_page
def product_detail(slug):
    product = get_visible_product(slug)
    if product is None:
        abort(404)
    return render_template(
        "catalog/detail.html",
        product=product,
        more=more_from_facility(product),
    )

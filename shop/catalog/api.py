"""Catalogue API: GET /api/v1/products and /api/v1/products/<slug>."""

from flask import current_app, request, url_for
from flask_babel import gettext as _

from shop.catalog.filters import FilterError, parse_product_filter
from shop.catalog.queries import get_visible_product, search_products
from shop.catalog.stock_slots import stock_value
from shop.core.api import bp, filter_error, list_response
from shop.core.cache import cached_page, stock_sensitive
from shop.core.errors import api_error
from shop.media.images import SIZES
from shop.media.views import image_url


def product_json(product):
    return {
        "slug": product.slug,
        "name": product.name,
        "name_en": product.name_en,
        "description": product.description,
        "description_en": product.description_en,
        "price": product.price,
        "currency": "IDR",
        "unit": product.unit,
        "unit_label": str(product.unit_label),
        "weight_grams": product.weight_grams,
        "stock": stock_value(product),  # filled per request (stock_slots)
        "stock_state": stock_value(product, "state"),
        "is_flagship": product.is_flagship,
        "flagship_year": product.flagship_year,
        "is_perishable": product.is_perishable,
        "facility": product.facility.slug,
        "facility_name": product.facility.name,
        "category": product.category.slug,
        "category_name": product.category.name,
        "pirt_number": product.pirt_number,
        "bpom_number": product.bpom_number,
        "halal_number": product.halal_number,
        "images": [
            {"alt": image.alt_text, **{size: image_url(image, size) for size in SIZES}}
            for image in product.images
        ],
        "url": url_for("catalog.product_detail", slug=product.slug),
        "created_at": product.created_at.isoformat() + "Z",
        "updated_at": product.updated_at.isoformat() + "Z",
    }


def _api_filter():
    return parse_product_filter(
        request.args,
        strict=True,
        per_page=current_app.config["PRODUCTS_PER_PAGE"],
        max_per_page=current_app.config["API_MAX_PER_PAGE"],
    )


def _api_key():
    """The parsed filter (FilterError, a ValueError, leaves the answer uncached)."""
    f = _api_filter()
    return [*f.query_args().items(), ("per_page", f.per_page)]


@bp.get("/products")
@cached_page(key_args=_api_key)
def products():
    try:
        f = _api_filter()
    except FilterError as exc:
        return filter_error(exc)
    if f.in_stock:
        stock_sensitive()
    result = search_products(f)
    return list_response(
        [product_json(p) for p in result.items], result.total, result.page, result.per_page
    )


@bp.get("/products/<slug>")
@cached_page
def product(slug):
    found = get_visible_product(slug)
    if found is None:
        return api_error(404, _("Produk tidak ditemukan."))
    return product_json(found)

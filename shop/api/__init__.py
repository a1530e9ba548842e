"""The JSON API under /api/v1. Each area adds its routes to this blueprint in its api.py."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _register_routes():
    from shop.api import openapi  # noqa: F401
    from shop.cart import api as cart_api  # noqa: F401
    from shop.catalog import api as catalog_api  # noqa: F401
    from shop.facilities import api as facilities_api  # noqa: F401
    from shop.orders import api as orders_api  # noqa: F401
    from shop.staff import api as staff_api  # noqa: F401


_register_routes()

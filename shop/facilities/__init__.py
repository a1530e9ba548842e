"""The Lapas and Rutan: their details, shipping zones and rates. Their public pages and API
count products, so they live in the catalogue (shop.catalog.facility_pages, facility_api)."""


def init_app(app):
    from shop.facilities.models import SHIPPING_ZONES

    app.jinja_env.globals["zone_labels"] = SHIPPING_ZONES

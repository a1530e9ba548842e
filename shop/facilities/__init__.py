"""The Lapas and Rutan: their details, shipping zones and rates."""


def init_app(app):
    from shop.facilities import api, views  # noqa: F401 - api: routes on the API blueprint
    from shop.facilities.models import SHIPPING_ZONES

    app.register_blueprint(views.bp)
    app.jinja_env.globals["zone_labels"] = SHIPPING_ZONES

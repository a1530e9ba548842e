"""Placing an order: one transaction from cart to order, stock and promotion."""


def init_app(app):
    # api, region_api: routes on the API blueprint
    from shop.checkout import api, region_api, views  # noqa: F401

    app.register_blueprint(views.bp)

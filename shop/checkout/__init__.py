"""Placing an order: one transaction from cart to order, stock and promotion."""


def init_app(app):
    from shop.checkout import api, views  # noqa: F401 - api: routes on the API blueprint

    app.register_blueprint(views.bp)

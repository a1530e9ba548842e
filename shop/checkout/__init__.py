"""Placing an order: one transaction from cart to order, stock and promotion."""


def init_app(app):
    from shop.checkout import views

    app.register_blueprint(views.bp)

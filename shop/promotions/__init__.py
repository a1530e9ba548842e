"""Partner promotions: codes and campaigns with limits, applied in cart and checkout."""


def init_app(app):
    from shop.cart.pricing import register_adjuster
    from shop.promotions import api, pages, views  # noqa: F401 - api: routes on the API blueprint
    from shop.promotions.cart import cart_promotions

    app.register_blueprint(pages.bp)
    app.register_blueprint(views.bp)
    register_adjuster(app, cart_promotions)

"""Carts of guests and customers: lines hold product and quantity only."""


def init_app(app):
    from shop.cart import api, session, signin, views  # noqa: F401 - api: routes on the API blueprint

    session.init_app(app)
    signin.init_app(app)
    app.register_blueprint(views.bp)

"""Orders and their facility orders (parcels): statuses, transitions, expiry."""


def init_app(app):
    from shop.orders import api, views  # noqa: F401 - api: routes on the API blueprint
    from shop.orders.fulfilment import tracking_url

    app.register_blueprint(views.bp)
    app.jinja_env.globals["tracking_url"] = tracking_url

"""Orders and their facility orders (parcels): statuses, transitions, expiry."""


def init_app(app):
    from shop.orders.fulfilment import tracking_url

    app.jinja_env.globals["tracking_url"] = tracking_url

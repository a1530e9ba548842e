"""Orders and their facility orders (parcels): statuses, transitions, expiry."""


def init_app(app):
    from shop.orders import api, views  # noqa: F401 - api: routes on the API blueprint
    from shop.orders.fulfilment import tracking_url
    from shop.orders.promotion_figures import has_paid_orders
    from shop.promotions.services import use_order_history

    app.register_blueprint(views.bp)
    app.jinja_env.globals["tracking_url"] = tracking_url
    use_order_history(app, has_paid_orders)  # "first order only" promotions ask it

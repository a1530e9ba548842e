"""Orders and their facility orders (parcels): statuses, transitions, expiry."""


def init_app(app):
    from shop.orders.fulfilment import refund_share, tracking_url

    app.jinja_env.globals.update(tracking_url=tracking_url, refund_share=refund_share)

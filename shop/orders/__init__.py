"""Orders and their facility orders (parcels): statuses, transitions, expiry."""


def init_app(app):
    from shop.orders.fulfilment import refund_share, tracking_url
    from shop.orders.promotion_figures import has_paid_orders
    from shop.promotions.services import use_order_history

    app.jinja_env.globals.update(tracking_url=tracking_url, refund_share=refund_share)
    use_order_history(app, has_paid_orders)  # "first order only" promotions ask it

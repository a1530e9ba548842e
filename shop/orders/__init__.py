"""Orders and their facility orders (parcels): statuses, transitions, expiry."""


def init_app(app):
    from shop.orders import mail_context, problems  # noqa: F401  (order mails, parcel_problem)
    from shop.orders.fulfilment import refund_share, tracking_url
    from shop.orders.links import order_link
    from shop.orders.promotion_figures import has_paid_orders
    from shop.promotions.services import use_order_history

    app.jinja_env.globals.update(tracking_url=tracking_url, refund_share=refund_share,
                                 order_link=order_link)
    use_order_history(app, has_paid_orders)  # "first order only" promotions ask it

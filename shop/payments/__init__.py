"""Payments through the configured gateways, webhooks, refunds."""


def init_app(app):
    from shop.core import jobs, observability
    from shop.payments import cli, metrics, services, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.orders_cli)
    app.cli.add_command(cli.payments_cli)
    jobs.register(app, "orders-expire", 60, cli.expire_orders,
                  help="flask orders expire: release unpaid orders past their window")
    jobs.register(app, "payments-retry-refunds", 3600, services.complete_pending_refunds,
                  help="flask payments retry-refunds: finish unconfirmed refunds")
    metrics.install()
    observability.watch_webhook(app, "payments.stripe_webhook", "stripe")
    observability.watch_webhook(app, "payments.midtrans_notification", "midtrans")

"""Payments through the configured gateways, webhooks, refunds."""


def init_app(app):
    from shop.core import jobs, observability
    from shop.orders.fulfilment import auto_complete
    from shop.payments import (  # noqa: F401
        buyer_views,
        cli,
        closing,
        fees,
        metrics,
        refund_views,
        services,
        views,
    )
    from shop.payments.pickup import awaits_counter_payment
    from shop.payments.reminders import remind_transfers

    app.register_blueprint(views.bp)
    app.register_blueprint(buyer_views.bp)  # lookup, cancel, received, problems, PDFs
    app.register_blueprint(refund_views.bp)  # /refunds/<token>: manual refund accounts
    app.jinja_env.globals.update(awaits_counter_payment=awaits_counter_payment)
    app.cli.add_command(cli.orders_cli)
    app.cli.add_command(cli.payments_cli)
    jobs.register(app, "orders-expire", 60, services.expire_due_orders,
                  help="flask orders expire: release unpaid orders past their window")
    jobs.register(app, "payments-remind-transfers", 900, remind_transfers,
                  help="flask payments remind-transfers: mail transfers 6 hours before due")
    jobs.register(app, "payments-reconcile", 3600, services.reconcile_open_attempts,
                  help="flask payments reconcile: settle attempts whose webhook was lost")
    jobs.register(app, "payments-retry-refunds", 3600, services.complete_pending_refunds,
                  help="flask payments retry-refunds: finish unconfirmed refunds")
    jobs.register(app, "payments-fees", 300, fees.record_fees,
                  help="record the gateway fees not known yet (Stripe's balance transactions)")
    jobs.register(app, "orders-auto-complete", 3600, auto_complete,
                  help="flask orders auto-complete: deliver parcels shipped long ago")
    metrics.install()
    observability.watch_webhook(app, "payments.stripe_webhook", "stripe")
    observability.watch_webhook(app, "payments.midtrans_notification", "midtrans")

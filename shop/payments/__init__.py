"""Payments through the configured gateways, webhooks, refunds."""


def init_app(app):
    from shop.payments import cli, refund_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(refund_views.bp)  # /refunds/<token>: manual refund accounts
    app.cli.add_command(cli.orders_cli)
    app.cli.add_command(cli.payments_cli)

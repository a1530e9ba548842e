"""Payments through the configured gateways, webhooks, refunds."""


def init_app(app):
    from shop.payments import cli, closing, views  # noqa: F401 - closing: signal receivers

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.orders_cli)
    app.cli.add_command(cli.payments_cli)

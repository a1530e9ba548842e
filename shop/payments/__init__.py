"""Payments through the configured gateways, webhooks, refunds."""


def init_app(app):
    from shop.payments import cli, closing, views  # noqa: F401 - closing: signal receivers
    from shop.payments.pickup import awaits_counter_payment

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(awaits_counter_payment=awaits_counter_payment)
    app.cli.add_command(cli.orders_cli)
    app.cli.add_command(cli.payments_cli)

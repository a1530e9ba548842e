"""The mail outbox: mails are queued in the order's transaction and sent by `mail send`."""


def init_app(app):
    from shop.mail import cli, services, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.mail_cli)
    if app.config.get("ENV_NAME") == "development":
        app.after_request(services.send_after_request)

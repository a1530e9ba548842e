"""The mail outbox: mails are queued in the order's transaction and sent by `mail send`."""


def init_app(app):
    from shop.core import jobs, observability
    from shop.mail import backlog, cli, services, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.mail_cli)
    jobs.register(app, "mail-send", 60, services.send_outbox,
                  help="flask mail send: send the outbox")
    observability.add_health_check(app, "outbox_backlog", backlog.outbox_backlog)
    observability.add_gauge(app, "shop_outbox_backlog", "Mails waiting in the outbox.",
                            backlog.outbox_backlog)
    if app.config.get("ENV_NAME") == "development":
        app.after_request(services.send_after_request)

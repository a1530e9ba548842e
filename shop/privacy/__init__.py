"""UU PDP: a person's data export, deletion on request, and the retention cleanup."""


def init_app(app):
    from shop.privacy import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.cleanup_cli)

"""UU PDP: a person's data export, deletion on request, and the retention cleanup."""


def init_app(app):
    from shop.accounts import privacy
    from shop.accounts.privacy_services import cleanup_cli

    app.register_blueprint(privacy.bp)
    app.cli.add_command(cleanup_cli)

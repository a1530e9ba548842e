"""UU PDP: a person's data export, deletion on request, and the retention cleanup."""


def init_app(app):
    from shop.core import jobs
    from shop.privacy import cli, services, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.cleanup_cli)
    jobs.register(app, "data-cleanup", 24 * 3600, services.cleanup,
                  help="flask data cleanup: old carts deleted, old expired orders anonymised")

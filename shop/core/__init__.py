"""What every area stands on: money, time, paging, CSV, labels, i18n, errors, security
headers, the page cache, audit rows and the /api/v1 blueprint. It imports no area."""


def init_app(app):
    from shop.core import (
        contact_links,
        database,
        errors,
        i18n,
        jobs,
        observability,
        security,
        serving,
        templating,
        views,
    )

    serving.init_app(app)
    observability.init_app(app)  # first: the request id exists for every later hook
    database.configure_engine_events(app)
    i18n.init_app(app)
    templating.init_app(app)
    contact_links.register(app)
    security.init_app(app)
    errors.register_error_handlers(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(jobs.jobs_cli)

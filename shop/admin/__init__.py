"""The Kanwil's screens: dashboard, management, orders and audit, reports."""


def init_app(app):
    from shop.admin import (  # api: the admin routes of /api/v1 attach on import
        api,  # noqa: F401
        cli,
        dashboard,
        manage,
        orders,
        pages,
        payment_statements,
        payments,
        promotions,
        reports,
    )

    for blueprint in (dashboard.bp, manage.bp, orders.bp, reports.bp, promotions.bp, payments.bp,
                      payment_statements.bp, pages.bp):
        app.register_blueprint(blueprint)
    for command in cli.COMMANDS:
        app.cli.add_command(command)

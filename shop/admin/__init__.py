"""The Kanwil's screens: dashboard, management, orders and audit, reports."""


def init_app(app):
    from shop.admin import cli, closing, dashboard, manage, orders, reports

    for blueprint in (dashboard.bp, manage.bp, orders.bp, reports.bp, closing.bp):
        app.register_blueprint(blueprint)
    for command in cli.COMMANDS:
        app.cli.add_command(command)

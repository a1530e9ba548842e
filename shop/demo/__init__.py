"""Demo data for `make run`: the ten North Maluku facilities and their products."""


def init_app(app):
    from shop.demo import cli

    for command in cli.COMMANDS:
        app.cli.add_command(command)

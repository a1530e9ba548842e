"""Uploaded images behind one small storage interface, and their derivatives."""


def init_app(app):
    from shop.media import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.media_cli)
    app.jinja_env.globals["image_url"] = views.image_url

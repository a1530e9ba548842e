"""Users, roles, sign-in, access decorators and API tokens."""


def init_app(app):
    from shop.accounts import loading, views  # noqa: F401 - loading: Flask-Login's user loader

    app.register_blueprint(views.bp)

"""Users, roles, sign-in, access decorators and API tokens."""


def init_app(app):
    from shop.accounts import loading, views

    loading.init_app(app)
    app.register_blueprint(views.bp)

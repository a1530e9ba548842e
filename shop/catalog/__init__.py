"""Products, categories, photos, stock and the storefront pages."""


def init_app(app):
    from shop.catalog import api, views  # noqa: F401 - api: routes on the API blueprint

    app.register_blueprint(views.bp)

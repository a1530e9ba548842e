"""The facility desk: parcels and products of the staff member's own facility."""


def init_app(app):
    from shop.staff import api, products, views  # noqa: F401 - api: routes on the API blueprint

    app.register_blueprint(views.bp)
    app.register_blueprint(products.bp)

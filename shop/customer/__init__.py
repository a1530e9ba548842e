"""The customer's own account pages that read orders: the order history."""


def init_app(app):
    from shop.customer import views

    app.register_blueprint(views.bp)

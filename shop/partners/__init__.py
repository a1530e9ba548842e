"""The partner desk: a partner organisation's promotions and their figures."""


def init_app(app):
    from shop.partners import views

    app.register_blueprint(views.bp)

"""Partner promotions: codes and campaigns with limits, applied in cart and checkout."""


def init_app(app):
    from shop.promotions import admin, pages

    app.register_blueprint(admin.bp)
    app.register_blueprint(pages.bp)

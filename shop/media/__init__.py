"""Uploaded images behind one small storage interface, and their derivatives."""


def init_app(app):
    from shop.media import views

    app.register_blueprint(views.bp)
    app.jinja_env.globals["image_url"] = views.image_url

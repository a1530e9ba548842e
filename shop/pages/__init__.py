"""The pages a shop must have (about, terms, privacy, returns, contact, FAQ), written by the
Kanwil in Markdown; robots.txt, sitemap.xml, favicon and web manifest. Sits above checkout
(the sitemap lists catalogue and facility pages) and below the desks (the Kanwil edits them
from shop.admin)."""


def init_app(app):
    from shop.pages import models, views
    from shop.pages.content import PAGES

    models.init_models()
    app.register_blueprint(views.bp)
    app.jinja_env.globals["shop_pages"] = PAGES

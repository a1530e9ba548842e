"""The pages a shop must have (about, terms, privacy, returns, contact, FAQ), written by the
Kanwil in Markdown (the editor at /admin/pages is this area's own, guarded for admins); robots.txt,
sitemap.xml, favicon and web manifest. A desk-level area: it reads the catalogue and the
facilities for the sitemap and is imported by no other desk."""


def init_app(app):
    from shop.pages import editor, models, views
    from shop.pages.content import PAGES

    models.init_models()
    app.register_blueprint(views.bp)
    app.register_blueprint(editor.bp)
    app.jinja_env.globals["shop_pages"] = PAGES

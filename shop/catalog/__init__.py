"""Products, categories, photos, stock, the storefront pages (home, products, facilities) and
the product back office shared by the staff desk and the Kanwil."""


def init_app(app):
    # api, facility_api: routes on the API blueprint
    from shop.catalog import (  # noqa: F401
        api,
        cards,
        facility_api,
        facility_pages,
        stock_slots,
        views,
    )
    from shop.catalog.models import unit_label
    from shop.catalog.promo_marks import promo_marks
    from shop.catalog.queries import original_key_by_stem
    from shop.catalog.stock import stock_state
    from shop.media.views import register_original_lookup

    app.register_blueprint(views.bp)
    app.register_blueprint(facility_pages.bp)
    register_original_lookup(app, original_key_by_stem)
    app.jinja_env.globals["stock_state"] = stock_state
    stock_slots.init_app(app)
    app.jinja_env.globals.update(render_card=cards.render_card, product_cards=cards.render_cards,
                                 promo_marks=promo_marks)
    app.jinja_env.filters["unit_label"] = unit_label

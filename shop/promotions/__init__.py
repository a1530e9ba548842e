"""Partner promotions: codes and campaigns with limits, applied in cart and checkout."""


def init_app(app):
    from shop.cart.pricing import register_adjuster
    from shop.catalog.promo_marks import register_promo_lookup
    from shop.promotions import api, pages, views  # noqa: F401 - api: routes on the API blueprint
    from shop.promotions.cart import cart_promotions
    from shop.promotions.showcase import showcase

    app.register_blueprint(pages.bp)
    app.register_blueprint(views.bp)
    register_adjuster(app, cart_promotions)
    register_promo_lookup(app, showcase)
    from shop.core.cache import register_catalog_models
    from shop.promotions.models import Promotion, PromotionCode, PromotionTarget

    # Cards and the home strip show promotions: a change of one is a catalogue change (the
    # counters of uses and budget are updated in SQL and do not count; see redeem()).
    register_catalog_models(Promotion, PromotionTarget, PromotionCode)

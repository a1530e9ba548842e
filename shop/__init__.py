"""Etalase Binaan: the online shop of the correctional facilities of North Maluku."""

from pathlib import Path

from flask import Flask

from config import INSTANCE_DIR, config_from_env

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the app: config, extensions, blueprints, CLI, error handlers. No side effects."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    config = config or config_from_env()
    if hasattr(config, "check"):
        config.check()
    app.config.from_object(config)

    from shop import extensions as ext
    from shop import models  # noqa: F401 - every table known to the metadata
    from shop.cart import session as cart_session
    from shop.core import database, i18n, security, templating

    ext.db.init_app(app)
    database.configure_engine_events(app)
    ext.migrate.init_app(app, ext.db, directory=str(ROOT / "migrations"), render_as_batch=True)
    ext.csrf.init_app(app)
    ext.login_manager.init_app(app)
    ext.limiter.init_app(app)
    ext.cache.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    cart_session.init_app(app)

    from shop.accounts import loading  # noqa: F401 - Flask-Login's user loader
    from shop.accounts.privacy import bp as privacy_bp
    from shop.accounts.views import bp as accounts_bp
    from shop.admin.dashboard import bp as admin_bp
    from shop.admin.manage import bp as admin_manage_bp
    from shop.admin.orders import bp as admin_orders_bp
    from shop.admin.reports import bp as admin_reports_bp
    from shop.api import bp as api_bp
    from shop.cart.views import bp as cart_bp
    from shop.catalog.views import bp as catalog_bp
    from shop.checkout.views import bp as checkout_bp
    from shop.core.errors import register_error_handlers
    from shop.core.views import bp as core_bp
    from shop.facilities.views import bp as facilities_bp
    from shop.mail.views import bp as mail_bp
    from shop.media.views import bp as media_bp
    from shop.orders.views import bp as orders_bp
    from shop.partners.views import bp as partner_bp
    from shop.payments.views import bp as payments_bp
    from shop.promotions.admin import bp as admin_promotions_bp
    from shop.promotions.pages import bp as promo_bp
    from shop.staff.products import bp as staff_products_bp
    from shop.staff.views import bp as staff_bp

    for blueprint in (core_bp, catalog_bp, facilities_bp, media_bp, api_bp, accounts_bp, cart_bp,
                      checkout_bp, orders_bp, payments_bp, mail_bp, staff_bp, staff_products_bp,
                      partner_bp, admin_promotions_bp, promo_bp, admin_bp, admin_manage_bp,
                      admin_orders_bp, admin_reports_bp, privacy_bp):
        app.register_blueprint(blueprint)
    ext.csrf.exempt(api_bp)
    register_error_handlers(app)

    from shop.core.cli import register_cli

    register_cli(app)
    if app.config.get("ENV_NAME") == "development":
        from shop.mail.services import send_after_request

        app.after_request(send_after_request)
    return app

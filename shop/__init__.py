"""Etalase Binaan: the online shop of the correctional facilities of North Maluku."""

from pathlib import Path

from flask import Flask

from config import INSTANCE_DIR, config_from_env

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the app: config, extensions, then each area registers itself. No side effects."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    from shop.core.templating import FlatGlobalsEnvironment

    app.jinja_environment = FlatGlobalsEnvironment  # (before the environment is first made)
    config = config or config_from_env()
    if hasattr(config, "check"):
        config.check()
    app.config.from_object(config)

    from shop import extensions as ext
    from shop import models  # noqa: F401 - every table known to the metadata

    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=str(ROOT / "migrations"), render_as_batch=True)
    ext.csrf.init_app(app)
    # No context processor (it loads the user for every template, sessions and all, though
    # few templates show them): templates get `current_user` as a proxy, loaded when read.
    ext.login_manager.init_app(app, add_context_processor=False)
    from flask_login import current_user
    app.jinja_env.globals["current_user"] = current_user
    ext.limiter.init_app(app)
    ext.cache.init_app(app)

    from shop import (
        accounts,
        admin,
        api,
        cart,
        catalog,
        checkout,
        core,
        customer,
        demo,
        facilities,
        impact,
        mail,
        media,
        orders,
        pages,
        partners,
        payments,
        privacy,
        promotions,
        staff,
    )
    from shop.core import api as api_blueprint

    # Bottom layer first (ARCHITECTURE.md, Layers); each area adds blueprints, CLI, globals.
    for area in (core, media, mail, accounts, facilities, catalog, cart, promotions, orders,
                 payments, checkout, staff, partners, admin, customer, privacy, api, demo, impact,
                 pages):
        area.init_app(app)
    api_blueprint.register(app)  # last: every area's api.py has attached its routes
    return app

"""Indonesian by default; English when the visitor chose it with the switch (a cookie)."""

from flask import current_app, request

from shop.extensions import babel

LANG_COOKIE = "lang"


def select_locale():
    lang = request.cookies.get(LANG_COOKIE) if request else None
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app):
    from shop import ROOT

    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "translations"),
    )

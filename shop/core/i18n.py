"""Indonesian by default; English when the visitor chose it with the switch (a cookie)."""

from pathlib import Path

from flask import current_app, request

from shop.extensions import babel

LANG_COOKIE = "lang"


def select_locale():
    lang = request.cookies.get(LANG_COOKIE) if request else None
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app):
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(app.root_path).parent / "translations"),
    )

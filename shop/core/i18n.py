"""Indonesian by default; English when the visitor chose it with the switch (a cookie)."""

from pathlib import Path

from flask import current_app, request

from shop.extensions import babel

LANG_COOKIE = "lang"


def select_locale():
    """The visitor's choice (the language switch's cookie); for the JSON API, which has no
    switch, the Accept-Language header; Indonesian otherwise."""
    languages = current_app.config["LANGUAGES"]
    lang = request.cookies.get(LANG_COOKIE) if request else None
    if lang in languages:
        return lang
    if request and request.path.startswith("/api/"):
        best = request.accept_languages.best_match(languages)
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    """The language of this request ("id" or "en"), e.g. to store with an order."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app):
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(app.root_path).parent / "translations"),
    )


def N_(text: str) -> str:
    """Marks text for the catalogue without translating it now: it is stored as written (a
    timeline note, say) and translated where it is shown, in the reader's language."""
    return text

"""Indonesian by default; English when the visitor chose it with the switch (a cookie)."""

from pathlib import Path

from flask import current_app, g, request
from flask_babel import get_translations

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

    # Flask-Babel resolves context, domain and locale on every template `_()` (about 120 per
    # page): keep the request's translations on `g`, keyed on the locale object so that
    # force_locale/refresh still switch language.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )


def _translations():
    if not g:
        return get_translations()
    cached = g.get("_shop_translations")
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    g._shop_translations = (getattr(g.get("_flask_babel"), "babel_locale", None), translations)
    return translations


def N_(text: str) -> str:
    """Marks text for the catalogue without translating it now: it is stored as written (a
    timeline note, say) and translated where it is shown, in the reader's language."""
    return text

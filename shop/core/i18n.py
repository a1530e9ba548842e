"""Indonesian by default; English when the visitor chose it with the switch (a cookie)."""

from pathlib import Path

from babel import Locale
from flask import current_app, g, has_app_context, request
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup

from shop.extensions import babel

LANG_COOKIE = "lang"


def select_locale():
    """The visitor's choice (the language switch's cookie); for the JSON API, which has no
    switch, the Accept-Language header; Indonesian otherwise."""
    languages = current_app.config["LANGUAGES"]
    lang = None
    if request:
        cookies = request.cookies  # (its get() raises and catches an HTTP error when absent)
        if LANG_COOKIE in cookies:
            lang = cookies[LANG_COOKIE]
    if lang in languages:
        return lang
    if request and request.path.startswith("/api/"):
        best = request.accept_languages.best_match(languages)
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


_LOCALES: dict = {}


def _selected_locale() -> Locale:
    """`select_locale` as a Babel locale, parsed once per language (Flask-Babel would parse
    the selector's string for every request)."""
    lang = select_locale()
    locale = _LOCALES.get(lang)
    if locale is None:
        locale = _LOCALES[lang] = Locale.parse(lang)
    return locale


def current_locale() -> str:
    """The language of this request ("id" or "en"), e.g. to store with an order: the locale
    Flask-Babel chose for the request (kept on `g`, read without its context lookups)."""
    if has_app_context():
        state = vars(g._get_current_object()).get("_flask_babel")
        locale = getattr(state, "babel_locale", None)
        if locale is not None:
            return locale.language
        locale = get_locale()
        return locale.language if locale is not None else current_app.config[
            "BABEL_DEFAULT_LOCALE"]
    return "id"


def init_app(app):
    babel.init_app(
        app,
        locale_selector=_selected_locale,
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
    # The same as Jinja's newstyle `_`/gettext/ngettext, but given the evaluation context
    # (autoescape) instead of the template context, which Jinja copies for every such call
    # inside a block or loop with variables; a message without variables is finished once.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext,
                                 ngettext=_template_ngettext)


def current_translations():
    """The Babel translations of this request's language (kept on `g` for the request)."""
    return _translations()


def _translations():
    if not has_app_context():
        return get_translations()
    values = vars(g._get_current_object())
    locale = getattr(values.get("_flask_babel"), "babel_locale", None)
    cached = values.get("_shop_translations")
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    values["_shop_translations"] = (
        getattr(values.get("_flask_babel"), "babel_locale", None), translations)
    return translations


def _gettext(string, **variables):
    """Flask-Babel's gettext through the request's kept translations (see `_translations`)."""
    text = _translations().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string, **variables) -> LazyString:
    """Flask-Babel's lazy_gettext (translated when shown, in the language of that moment), but
    translated through the request's kept translations: the labels a page shows (sort orders,
    units, statuses) cost a dictionary lookup instead of Flask-Babel's context lookups."""
    return LazyString(_gettext, string, **variables)


_FINISHED_MAX = 4000  # messages without variables kept per language (`_(note)` varies)


@pass_eval_context
def _template_gettext(__eval_ctx, __string, **variables):
    """Jinja's newstyle gettext: the translation, as Markup when autoescaping, always used as
    a format string (so "%%" is "%" with or without variables)."""
    translations = _translations()
    autoescape = __eval_ctx.autoescape
    if variables:
        text = translations.ugettext(__string)
        return (Markup(text) if autoescape else text) % variables
    finished = vars(translations).setdefault("_shop_finished", {})
    key = (__string, autoescape)
    text = finished.get(key)
    if text is None:
        text = translations.ugettext(__string)
        text = (Markup(text) if autoescape else text) % {}
        if len(finished) < _FINISHED_MAX:
            finished[key] = text
    return text


@pass_eval_context
def _template_ngettext(__eval_ctx, __singular, __plural, __num, **variables):
    """Jinja's newstyle ngettext (`num` is the count unless given)."""
    variables.setdefault("num", __num)
    text = _translations().ungettext(__singular, __plural, __num)
    return (Markup(text) if __eval_ctx.autoescape else text) % variables


def N_(text: str) -> str:
    """Marks text for the catalogue without translating it now: it is stored as written (a
    timeline note, say) and translated where it is shown, in the reader's language."""
    return text

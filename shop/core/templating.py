"""Template filters and globals. None of them runs a query."""

import threading

from flask import current_app, has_request_context, request
from flask.templating import Environment

from shop.core.cache import page_url
from shop.core.i18n import current_locale
from shop.core.labels import (
    BUYER_PARCEL_STATUS_LABELS,
    DELIVERY_LABELS,
    ORDER_STATUS_LABELS,
    PARCEL_STATUS_LABELS,
    PAYMENT_STATUS_LABELS,
)
from shop.core.money import format_rupiah
from shop.core.time import to_wit
from shop.core.urls import page_url_for

# Parts a process keeps (`kept`): the page frame's, and a product page's (a few KB each).
KEPT_PARTS = 2048
_KEPT_LOCK = threading.Lock()


class FlatGlobalsEnvironment(Environment):
    """Flask's Jinja environment with each template's globals as one plain dict. Jinja chains
    a template's globals to the environment's (a ChainMap), which every render copies and
    every `{% import %}` compares key by key in Python; a plain dict is copied at C speed.
    The globals are complete when the first template loads: every area sets its own in
    `init_app` (tests/unit/test_template_globals.py checks that no render adds one later)."""

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


def kept(*key, caller):
    """`{% call kept("footer") %}...{% endcall %}`, `{% call kept(product, "info") %}`: the
    enclosed HTML rendered once per application, language, script root and `key`, for parts
    that depend on nothing but the language and `key`: the page frame's fixed parts (links and
    labels cost more to render than to look up), or parts keyed on what they show (a frozen
    view such as shop.catalog.product_page.ProductView compares by every field the part shows:
    an edit makes a new key, so a kept part is never stale). The part must have no side
    effects. At most KEPT_PARTS are kept (the oldest go first). Rendered every time in debug or
    auto-reload mode (templates being edited)."""
    app = current_app._get_current_object()
    if not has_request_context() or app.debug or app.config.get("TEMPLATES_AUTO_RELOAD"):
        return caller()
    parts = app.extensions.setdefault("shop.kept_parts", {})
    name = (current_locale(), request.script_root, *key)
    html = parts.get(name)
    if html is None:
        html = caller()
        with _KEPT_LOCK:
            while len(parts) >= KEPT_PARTS:
                del parts[next(iter(parts))]
            parts[name] = html
    return html


def forget_kept_parts(app) -> None:
    """Drop the parts `kept` holds for `app` (they follow content, not the configuration: a
    changed SHOP_BASE_URL needs a restart, or this)."""
    app.extensions.pop("shop.kept_parts", None)


def init_app(app):
    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["wit"] = lambda value, fmt="%d-%m-%Y %H:%M": (
        to_wit(value).strftime(fmt) + " WIT" if value else ""
    )
    app.jinja_env.globals.update(
        order_status_labels=ORDER_STATUS_LABELS, parcel_status_labels=PARCEL_STATUS_LABELS,
        buyer_parcel_status_labels=BUYER_PARCEL_STATUS_LABELS,
        delivery_labels=DELIVERY_LABELS, payment_status_labels=PAYMENT_STATUS_LABELS,
    )
    app.jinja_env.globals["current_lang"] = current_locale
    app.jinja_env.globals["url_for"] = page_url_for  # Flask's, remembered per process
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["kept"] = kept
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

"""Template filters and globals. None of them runs a query."""

import threading

from flask import current_app, has_request_context, request

from shop.core.cache import page_url
from shop.core.i18n import current_locale, current_translations
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


def memo(*key, caller):
    """`{% call memo("footer") %}...{% endcall %}`: the enclosed HTML rendered once per process,
    language, script root and `key`, for the fixed parts of the page frame (links and labels
    cost more to render than to look up). The part may depend on nothing but the language
    and `key`. Rendered every time in debug or auto-reload mode (templates being edited)."""
    if (not has_request_context() or current_app.debug
            or current_app.config.get("TEMPLATES_AUTO_RELOAD")):
        return caller()
    kept = vars(current_translations()).setdefault("_shop_memo", {})
    name = (request.script_root, *key)
    html = kept.get(name)
    if html is None:
        html = kept[name] = caller()
    return html


# Parts a process keeps under what they show (`kept`): a product page's fixed parts are a few KB.
KEPT_PARTS = 2048
_KEPT_LOCK = threading.Lock()


def kept(*key, caller):
    """`{% call kept(product, "info") %}...{% endcall %}`: the enclosed HTML rendered once per
    application, language, script root and `key`, for parts of a page that depend on nothing
    but `key` and the language, where `key` compares by everything the part shows (a frozen
    view such as shop.catalog.product_page.ProductView): an edit makes a new key, so a kept part
    is never stale. The part must have no side effects. At most KEPT_PARTS are kept (the
    oldest go first). Rendered every time in debug or auto-reload mode."""
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
    app.jinja_env.globals["memo"] = memo
    app.jinja_env.globals["kept"] = kept
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

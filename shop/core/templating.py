"""Template filters and globals. None of them runs a query."""

from flask import current_app, has_request_context, request
from flask_babel import get_locale

from shop.core.cache import page_url
from shop.core.i18n import current_translations
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


def current_lang():
    return str(get_locale() or "id")


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
    app.jinja_env.globals["current_lang"] = current_lang
    app.jinja_env.globals["url_for"] = page_url_for  # Flask's, remembered per process
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["memo"] = memo
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

"""Template filters and globals. None of them runs a query."""

from flask_babel import get_locale

from shop.core.cache import page_url
from shop.core.labels import (
    BUYER_PARCEL_STATUS_LABELS,
    DELIVERY_LABELS,
    ORDER_STATUS_LABELS,
    PARCEL_STATUS_LABELS,
    PAYMENT_STATUS_LABELS,
)
from shop.core.money import format_rupiah
from shop.core.time import to_wit


def current_lang():
    return str(get_locale() or "id")


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
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

"""Links that reach people outside the shop: WhatsApp chats and shares, map pins.

Only well-formed links come out: a WhatsApp number that is not an Indonesian mobile/landline
number gives no link at all (None), and map coordinates out of range give none either."""

from urllib.parse import quote

from flask import current_app
from markupsafe import Markup

from shop.core.text import normalize_phone


def _plain(text) -> str:
    """Templates hand over Markup (gettext escapes its arguments): the message wants the
    characters themselves, "&" and not "&amp;"."""
    return text.unescape() if isinstance(text, Markup) else str(text or "")


def whatsapp_number(raw: str | None) -> str | None:
    """'0812-3456-7890' or '+62 812...' -> '6281234567890' (the digits wa.me wants)."""
    phone = normalize_phone(raw or "")
    return phone[1:] if phone else None


def whatsapp_chat_url(number: str | None, text: str = "") -> str | None:
    """https://wa.me/62...?text=... : a chat with the number, the message prefilled."""
    digits = whatsapp_number(number)
    if digits is None:
        return None
    url = f"https://wa.me/{digits}"
    return f"{url}?text={quote(_plain(text), safe='')}" if text else url


def whatsapp_share_url(text: str) -> str:
    """https://wa.me/?text=... : WhatsApp asks whom to send the text to."""
    return f"https://wa.me/?text={quote(_plain(text), safe='')}"


def _coordinates(latitude, longitude) -> tuple[float, float] | None:
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def osm_url(latitude, longitude, zoom: int = 17) -> str | None:
    """An OpenStreetMap page with a marker on the point (works in any browser)."""
    point = _coordinates(latitude, longitude)
    if point is None:
        return None
    lat, lon = point
    return (f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}"
            f"#map={zoom}/{lat:.6f}/{lon:.6f}")


def geo_uri(latitude, longitude, label: str = "") -> str | None:
    """geo:lat,lon (RFC 5870): opens the phone's own map app."""
    point = _coordinates(latitude, longitude)
    if point is None:
        return None
    lat, lon = point
    uri = f"geo:{lat:.6f},{lon:.6f}"
    return f"{uri}?q={lat:.6f},{lon:.6f}({quote(label, safe='')})" if label else uri


def absolute_url(path: str) -> str:
    """A path made absolute on SHOP_BASE_URL (never the request's Host): for link previews."""
    if path.startswith(("http://", "https://")):
        return path
    return current_app.config["SHOP_BASE_URL"].rstrip("/") + path


def register(app):
    app.jinja_env.globals.update(
        absolute_url=absolute_url,
        whatsapp_chat_url=whatsapp_chat_url, whatsapp_share_url=whatsapp_share_url,
        osm_url=osm_url, geo_uri=geo_uri,
    )

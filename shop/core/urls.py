"""Where the shop may send a browser back to."""

from urllib.parse import urlsplit

from flask import current_app


def safe_next(target, default: str = "/") -> str:
    """Only same-site relative paths: never an open redirect (`//x`, `/\\x`, `/\\tx`...)."""
    if not target or not isinstance(target, str):
        return default
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def external_url(endpoint: str, **values) -> str:
    """An absolute link for mails, PDFs and gateways, always on the configured SHOP_BASE_URL:
    never built from the request's Host header (which an attacker chooses)."""
    adapter = current_app.url_map.bind("localhost", script_name="/")
    path = adapter.build(endpoint, values, force_external=False)
    return current_app.config["SHOP_BASE_URL"].rstrip("/") + path

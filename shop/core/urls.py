"""Where the shop may send a browser back to, links on SHOP_BASE_URL, and the pages' own
links built once per process."""

from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for


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


@lru_cache(maxsize=4096)
def _built(script_root: str, endpoint: str, items: tuple) -> str:
    return url_for(endpoint, **{name: value for name, _kind, value in items})


def page_url_for(endpoint: str, **values) -> str:
    """url_for for a page's own links (templates, product cards), remembered per process.

    A relative URL depends only on the endpoint, its values and the request's script root
    (the shop has no per-request URL defaults but the static files' content version, which
    changes with a deployment, that is a restart), so each is built once instead of about 40
    times per page. Not remembered: blueprint-relative endpoints, url_for's own options
    (`_external`, `_anchor`...), `next` (the current page's URL, one per visitor's URL) and, in
    debug or auto-reload mode, static files (edited while the server runs)."""
    if (not has_request_context() or endpoint.startswith(".") or "next" in values
            or any(name.startswith("_") for name in values)
            or (endpoint == "static" and _static_may_change())):
        return url_for(endpoint, **values)
    try:
        # in the given order: it is the order of the query string
        items = tuple((name, value.__class__, value) for name, value in values.items())
        return _built(request.script_root, endpoint, items)
    except TypeError:  # an unhashable value (a list of values): built every time
        return url_for(endpoint, **values)


def _static_may_change() -> bool:
    return current_app.debug or bool(current_app.config.get("TEMPLATES_AUTO_RELOAD"))

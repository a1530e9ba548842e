"""Security headers on every response, and guards against input no person sends: NUL bytes,
JSON nested deeper than any real document. (The proxy in front: shop/core/serving.py.)"""

from flask import abort, g, request
from flask.sessions import SecureCookieSessionInterface


class TooDeep(ValueError):
    pass


def allow_blob_images():
    """Let this response's page show images from local object URLs (blob:), such as a photo
    previewed before it is uploaded. Only pages that call this get it."""
    g.csp_blob_images = True


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per secret key
    (Flask builds a new one to open and again to save every request's session)."""

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = app.extensions.get("shop.session_serializer")
        if kept is None or kept[0] != keys:
            kept = app.extensions["shop.session_serializer"] = (
                keys, super().get_signing_serializer(app))
        return kept[1]


def init_app(app):
    app.session_interface = SignedCookieSessions()

    @app.before_request
    def _refuse_nul_bytes():
        # A NUL byte is never part of real input, and PostgreSQL refuses it in text: a path
        # with one is not found, a form or JSON body with one is a bad request (never a 500).
        if "\x00" in request.path:
            abort(404)
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            values = [v for _, v in request.form.items(multi=True)]
            if request.is_json:
                values.extend(_json_strings(app.config.get("JSON_MAX_DEPTH", 32)))
            if any("\x00" in value for value in values):
                abort(400)

    @app.after_request
    def _security_headers(response):
        blob = g.pop("csp_blob_images", False)  # (popped: tests share g)
        config = app.config
        hsts = config.get("HSTS_SECONDS") if config.get("ENV_NAME") == "production" else None
        headers = response.headers
        present = {name.lower() for name, _value in headers.items()}  # (a view's own stays)
        for lower, name, value in _policy_headers(blob, config.get("STRIPE_JS_URL", ""), hsts):
            if lower not in present:
                headers.add(name, value)
        return response


_POLICY_HEADERS: dict = {}


def _policy_headers(blob: bool, stripe_js: str, hsts) -> tuple:
    """The security headers as (lower-case name, name, value), built once per setting (every
    response carries them)."""
    key = (blob, stripe_js, hsts)
    found = _POLICY_HEADERS.get(key)
    if found is not None:
        return found
    stripe_origin = "/".join(stripe_js.split("/")[:3]) if stripe_js else ""
    images = " blob:" if blob else ""
    csp = (
        "default-src 'self'; "
        f"img-src 'self' data:{images}; "
        "style-src 'self'; "
        f"script-src 'self' {stripe_origin}; "
        f"frame-src 'self' {stripe_origin}; "
        f"connect-src 'self' {stripe_origin}; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    found = [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if hsts:
        found.append(("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains"))
    found = _POLICY_HEADERS[key] = tuple((name.lower(), name, value) for name, value in found)
    return found


def _json_strings(max_depth):
    """Every string of the request's JSON body; 400 for a body nested deeper than max_depth
    (the parser itself would hit Python's recursion limit near depth 1000)."""
    try:
        data = request.get_json(silent=True)
        return list(_strings(data, max_depth))
    except (RecursionError, TooDeep):
        abort(400)


def _strings(data, max_depth):
    """Every string inside a JSON document, walked without recursion."""
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            raise TooDeep
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, value in item.items():
                yield str(key)
                stack.append((value, depth + 1))
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)

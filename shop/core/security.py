"""Security headers on every response, and a guard against NUL bytes in paths."""

from flask import abort, request


def init_app(app):
    @app.before_request
    def _refuse_nul_bytes():
        # A NUL byte is never part of real input, and PostgreSQL refuses it in text: a path
        # with one is not found, a form or JSON body with one is a bad request (never a 500).
        if "\x00" in request.path:
            abort(404)
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            values = [v for _, v in request.form.items(multi=True)]
            if request.is_json:
                values.extend(_strings(request.get_json(silent=True)))
            if any("\x00" in value for value in values):
                abort(400)

    @app.after_request
    def _security_headers(response):
        stripe_js = app.config.get("STRIPE_JS_URL", "")
        stripe_origin = "/".join(stripe_js.split("/")[:3]) if stripe_js else ""
        csp = (
            "default-src 'self'; "
            "img-src 'self' data:; "
            "style-src 'self'; "
            f"script-src 'self' {stripe_origin}; "
            f"frame-src 'self' {stripe_origin}; "
            f"connect-src 'self' {stripe_origin}; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


def _strings(data):
    """Every string inside a JSON document."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)

"""Security headers on every response, and a guard against NUL bytes in paths."""

from flask import abort, request


def init_app(app):
    @app.before_request
    def _refuse_nul_in_path():
        # A NUL byte is never part of a real URL, and PostgreSQL refuses it in text.
        if "\x00" in request.path:
            abort(404)

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

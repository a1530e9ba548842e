"""Friendly HTML error pages, and JSON errors under /api."""

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from shop.core.i18n import lazy_gettext as _l

API_MESSAGES = {
    400: _l("Permintaan tidak valid."),
    401: "Perlu masuk terlebih dahulu.",
    403: _l("Anda tidak berhak mengakses ini."),
    404: _l("Data tidak ditemukan."),
    405: _l("Metode tidak diizinkan untuk alamat ini."),
    409: _l("Permintaan bertentangan dengan keadaan data."),
    413: _l("Data yang dikirim terlalu besar."),
    415: _l("Jenis konten harus application/json."),
    422: _l("Data tidak dapat diproses."),
    429: _l("Terlalu banyak permintaan. Coba lagi sebentar lagi."),
    500: _l("Terjadi kesalahan di server."),
    503: _l("Layanan sedang tidak tersedia."),
}
API_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "unprocessable", 429: "rate_limited", 500: "server_error", 503: "unavailable",
}


def api_error(status, message=None, code=None, **extra):
    body = {"error": {"code": code or API_CODES.get(status, "error"),
                      "message": str(message or API_MESSAGES.get(status, _l("Kesalahan.")))}}
    body["error"].update(extra)
    return jsonify(body), status


def wants_json():
    return request.path.startswith("/api/")


def _request_ctx_has_no_urls() -> bool:
    from flask.globals import request_ctx

    return request_ctx.url_adapter is None


def register_error_handlers(app):
    @app.errorhandler(HTTPException)
    def _http_error(exc):
        status = exc.code or 500
        if wants_json():
            response, status = api_error(status)
        elif _request_ctx_has_no_urls():
            # A Host outside TRUSTED_HOSTS: no URL can be built, so no page either.
            response = app.make_response(("Bad Request", status, {"Content-Type": "text/plain"}))
        else:
            response = render_template("errors/error.html", status=status), status
            response = app.make_response(response)
        if status == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response, status

    @app.errorhandler(Exception)
    def _unexpected(exc):
        app.logger.exception("unhandled error on %s", request.path)
        if wants_json():
            return api_error(500)
        return render_template("errors/error.html", status=500), 500

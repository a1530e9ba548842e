"""What an operator sees: JSON logs carrying a request id, Prometheus metrics at /metrics,
the details /healthz adds, and errors sent to Sentry when SENTRY_DSN is set.

Core imports no area, so the areas feed it: they send the signals below (or have them sent
from ORM events, see shop/payments/metrics.py), add health checks and gauges from their
init_app (`add_health_check`, `add_gauge`) and name their webhook endpoints
(`watch_webhook`)."""

import hmac
import ipaddress
import json
import logging
import os
import re
import time
import uuid
from datetime import datetime

from blinker import Namespace
from flask import Blueprint, Response, abort, current_app, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger("shop.observability")
bp = Blueprint("observability", __name__)
EXTENSION_KEY = "shop_observability"
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:\-]{8,128}$")

# ---------------------------------------------------------------- signals the areas send
signals = Namespace()
order_placed = signals.signal("order-placed")  # kwargs: none
payment_recorded = signals.signal("payment-recorded")  # kwargs: method, outcome
webhook_failed = signals.signal("webhook-failed")  # kwargs: provider

# ---------------------------------------------------------------- metrics (one set a process)
REQUEST_SECONDS = Histogram(
    "shop_request_duration_seconds", "Time to answer a request, per endpoint.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
REQUESTS = Counter("shop_requests_total", "Requests answered, per endpoint and status.",
                   ["endpoint", "method", "status"])
ORDERS_PLACED = Counter("shop_orders_placed_total", "Orders placed (checkout committed).")
PAYMENTS = Counter("shop_payments_total", "Payment status changes, per method and outcome.",
                   ["method", "outcome"])
WEBHOOK_FAILURES = Counter("shop_webhook_failures_total",
                           "Gateway webhooks/notifications answered with an error.",
                           ["provider"])


def _on_order_placed(_sender, **_kw):
    ORDERS_PLACED.inc()


def _on_payment(_sender, method="unknown", outcome="unknown", **_kw):
    PAYMENTS.labels(method=method, outcome=outcome).inc()


def _on_webhook_failed(_sender, provider="unknown", **_kw):
    WEBHOOK_FAILURES.labels(provider=provider).inc()


order_placed.connect(_on_order_placed, weak=False)
payment_recorded.connect(_on_payment, weak=False)
webhook_failed.connect(_on_webhook_failed, weak=False)


# ---------------------------------------------------------------- what areas add
def _state(app):
    return app.extensions.setdefault(
        EXTENSION_KEY, {"health": {}, "gauges": {}, "webhooks": {}})


def add_health_check(app, name, func):
    """`func()` -> a JSON value shown under `name` in /healthz (errors show as null)."""
    _state(app)["health"][name] = func


def add_gauge(app, name, help_text, func):
    """`func()` -> a number, read from the database at each scrape of /metrics."""
    _state(app)["gauges"][name] = (help_text, func)


def watch_webhook(app, endpoint, provider):
    """Count answers >= 400 of this endpoint as webhook failures of `provider`."""
    _state(app)["webhooks"][endpoint] = provider


# ---------------------------------------------------------------- request id and JSON logs
def current_request_id():
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, exception."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created).astimezone().isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        if has_request_context():
            entry["method"], entry["path"] = request.method, request.path
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app):
    fmt = app.config.get("LOG_FORMAT") or ""
    if fmt not in ("json", "text"):
        return  # leave logging as Flask and the test runner set it
    from flask.logging import default_handler

    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    handler._shop_handler = True
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not getattr(h, "_shop_handler", False)]
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    app.logger.removeHandler(default_handler)


def _start_request():
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    if current_app.config.get("SENTRY_DSN"):
        import sentry_sdk

        sentry_sdk.set_tag("request_id", g.request_id)


def _finish_request(response):
    response.headers["X-Request-ID"] = g.get("request_id") or uuid.uuid4().hex
    endpoint = request.endpoint or "unmatched"
    started = g.get("request_started")
    if started is not None:
        REQUEST_SECONDS.labels(endpoint, request.method).observe(time.perf_counter() - started)
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    provider = _state(current_app)["webhooks"].get(endpoint)
    if provider and response.status_code >= 400:
        webhook_failed.send(current_app._get_current_object(), provider=provider)
    return response


# ---------------------------------------------------------------- /metrics
def _is_loopback():
    try:
        loopback = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False
    # a request relayed by a proxy is not local, whatever address the proxy connects from
    return loopback and "X-Forwarded-For" not in request.headers


def _allowed():
    token = current_app.config.get("METRICS_TOKEN")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[7:].strip().encode(), token.encode())
    return _is_loopback()


class _Families:
    def __init__(self, families):
        self.families = families

    def collect(self):
        return iter(self.families)


def _database_families():
    from shop.core import jobs

    families = []
    for name, (help_text, func) in sorted(_state(current_app)["gauges"].items()):
        try:
            families.append(GaugeMetricFamily(name, help_text, value=float(func())))
        except Exception:  # noqa: BLE001 - a failing gauge must not hide the others
            log.exception("metrics: gauge %s failed", name)
    success = GaugeMetricFamily("shop_job_last_success_timestamp_seconds",
                                "When each job last succeeded (Unix time).", labels=["job"])
    failures = GaugeMetricFamily("shop_job_failures", "Failed runs of each job so far.",
                                 labels=["job"])
    for state in jobs.states():
        if state.last_success_at:
            success.add_metric([state.name], _unix(state.last_success_at))
        failures.add_metric([state.name], state.failures)
    return [*families, success, failures]


def _unix(naive_utc):
    from datetime import UTC

    return naive_utc.replace(tzinfo=UTC).timestamp()


@bp.get("/metrics")
def metrics():
    if not _allowed():
        abort(404)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Families(list(REGISTRY.collect())))
    registry.register(_Families(_database_families()))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


# ---------------------------------------------------------------- /healthz details
def health_details():
    """Extra fields of /healthz: each area's checks and how long ago jobs ran."""
    from shop.core import jobs

    details = {}
    for name, func in sorted(_state(current_app)["health"].items()):
        try:
            details[name] = func()
        except Exception:  # noqa: BLE001 - shown as null, the check itself stays up
            log.exception("health check %s failed", name)
            details[name] = None
    details["jobs"] = jobs.health()
    return details


# ---------------------------------------------------------------- Sentry
def init_sentry(app):
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[FlaskIntegration()],
        environment=app.config.get("SENTRY_ENVIRONMENT") or app.config.get("ENV_NAME"),
        traces_sample_rate=app.config.get("SENTRY_TRACES_SAMPLE_RATE", 0.0),
        send_default_pii=False,  # no customer data leaves the shop
    )


def init_app(app):
    configure_logging(app)
    init_sentry(app)
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.register_blueprint(bp)

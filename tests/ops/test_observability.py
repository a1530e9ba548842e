"""Request ids, JSON logs, /metrics (access, and the counters after a checkout), /healthz."""

import json
import logging

from prometheus_client.parser import text_string_to_metric_families

from shop.core.observability import JsonFormatter, RequestIdFilter
from shop.extensions import db


def metric_values(client, **headers):
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.status_code
    values = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            key = (sample.name, tuple(sorted(sample.labels.items())))
            values[key] = sample.value
    return values


def value(values, name, **labels):
    return values.get((name, tuple(sorted(labels.items()))), 0.0)


def test_request_id_is_echoed_when_sane_and_made_otherwise(client):
    sane = "4f9c2b7e8a1d4c3b9e0f1a2b3c4d5e6f"
    assert client.get("/healthz", headers={"X-Request-ID": sane}).headers["X-Request-ID"] == sane
    for bad in ("short", "x" * 200, "evil id; Set-Cookie: a=b", "<script>alert(1)</script>"):
        rid = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert rid != bad and len(rid) == 32
    first = client.get("/healthz").headers["X-Request-ID"]
    assert first != client.get("/healthz").headers["X-Request-ID"]


def test_json_log_lines_carry_the_request_id(app):
    record = logging.LogRecord("shop.test", logging.WARNING, __file__, 1, "stok %s habis", ("x",),
                               None)
    with app.test_request_context("/cart", headers={"X-Request-ID": "abcdef0123456789"}):
        app.preprocess_request()
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "stok x habis" and line["level"] == "WARNING"
    assert line["request_id"] == "abcdef0123456789" and line["path"] == "/cart"
    assert line["logger"] == "shop.test" and "time" in line


def test_metrics_only_for_loopback_or_the_token(app, client):
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    relayed = {"X-Forwarded-For": "203.0.113.9"}
    assert client.get("/metrics", headers=relayed).status_code == 404
    other = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.status_code == 404
    app.config["METRICS_TOKEN"] = "s3cret-scrape-token"
    try:
        token = {"Authorization": "Bearer s3cret-scrape-token"}
        ok = client.get("/metrics", headers={**relayed, **token})
        assert ok.status_code == 200
        bad = client.get("/metrics", headers={**relayed, "Authorization": "Bearer wrong"})
        assert bad.status_code == 404
    finally:
        app.config["METRICS_TOKEN"] = None


def test_metrics_after_a_checkout(client, gen_product, gen_order):
    from shop.payments.models import Payment

    before = metric_values(client)
    product = gen_product(price=25_000, stock=5)
    order, _token = gen_order({product: 2})
    payment = Payment(order_id=order.id, provider="stripe", intent_id="pi_metrics_1",
                      client_secret="pi_metrics_1_secret", amount=order.total, status="created")
    db.session.add(payment)
    db.session.commit()
    payment.status = "succeeded"
    db.session.commit()
    payment.last_error = "nothing to count"  # no status change
    db.session.commit()
    client.post("/payments/stripe/webhook", data=b"{}", headers={"Stripe-Signature": "bad"})
    client.get("/products")
    after = metric_values(client)

    assert value(after, "shop_orders_placed_total") - value(before, "shop_orders_placed_total") == 1
    for outcome in ("created", "succeeded"):
        key = dict(method="stripe", outcome=outcome)
        assert value(after, "shop_payments_total", **key) - value(before, "shop_payments_total",
                                                                   **key) == 1
    assert value(after, "shop_webhook_failures_total", provider="stripe") - value(
        before, "shop_webhook_failures_total", provider="stripe") == 1
    assert value(after, "shop_request_duration_seconds_count", endpoint="catalog.product_list",
                 method="GET") >= 1
    assert ("shop_outbox_backlog", ()) in after


def test_a_rolled_back_transaction_counts_nothing(gen_product, gen_order):
    from shop.core.observability import PAYMENTS
    from shop.payments.models import Payment

    order, _token = gen_order({gen_product(price=25_000, stock=5): 1})
    created = PAYMENTS.labels(method="stripe", outcome="created")
    start = created._value.get()
    db.session.add(Payment(order_id=order.id, provider="stripe", intent_id="pi_rolled_back",
                           client_secret="x", amount=order.total, status="created"))
    db.session.flush()
    db.session.rollback()
    assert created._value.get() == start


def test_job_metrics_and_health_details(client, runner):
    assert runner.invoke(args=["jobs", "run", "orders-expire"]).exit_code == 0
    values = metric_values(client)
    assert value(values, "shop_job_last_success_timestamp_seconds", job="orders-expire") > 0
    body = client.get("/healthz").get_json()
    assert body["jobs"]["last_success_age_seconds"] < 60 and body["jobs"]["failing"] == []
    assert body["outbox_backlog"] == 0
    from shop.mail.models import OutboxMessage

    db.session.add(OutboxMessage(to_address="a@example.org", subject="s", text_body="t",
                                 html_body="h"))
    db.session.commit()
    assert client.get("/healthz").get_json()["outbox_backlog"] == 1
    assert value(metric_values(client), "shop_outbox_backlog") == 1


def test_behind_a_proxy_and_versioned_static_urls(app):
    from flask import request, url_for
    from werkzeug.middleware.proxy_fix import ProxyFix

    from shop import create_app
    from tests.conftest import TestConfig

    class BehindNginx(TestConfig):
        PROXY_FIX_X_FOR = 1

    proxied = create_app(BehindNginx)
    assert isinstance(proxied.wsgi_app, ProxyFix) and not isinstance(app.wsgi_app, ProxyFix)
    seen = {}

    @proxied.get("/_whoami")
    def whoami():
        seen.update(addr=request.remote_addr, scheme=request.scheme)
        return "ok"

    proxied.test_client().get("/_whoami", headers={
        "X-Forwarded-For": "198.51.100.1, 203.0.113.9", "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "203.0.113.9", "scheme": "https"}  # only the last hop is trusted

    with app.test_request_context():
        url = url_for("static", filename="css/shop.css")
    assert url.startswith("/static/css/shop.css?v=") and len(url.split("v=")[1]) == 10

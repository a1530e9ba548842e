"""The Midtrans gateway against scripts/fake-midtrans: Snap creation, status, signed
notifications (verified, re-read, processed once), cancel / expire / refund, the hosted page,
and a Midtrans that is down or slow."""

import hashlib
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config import TestingConfig
from shop.payments.gateway import (
    GATEWAYS,
    GatewayUnavailable,
    InvalidWebhook,
    PaymentDeclined,
    RefundNotSupported,
    get_gateway,
)
from tests.payments.midtrans_fake import fake_call

KEY = TestingConfig.MIDTRANS_SERVER_KEY
WIB = timezone(timedelta(hours=7))
_numbers = iter(range(1, 10_000))


def order_number():
    return f"EB-T{next(_numbers):04d}{int(time.time() * 1000) % 100000:05d}"


def signature(order_id, status_code, gross_amount, key=KEY):
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{key}".encode()).hexdigest()


def simulate(base, order_id, **params):
    status, body = fake_call(base, "POST", f"/_simulate/{order_id}", params)
    assert status == 200, body
    return body


def record(base, order_id):
    status, body = fake_call(base, "GET", f"/_transactions/{order_id}")
    assert status == 200, body
    return body


@pytest.fixture
def gateway(midtrans):
    return get_gateway("midtrans")


@pytest.fixture
def new_intent(gateway, notification_receiver):
    def create(amount=150_000, attempt=1, **kwargs):
        kwargs.setdefault("notification_url", notification_receiver.url)
        kwargs.setdefault("finish_url", "http://127.0.0.1:5000/orders/EB-X/kembali?via=snap")
        return gateway.create_intent(amount=amount, order_number=order_number(),
                                     attempt=attempt, **kwargs)

    return create


def test_registered_as_midtrans(app):
    gateway = get_gateway("midtrans")
    assert GATEWAYS["midtrans"] is type(gateway)
    assert gateway.name == "midtrans"
    assert get_gateway("stripe").name == "stripe"  # Stripe still there


def test_create_sends_the_snap_body_and_remembers_the_notification_url(
        midtrans, new_intent, notification_receiver):
    before = datetime.now(UTC)
    intent = new_intent(amount=150_000, attempt=2, expiry_minutes=45,
                        customer={"name": "Budi Santoso", "email": "budi@example.com",
                                  "phone": "081234567890"},
                        items=[{"id": "sambal-roa", "name": "Sambal roa LPP Ternate",
                                "price": 50_000, "quantity": 3}],
                        enabled_payments=["other_qris", "bca_va", "gopay"])
    assert intent.id == f"{intent.order_number}-p2"
    assert intent.status == "requires_payment_method"
    assert (intent.amount, intent.currency) == (150_000, "idr")
    assert intent.redirect_url == f"{midtrans}/snap/v4/redirection/{intent.client_secret}"
    assert timedelta(minutes=44) < intent.expires_at - before <= timedelta(minutes=45, seconds=2)

    sent = record(midtrans, intent.id)
    assert sent["notify_urls"] == [notification_receiver.url]
    body = sent["request"]
    assert body["transaction_details"] == {"order_id": intent.id, "gross_amount": 150000}
    assert body["expiry"]["unit"] == "minutes" and body["expiry"]["duration"] == 45
    assert body["expiry"]["start_time"].endswith("+0700")
    assert body["callbacks"] == {"finish": "http://127.0.0.1:5000/orders/EB-X/kembali?via=snap"}
    assert body["customer_details"] == {"first_name": "Budi Santoso",
                                        "email": "budi@example.com", "phone": "081234567890"}
    assert body["item_details"][0] == {"id": "sambal-roa", "name": "Sambal roa LPP Ternate",
                                       "price": 50000, "quantity": 3}
    assert body["custom_field1"] == intent.order_number and body["custom_field2"] == "2"
    # like Midtrans: the expiry Snap was given
    assert sent["expiry_time"] == intent.expires_at.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S")


def test_status_before_and_after_a_way_to_pay_is_chosen(midtrans, gateway, new_intent):
    intent = new_intent(amount=75_000)
    # Midtrans knows no transaction until the customer picks a way to pay
    unknown = gateway.retrieve(intent.id)
    assert (unknown.status, unknown.provider_status, unknown.amount) == (
        "requires_payment_method", None, 0)
    simulate(midtrans, intent.id, transaction_status="pending", payment_type="bank_transfer",
             bank="bca")
    pending = gateway.retrieve(intent.id)
    assert pending.status == "requires_action"
    assert (pending.amount, pending.currency) == (75_000, "idr")
    assert (pending.payment_type, pending.provider_status) == ("bank_transfer", "pending")
    assert pending.order_number == intent.order_number
    va = pending.raw["va_numbers"][0]
    assert va["bank"] == "bca" and va["va_number"].isdigit() and len(va["va_number"]) == 16
    assert pending.raw["gross_amount"] == "75000.00"
    assert pending.raw["status_code"] == "201"
    assert pending.raw["signature_key"] == signature(intent.id, "201", "75000.00")
    assert len(pending.transaction_id) == 36
    datetime.strptime(pending.raw["transaction_time"], "%Y-%m-%d %H:%M:%S")  # WIB, no zone


def test_qris_status_carries_actions(midtrans, gateway, new_intent):
    intent = new_intent()
    simulate(midtrans, intent.id, transaction_status="pending", payment_type="qris")
    raw = gateway.retrieve(intent.id).raw
    assert raw["actions"][0]["name"] == "generate-qr-code"
    assert raw["actions"][0]["url"].endswith(f"/v2/qris/{raw['transaction_id']}/qr-code")


def test_settlement_sends_a_signed_notification_that_parses_as_succeeded(
        midtrans, gateway, new_intent, notification_receiver):
    intent = new_intent(amount=150_000)
    answer = simulate(midtrans, intent.id, transaction_status="settlement", payment_type="qris")
    assert answer["deliveries"] == [[{"url": notification_receiver.url, "status": 200}]]
    body = notification_receiver.wait_for(lambda n: n["order_id"] == intent.id)
    note = json.loads(body)
    assert note["transaction_status"] == "settlement" and note["status_code"] == "200"
    assert note["gross_amount"] == "150000.00" and note["currency"] == "IDR"
    assert note["signature_key"] == signature(intent.id, "200", "150000.00")

    event = gateway.parse_notification(body)
    assert event.type == "payment_succeeded"
    assert event.intent.status == "succeeded"
    assert (event.intent.id, event.intent.amount, event.intent.currency) == (
        intent.id, 150_000, "idr")
    assert event.intent.payment_type == "qris"
    assert event.id == f"{note['transaction_id']}:settlement"
    # the Stripe-shaped entry point gives the same event
    assert gateway.parse_webhook(body, None).id == event.id


def test_pending_and_failed_notifications(midtrans, gateway, new_intent, notification_receiver):
    waiting = new_intent()
    simulate(midtrans, waiting.id, transaction_status="pending", payment_type="gopay")
    event = gateway.parse_notification(
        notification_receiver.wait_for(lambda n: n["order_id"] == waiting.id))
    assert (event.type, event.intent.status) == ("payment_waiting", "requires_action")

    denied = new_intent()
    simulate(midtrans, denied.id, transaction_status="deny", payment_type="gopay")
    event = gateway.parse_notification(
        notification_receiver.wait_for(lambda n: n["order_id"] == denied.id))
    assert (event.type, event.intent.status) == ("payment_failed", "failed")
    assert "ditolak" in event.intent.last_error


def test_bad_signature_and_malformed_bodies_are_rejected(
        midtrans, gateway, new_intent, notification_receiver):
    intent = new_intent()
    simulate(midtrans, intent.id, transaction_status="settlement", payment_type="qris",
             bad_signature=True)
    body = notification_receiver.wait_for(lambda n: n["order_id"] == intent.id)
    with pytest.raises(InvalidWebhook):
        gateway.parse_notification(body)
    note = json.loads(body)
    for broken in (b"", b"not json", b"[]", b"\xff\xfe",
                   json.dumps({k: v for k, v in note.items() if k != "signature_key"}).encode(),
                   json.dumps({**note, "gross_amount": 150000}).encode()):
        with pytest.raises(InvalidWebhook):
            gateway.parse_notification(broken)
    # signed with another key: rejected
    note["signature_key"] = signature(intent.id, "200", "150000.00", key="SB-Mid-server-other")
    with pytest.raises(InvalidWebhook):
        gateway.parse_notification(json.dumps(note).encode())


def test_a_tampered_amount_is_rejected_and_a_signed_one_cannot_lie(
        midtrans, gateway, new_intent, notification_receiver):
    intent = new_intent(amount=150_000)
    simulate(midtrans, intent.id, transaction_status="settlement", payment_type="qris",
             gross_amount="1000.00")
    body = notification_receiver.wait_for(lambda n: n["order_id"] == intent.id)
    assert json.loads(body)["gross_amount"] == "1000.00"
    with pytest.raises(InvalidWebhook):
        gateway.parse_notification(body)
    # even correctly signed, the amount comes from the re-read status, not the notification
    notification_receiver.clear()
    simulate(midtrans, intent.id, transaction_status="settlement", notify_only=True,
             gross_amount="1000.00", sign_tampered=True)
    event = gateway.parse_notification(
        notification_receiver.wait_for(lambda n: n["order_id"] == intent.id))
    assert event.intent.amount == 150_000


def test_repeated_notification_gives_one_event_id(
        midtrans, gateway, new_intent, notification_receiver):
    intent = new_intent()
    answer = simulate(midtrans, intent.id, transaction_status="settlement",
                      payment_type="shopeepay", repeat=5)
    assert len(answer["deliveries"]) == 5
    bodies = notification_receiver.bodies(intent.id)
    assert len(bodies) == 5
    events = [gateway.parse_notification(body) for body in bodies]
    assert len({e.id for e in events}) == 1
    assert {e.type for e in events} == {"payment_succeeded"}


def test_expire_after_settlement_out_of_order_keeps_settlement(
        midtrans, gateway, new_intent, notification_receiver):
    intent = new_intent()
    simulate(midtrans, intent.id, transaction_status="settlement", payment_type="qris")
    settled = gateway.parse_notification(
        notification_receiver.wait_for(lambda n: n["order_id"] == intent.id))
    notification_receiver.clear()
    answer = simulate(midtrans, intent.id, transaction_status="expire", notify_only=True)
    assert answer["transaction_status"] == "settlement"  # the fake did not change
    body = notification_receiver.wait_for(lambda n: n["order_id"] == intent.id)
    note = json.loads(body)
    assert (note["transaction_status"], note["status_code"]) == ("expire", "202")
    assert note["signature_key"] == signature(intent.id, "202", "150000.00")  # genuine

    late = gateway.parse_notification(body)
    assert late.intent.provider_status == "settlement"
    assert late.type == "payment_succeeded"
    assert late.id == settled.id  # processed once already: a duplicate


def test_the_fake_refuses_impossible_moves(midtrans, new_intent):
    intent = new_intent()
    simulate(midtrans, intent.id, transaction_status="settlement", payment_type="qris")
    status, body = fake_call(midtrans, "POST", f"/_simulate/{intent.id}",
                             {"transaction_status": "expire"})
    assert status == 409 and "settlement" in body["error"]


def test_cancel_a_pending_payment(midtrans, gateway, new_intent, notification_receiver):
    intent = new_intent()
    simulate(midtrans, intent.id, transaction_status="pending", payment_type="bank_transfer")
    gateway.cancel(intent.id)
    after = gateway.retrieve(intent.id)
    assert (after.status, after.provider_status) == ("canceled", "cancel")
    assert after.last_error == "Pembayaran dibatalkan."
    note = json.loads(notification_receiver.wait_for(
        lambda n: n["order_id"] == intent.id and n["transaction_status"] == "cancel"))
    assert note["signature_key"] == signature(intent.id, "200", "150000.00")
    gateway.cancel(intent.id)  # again: nothing to do, no error


def test_cancel_an_unpaid_snap_page_closes_it(midtrans, gateway, new_intent):
    intent = new_intent()
    gateway.cancel(intent.id)
    assert gateway.retrieve(intent.id).provider_status == "expire"
    with urllib.request.urlopen(intent.redirect_url, timeout=10) as response:
        page = response.read().decode()
    assert "Waktu pembayaran habis" in page and "Pilih cara bayar" not in page


def test_cancel_or_expire_a_paid_one_is_refused(midtrans, gateway, new_intent):
    intent = new_intent()
    simulate(midtrans, intent.id, transaction_status="settlement", payment_type="gopay")
    with pytest.raises(PaymentDeclined) as info:
        gateway.cancel(intent.id)
    assert info.value.code == "cannot_cancel"
    with pytest.raises(PaymentDeclined) as info:
        gateway.expire(intent.id)
    assert info.value.code == "cannot_expire"
    assert gateway.retrieve(intent.id).status == "succeeded"


def test_expire_a_pending_payment(midtrans, gateway, new_intent, notification_receiver):
    intent = new_intent(amount=20_000)
    simulate(midtrans, intent.id, transaction_status="pending", payment_type="qris")
    expired = gateway.expire(intent.id)
    assert (expired.status, expired.provider_status) == ("canceled", "expire")
    assert expired.raw["status_code"] == "407"
    assert "Batas waktu" in expired.last_error
    body = notification_receiver.wait_for(
        lambda n: n["order_id"] == intent.id and n["transaction_status"] == "expire")
    event = gateway.parse_notification(body)
    assert event.type == "payment_failed" and event.id.endswith(":expire")


def test_refund_qris(midtrans, gateway, new_intent, notification_receiver):
    intent = new_intent(amount=150_000)
    simulate(midtrans, intent.id, transaction_status="settlement", payment_type="qris")
    first = gateway.refund(intent.id, 50_000, f"refund-{intent.id}-1", reason="Stok habis")
    assert first
    assert gateway.refund(intent.id, 50_000, f"refund-{intent.id}-1") == first  # same key
    partly = gateway.retrieve(intent.id)
    assert (partly.status, partly.provider_status) == ("partially_refunded", "partial_refund")
    assert partly.raw["refund_amount"] == "50000.00"
    assert partly.raw["refunds"][0]["reason"] == "Stok habis"
    second = gateway.refund(intent.id, 100_000, f"refund-{intent.id}-2")
    assert second != first
    assert gateway.retrieve(intent.id).status == "refunded"
    notification_receiver.wait_for(
        lambda n: n["order_id"] == intent.id and n["transaction_status"] == "refund")
    with pytest.raises(PaymentDeclined) as info:  # nothing left to give back
        gateway.refund(intent.id, 1, f"refund-{intent.id}-3")
    assert info.value.code == "refund_refused"


def test_refund_of_a_virtual_account_payment_is_refused_clearly(midtrans, gateway, new_intent):
    intent = new_intent()
    simulate(midtrans, intent.id, transaction_status="settlement", payment_type="bank_transfer")
    status, body = fake_call(midtrans, "POST", f"/v2/{intent.id}/refund",
                             {"refund_key": "direct", "amount": 1000})
    assert body["status_code"] == "412" and "bank_transfer" in body["status_message"]
    with pytest.raises(RefundNotSupported) as info:
        gateway.refund(intent.id, 150_000, f"refund-{intent.id}-all")
    assert info.value.payment_type == "bank_transfer"
    assert info.value.code == "refund_not_supported"
    assert "transfer bank" in info.value.message and "virtual account" in info.value.message
    assert gateway.retrieve(intent.id).status == "succeeded"  # nothing changed


def test_core_api_answers_like_midtrans(midtrans, new_intent):
    intent = new_intent()
    status, body = fake_call(midtrans, "GET", f"/v2/{intent.id}/status")
    assert (status, body["status_code"], body["status_message"]) == (
        404, "404", "Transaction doesn't exist.")
    status, body = fake_call(midtrans, "GET", f"/v2/{intent.id}/status", server_key="wrong")
    assert (status, body["status_code"]) == (401, "401")
    status, body = fake_call(midtrans, "POST", f"/v2/{intent.id}/cancel")
    assert body["status_code"] == "404"


def test_snap_refuses_a_duplicate_order_id_and_the_gateway_moves_on(
        midtrans, gateway, notification_receiver):
    number = order_number()
    first = gateway.create_intent(amount=10_000, order_number=number, attempt=1)
    status, body = fake_call(midtrans, "POST", "/snap/v1/transactions", {
        "transaction_details": {"order_id": first.id, "gross_amount": 10000}})
    assert status == 400
    assert body == {"error_messages": ["transaction_details.order_id has already been taken"]}
    # the same attempt again (its first answer was lost): a fresh order_id, not an error
    again = gateway.create_intent(amount=10_000, order_number=number, attempt=1)
    assert again.id == f"{number}-p1-r1" and again.client_secret != first.client_secret
    assert again.order_number == number


def test_snap_validation_errors(midtrans, gateway):
    with pytest.raises(GatewayUnavailable, match="sum of item_details"):
        gateway.create_intent(amount=10_000, order_number=order_number(), attempt=1,
                              items=[{"id": "a", "name": "A", "price": 3000, "quantity": 3}])
    status, body = fake_call(midtrans, "POST", "/snap/v1/transactions", {
        "transaction_details": {"order_id": "x", "gross_amount": 10000}}, server_key="wrong")
    assert status == 401 and body["error_messages"]


def test_wrong_server_key_is_a_gateway_failure(app, midtrans):
    app.config["MIDTRANS_SERVER_KEY"] = "SB-Mid-server-wrong"
    try:
        with pytest.raises(GatewayUnavailable, match="401"):
            get_gateway("midtrans").create_intent(amount=10_000, order_number=order_number(),
                                                  attempt=1)
    finally:
        app.config["MIDTRANS_SERVER_KEY"] = KEY


def test_gateway_down_fails_fast(app):
    gateway = get_gateway("midtrans")  # TestingConfig: a closed port
    started = time.monotonic()
    with pytest.raises(GatewayUnavailable):
        gateway.create_intent(amount=10_000, order_number=order_number(), attempt=1)
    with pytest.raises(GatewayUnavailable):
        gateway.retrieve("EB-NOPE-p1")
    with pytest.raises(GatewayUnavailable):
        gateway.refund("EB-NOPE-p1", 1000, "k")
    assert time.monotonic() - started < 3


class _SlowHandler(BaseHTTPRequestHandler):
    """Answers the head at once, then drips the body for far longer than any deadline."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "4000")
        self.end_headers()
        try:
            for _ in range(40):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    do_POST = do_GET

    def log_message(self, *args):
        pass


def test_a_slow_midtrans_hits_the_deadline(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    app.config.update(MIDTRANS_API_BASE=base, MIDTRANS_TIMEOUT_SECONDS=1)
    try:
        started = time.monotonic()
        with pytest.raises(GatewayUnavailable):
            get_gateway("midtrans").retrieve("EB-SLOW-p1")
        assert time.monotonic() - started < 2.5
    finally:
        app.config.update(MIDTRANS_API_BASE=TestingConfig.MIDTRANS_API_BASE,
                          MIDTRANS_TIMEOUT_SECONDS=TestingConfig.MIDTRANS_TIMEOUT_SECONDS)
        server.shutdown()
        server.server_close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_form(url, fields):
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(),
                                     method="POST")
    try:
        opener.open(request, timeout=15)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Location"]
    raise AssertionError("expected a redirect")


def test_hosted_page_pays_and_returns_to_the_finish_url(
        midtrans, gateway, new_intent, notification_receiver):
    intent = new_intent(amount=150_000)
    with urllib.request.urlopen(intent.redirect_url, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        page = response.read().decode()
    assert '<html lang="id">' in page and "Pilih cara bayar" in page
    for label in ("QRIS", "BCA VA", "GoPay", "Biarkan kedaluwarsa", "Rp150.000", intent.id):
        assert label in page
    assert "<script" not in page and "src=" not in page and "<link" not in page

    status, location = _post_form(intent.redirect_url, {"action": "choose", "method": "bca_va"})
    assert status == 303 and location.endswith(intent.client_secret)
    with urllib.request.urlopen(intent.redirect_url, timeout=10) as response:
        page = response.read().decode()
    pending = gateway.retrieve(intent.id)
    assert pending.status == "requires_action"
    assert pending.raw["va_numbers"][0]["va_number"] in page and "Virtual Account BCA" in page
    assert json.loads(notification_receiver.wait_for(
        lambda n: n["order_id"] == intent.id))["transaction_status"] == "pending"

    status, location = _post_form(intent.redirect_url, {"action": "pay"})
    assert status == 303
    target = urllib.parse.urlsplit(location)
    assert location.startswith("http://127.0.0.1:5000/orders/EB-X/kembali?")
    assert urllib.parse.parse_qs(target.query) == {
        "via": ["snap"], "order_id": [intent.id], "status_code": ["200"],
        "transaction_status": ["settlement"]}
    # the notification was sent before the browser was sent back
    body = notification_receiver.wait_for(
        lambda n: n["order_id"] == intent.id and n["transaction_status"] == "settlement",
        timeout=0.1)
    event = gateway.parse_notification(body)
    assert (event.type, event.intent.amount, event.intent.payment_type) == (
        "payment_succeeded", 150_000, "bank_transfer")


def test_hosted_page_let_it_expire(midtrans, gateway, new_intent, notification_receiver):
    intent = new_intent(error_url="http://127.0.0.1:5000/orders/EB-X/gagal")
    _post_form(intent.redirect_url, {"action": "choose", "method": "qris"})
    status, location = _post_form(intent.redirect_url, {"action": "expire"})
    assert status == 303
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert location.startswith("http://127.0.0.1:5000/orders/EB-X/gagal?")
    assert query["transaction_status"] == ["expire"] and query["status_code"] == ["407"]
    event = gateway.parse_notification(notification_receiver.wait_for(
        lambda n: n["order_id"] == intent.id and n["transaction_status"] == "expire",
        timeout=0.1))
    assert event.type == "payment_failed"


def test_the_expiry_clock_closes_an_unpaid_page(midtrans):
    order_id = order_number() + "-p1"
    start = (datetime.now(UTC) + timedelta(hours=7) - timedelta(minutes=2)).strftime(
        "%Y-%m-%d %H:%M:%S +0700")
    status, body = fake_call(midtrans, "POST", "/snap/v1/transactions", {
        "transaction_details": {"order_id": order_id, "gross_amount": 10000},
        "expiry": {"start_time": start, "unit": "minute", "duration": 1}})
    assert status == 201
    deadline = time.monotonic() + 5
    while record(midtrans, order_id)["status"] != "page_expired":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    with urllib.request.urlopen(body["redirect_url"], timeout=10) as response:
        assert "Waktu pembayaran habis" in response.read().decode()

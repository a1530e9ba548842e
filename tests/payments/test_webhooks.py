"""POST /payments/stripe/webhook: signed events from Stripe (here: signed by the test with the
real library's algorithm, and once delivered for real by localstripe)."""

import time
import uuid

import pytest
from sqlalchemy import func, select

from shop.mail.models import OutboxMessage
from shop.orders.models import Order
from shop.payments.models import Payment, PaymentEvent, Refund
from shop.payments.services import start_payment
from tests.payments import event_json, pay_at_stripe, signed, stripe_client, wait_for

URL = "/payments/stripe/webhook"


def count(db_session, model):
    return db_session.scalar(select(func.count(model.id)))


def mails(db_session):
    return db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.fixture
def pending(app, localstripe, gen_facility, gen_product, gen_order):
    """An order with its PaymentIntent created at localstripe; returns (order, payment, pi)."""
    facility = gen_facility(email="lapas@x.test")
    order, _ = gen_order({gen_product(facility=facility, price=30_000, stock=5): 2})
    payment = start_payment(order)
    pi = stripe_client(app).v1.payment_intents.retrieve(payment.intent_id).to_dict()
    return order, payment, pi


def as_event(pi, event_type="payment_intent.succeeded", event_id=None, **changes):
    intent = dict(pi)
    if event_type == "payment_intent.succeeded":
        intent.update(status="succeeded", amount_received=intent["amount"])
    elif event_type == "payment_intent.payment_failed":
        intent.update(status="requires_payment_method", last_payment_error={
            "type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
            "message": "Your card has insufficient funds."})
    intent.update(changes)
    return event_json(event_id or f"evt_{uuid.uuid4().hex[:24]}", event_type, intent)


def post(client, app, payload, signature=None):
    if signature is None:
        signature = signed(payload, app.config["STRIPE_WEBHOOK_SECRET"])
    return client.post(URL, data=payload, content_type="application/json",
                       headers={"Stripe-Signature": signature})


def assert_untouched(db_session, order, payment_status="requires_payment_method"):
    db_session.expire_all()
    assert order.status == "pending_payment"
    assert order.paid_at is None
    assert [fo.status for fo in order.facility_orders] == ["awaiting_payment"]
    assert db_session.scalar(select(Payment.status).where(Payment.order_id == order.id)) == (
        payment_status)
    assert mails(db_session) == []


@pytest.mark.parametrize("how", ["wrong_secret", "tampered_body", "no_header", "garbage_header",
                                 "too_old"])
def test_bad_signature_is_400_and_changes_nothing(app, client, db_session, pending, how):
    order, _, pi = pending
    payload = as_event(pi)
    secret = app.config["STRIPE_WEBHOOK_SECRET"]
    if how == "wrong_secret":
        response = post(client, app, payload, signed(payload, "whsec_someone_else"))
    elif how == "tampered_body":
        signature = signed(payload, secret)
        response = post(client, app, payload.replace('"idr"', '"usd"'), signature)
    elif how == "no_header":
        response = client.post(URL, data=payload, content_type="application/json")
    elif how == "garbage_header":
        response = post(client, app, payload, "t=abc,v1=zzz")
    else:  # a replayed event, signed ten minutes ago
        response = post(client, app, payload, signed(payload, secret, int(time.time()) - 600))

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_signature"
    assert count(db_session, PaymentEvent) == 0
    assert_untouched(db_session, order)


def test_succeeded_event_marks_the_order_paid(app, client, db_session, pending):
    order, payment, pi = pending
    response = post(client, app, as_event(pi, event_id="evt_paid_once"))
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "paid"

    db_session.expire_all()
    assert order.status == "paid"
    assert order.paid_at is not None
    assert [fo.status for fo in order.facility_orders] == ["new"]
    assert payment.status == "succeeded"
    event = db_session.scalar(select(PaymentEvent))
    assert (event.event_id, event.event_type, event.intent_id, event.outcome) == (
        "evt_paid_once", "payment_succeeded", payment.intent_id, "paid")
    assert sorted(m.to_address for m in mails(db_session)) == ["budi@example.com",
                                                               "lapas@x.test"]


def test_the_same_event_five_times_is_processed_once(app, client, db_session, pending):
    order, _, pi = pending
    payload = as_event(pi, event_id="evt_five_times")
    outcomes = []
    for _ in range(5):
        response = post(client, app, payload)
        assert response.status_code == 200
        outcomes.append(response.get_json()["outcome"])
    assert outcomes == ["paid"] + ["duplicate"] * 4

    db_session.expire_all()
    assert order.status == "paid"
    assert count(db_session, PaymentEvent) == 1
    assert len(mails(db_session)) == 2  # one customer email, one facility email


def test_a_second_succeeded_event_for_a_paid_order_changes_nothing(
    app, client, db_session, pending
):
    order, _, pi = pending
    assert post(client, app, as_event(pi)).get_json()["outcome"] == "paid"
    db_session.expire_all()
    paid_at = order.paid_at
    response = post(client, app, as_event(pi))  # another event id, same news
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "already_paid"
    db_session.expire_all()
    assert order.status == "paid" and order.paid_at == paid_at
    assert count(db_session, PaymentEvent) == 2
    assert len(mails(db_session)) == 2


def test_failed_event_after_succeeded_leaves_order_and_payment_paid(
    app, client, db_session, pending
):
    order, payment, pi = pending
    assert post(client, app, as_event(pi)).status_code == 200
    late = post(client, app, as_event(pi, "payment_intent.payment_failed"))
    assert late.status_code == 200

    db_session.expire_all()
    assert order.status == "paid"
    assert [fo.status for fo in order.facility_orders] == ["new"]
    assert len(mails(db_session)) == 2
    assert payment.status == "succeeded"
    assert payment.last_error is None


def test_failed_event_after_succeeded_keeps_the_order_paid(app, client, db_session, pending):
    """The part of the out-of-order case that holds today: the order itself stays paid."""
    order, _, pi = pending
    assert post(client, app, as_event(pi)).status_code == 200
    assert post(client, app, as_event(pi, "payment_intent.payment_failed")).status_code == 200
    db_session.expire_all()
    assert order.status == "paid"
    assert order.paid_at is not None
    assert [fo.status for fo in order.facility_orders] == ["new"]
    assert len(mails(db_session)) == 2
    assert count(db_session, PaymentEvent) == 2


def test_failed_event_records_the_reason_then_a_success_pays(app, client, db_session, pending):
    order, payment, pi = pending
    response = post(client, app, as_event(pi, "payment_intent.payment_failed"))
    assert response.status_code == 200
    db_session.expire_all()
    assert order.status == "pending_payment"
    assert payment.status == "failed"
    assert payment.last_error == "Saldo kartu tidak cukup."

    assert post(client, app, as_event(pi)).get_json()["outcome"] == "paid"
    db_session.expire_all()
    assert order.status == "paid"
    assert payment.status == "succeeded"


@pytest.mark.parametrize("change", [
    {"amount_delta": 100},       # one rupiah more than the order
    {"amount_delta": -500_000},  # five thousand rupiah less
    {"currency": "usd"},
])
def test_amount_or_currency_mismatch_is_not_paid(app, client, db_session, pending, change):
    order, payment, pi = pending
    changes = {}
    if "amount_delta" in change:
        changes["amount"] = order.total * 100 + change["amount_delta"]
    else:
        changes["currency"] = change["currency"]
    response = post(client, app, as_event(pi, **changes))
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "amount_mismatch"
    assert_untouched(db_session, order, payment_status="amount_mismatch")
    event = db_session.scalar(select(PaymentEvent))
    assert event.outcome == "amount_mismatch"


def test_event_for_an_unknown_intent_is_acknowledged_and_changes_nothing(
    app, client, db_session, pending
):
    order, _, pi = pending
    stranger = dict(pi, id="pi_not_ours_123", client_secret="pi_not_ours_123_secret_x")
    response = post(client, app, as_event(stranger))
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "unknown_intent"
    assert_untouched(db_session, order)


def test_other_event_types_are_acknowledged_and_ignored(app, client, db_session, pending):
    order, _, pi = pending
    payload = event_json("evt_customer", "customer.created",
                         {"id": "cus_1", "object": "customer", "email": "x@x.test"})
    response = post(client, app, payload)
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "ignored"
    assert_untouched(db_session, order)


def test_real_webhook_from_localstripe_pays_the_order(
    app, db_session, localstripe_webhooks, gen_facility, gen_product, gen_order
):
    facility = gen_facility(email="lapas@x.test")
    order, _ = gen_order({gen_product(facility=facility, price=45_000, stock=3): 1})
    payment = start_payment(order)
    number, intent_id = order.number, payment.intent_id
    db_session.commit()

    pi = pay_at_stripe(app, intent_id)  # the browser's Stripe.js, not the shop
    assert pi.status == "succeeded"

    def paid():
        db_session.rollback()  # end the read transaction: see what the webhook committed
        return db_session.scalar(select(Order.status).where(Order.number == number)) == "paid"

    assert wait_for(paid, timeout=10), "the webhook never marked the order paid"
    event = db_session.scalar(select(PaymentEvent).where(PaymentEvent.intent_id == intent_id))
    assert event.event_type == "payment_succeeded" and event.outcome == "paid"
    assert event.event_id.startswith("evt_")
    assert db_session.scalar(select(Payment.status).where(Payment.intent_id == intent_id)) == (
        "succeeded")
    assert sorted(m.to_address for m in mails(db_session)) == ["budi@example.com",
                                                               "lapas@x.test"]


@pytest.mark.parametrize("payload", [
    '{"id": "evt_no_data", "object": "event", "type": "payment_intent.succeeded"}',
    '{"id": "evt_no_status", "object": "event", "type": "payment_intent.succeeded", '
    '"data": {"object": {"object": "payment_intent", "id": "pi_x"}}}',
    "[]",
])
def test_signed_but_malformed_event_is_a_400(app, client, db_session, pending, payload):
    order, _, _ = pending
    response = post(client, app, payload)
    assert response.status_code == 400
    assert count(db_session, PaymentEvent) == 0
    assert_untouched(db_session, order)


def test_signed_body_that_is_not_json_is_a_400(app, client, db_session, pending):
    order, _, _ = pending
    assert post(client, app, "not json").status_code == 400
    assert_untouched(db_session, order)


def test_an_old_attempt_paid_after_the_order_was_paid_is_not_kept(
    app, client, db_session, localstripe, gen_product, gen_order
):
    order, token = gen_order({gen_product(price=60_000, stock=2): 1})
    client.get(f"/orders/{order.number}?token={token}")
    client.get(f"/orders/{order.number}/pay")
    client.post(f"/orders/{order.number}/pay/test-card", data={"card": "declined"})
    client.get(f"/orders/{order.number}/pay")  # attempt 2, a new intent
    client.post(f"/orders/{order.number}/pay/test-card", data={"card": "success"},
                follow_redirects=True)
    db_session.expire_all()
    assert order.status == "paid"
    first, second = db_session.scalars(
        select(Payment).where(Payment.order_id == order.id).order_by(Payment.attempt)).all()
    assert second.status == "succeeded"

    # The first tab still holds the first intent's client secret. Real Stripe lets a
    # declined intent be confirmed again with another card (localstripe cannot retry a
    # declined intent, so Stripe's event is written here): the customer pays a second time.
    old = stripe_client(app).v1.payment_intents.retrieve(first.intent_id)
    if old.status == "canceled":
        return  # the shop closed the old attempt when it opened a new one: no double charge
    response = post(client, app, as_event(old.to_dict()))
    assert response.status_code == 200
    db_session.expire_all()
    assert order.status == "paid"
    refunded = db_session.scalars(select(Refund).where(Refund.payment_id == first.id)).all()
    assert sum(r.amount for r in refunded) == order.total, (
        f"charged twice, nothing refunded (outcome {response.get_json()['outcome']})")

"""Midtrans notifications end to end: an order paid by Midtrans, fake-midtrans sends the
signed notification, the shop verifies it, re-reads the status from the fake and applies it
once. Forged, replayed, out-of-order, wrong-amount and late notifications."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from shop.catalog.models import Product
from shop.core.time import utcnow
from shop.orders.services import expire_order
from shop.payments.models import PaymentEvent, Refund
from shop.payments.services import current_payment, start_payment
from tests.payments.paying import (
    caught,
    mails_to,
    midtrans_order,
    post_notification,
    settle_at_fake,
    simulate,
)


def test_settlement_pays_the_order_once_and_queues_the_mails(
        client, db_session, midtrans, shop_notified, place_by, goods):
    order, payment = midtrans_order(db_session, place_by, goods)
    bodies = settle_at_fake(midtrans, shop_notified, payment, repeat=5)
    assert len(bodies) == 5  # Midtrans delivered the same notification five times

    answers = [post_notification(client, body) for body in bodies]
    assert [a.status_code for a in answers] == [200] * 5
    assert [a.get_json()["outcome"] for a in answers] == ["paid"] + ["duplicate"] * 4

    db_session.expire_all()
    assert order.status == "paid"
    payment = current_payment(order)
    assert payment.status == "succeeded" and payment.channel == "qris"
    events = db_session.scalars(select(PaymentEvent)).all()
    assert len(events) == 1 and events[0].provider == "midtrans"
    assert events[0].event_id.endswith(":settlement") and events[0].outcome == "paid"
    assert len(mails_to(db_session, "budi@example.com")) == 1
    assert len(mails_to(db_session, "lapas.ternate@x.test")) == 1


def test_bad_signature_is_403_and_changes_nothing(
        client, db_session, midtrans, shop_notified, place_by, goods):
    order, payment = midtrans_order(db_session, place_by, goods)
    forged = settle_at_fake(midtrans, shop_notified, payment, bad_signature=True)[0]

    answer = post_notification(client, forged)
    assert answer.status_code == 403
    assert answer.get_json()["error"]["code"] == "bad_signature"
    assert post_notification(client, b"not json").status_code == 403
    db_session.expire_all()
    assert order.status == "pending_payment"
    assert db_session.scalar(select(func.count(PaymentEvent.id))) == 0
    assert mails_to(db_session, "budi@example.com") == []


def test_a_tampered_amount_in_a_signed_notification_cannot_cheat(
        client, db_session, midtrans, shop_notified, place_by, goods):
    """The shop believes Midtrans' status API, never the notification's own claims."""
    order, payment = midtrans_order(db_session, place_by, goods)
    body = settle_at_fake(midtrans, shop_notified, payment, gross_amount="1.00",
                          sign_tampered=True)[0]
    assert json.loads(body)["gross_amount"] == "1.00"
    assert post_notification(client, body).get_json()["outcome"] == "paid"
    db_session.expire_all()
    assert order.status == "paid" and current_payment(order).status == "succeeded"


def test_expire_after_settlement_leaves_the_order_paid(
        client, db_session, midtrans, shop_notified, place_by, goods):
    order, payment = midtrans_order(db_session, place_by, goods)
    post_notification(client, settle_at_fake(midtrans, shop_notified, payment)[0])
    # An "expire" notification arriving late (out of order): Midtrans' status says settlement.
    simulate(midtrans, payment.intent_id, transaction_status="expire", notify_only=True)
    late = caught(shop_notified, payment.intent_id, "expire")[0]
    answer = post_notification(client, late)
    assert answer.status_code == 200 and answer.get_json()["outcome"] == "duplicate"
    db_session.expire_all()
    assert order.status == "paid" and current_payment(order).status == "succeeded"


def test_amount_mismatch_is_not_paid(client, db_session, midtrans, shop_notified, place_by,
                                     goods, monkeypatch):
    from shop.payments.midtrans_gateway import MidtransGateway

    create = MidtransGateway.create_intent

    def short_by_5000(self, *, amount, **kwargs):  # Midtrans collects less than the total
        return create(self, amount=amount - 5_000, **kwargs)

    monkeypatch.setattr(MidtransGateway, "create_intent", short_by_5000)
    order, payment = midtrans_order(db_session, place_by, goods)
    answer = post_notification(client, settle_at_fake(midtrans, shop_notified, payment)[0])
    assert answer.get_json()["outcome"] == "amount_mismatch"
    db_session.expire_all()
    assert order.status == "pending_payment"
    assert current_payment(order).status == "amount_mismatch"


def test_expired_or_denied_attempt_fails_and_another_method_can_be_chosen(
        app, client, db_session, midtrans, shop_notified, place_by, goods):
    order, payment = midtrans_order(db_session, place_by, goods)
    simulate(midtrans, payment.intent_id, transaction_status="pending", payment_type="gopay")
    waiting = caught(shop_notified, payment.intent_id, "pending")[0]
    assert post_notification(client, waiting).get_json()["outcome"] == "ignored"
    simulate(midtrans, payment.intent_id, transaction_status="deny")
    denied = caught(shop_notified, payment.intent_id, "deny")[0]
    assert post_notification(client, denied).get_json()["outcome"] == "not_succeeded"
    db_session.expire_all()
    assert order.status == "pending_payment"
    assert current_payment(order).status == "failed"
    assert "ditolak" in current_payment(order).last_error

    with app.test_request_context():
        retry = start_payment(order, "bank_transfer")
    assert retry.attempt == 2 and retry.status == "awaiting_transfer"


def test_midtrans_unreachable_on_the_status_reread_is_503(
        app, client, db_session, midtrans, shop_notified, place_by, goods):
    order, payment = midtrans_order(db_session, place_by, goods)
    body = settle_at_fake(midtrans, shop_notified, payment)[0]
    app.config["MIDTRANS_API_BASE"] = "http://127.0.0.1:9"  # closed port
    answer = post_notification(client, body)
    assert answer.status_code == 503
    app.config["MIDTRANS_API_BASE"] = midtrans
    assert post_notification(client, body).get_json()["outcome"] == "paid"  # Midtrans retries


def _expire(db_session, order):
    order.expires_at = utcnow() - timedelta(minutes=1)
    expire_order(order)  # stock back; the Snap page stays payable at "Midtrans"
    db_session.commit()
    assert order.status == "expired"


def test_late_settlement_after_expiry_retakes_the_stock(
        client, db_session, midtrans, shop_notified, place_by, goods):
    order, payment = midtrans_order(db_session, place_by, goods, quantity=2)
    _expire(db_session, order)
    assert db_session.get(Product, goods.roa.id).stock == 10
    answer = post_notification(client, settle_at_fake(midtrans, shop_notified, payment)[0])
    assert answer.get_json()["outcome"] == "paid"
    db_session.expire_all()
    assert order.status == "paid"
    assert db_session.get(Product, goods.roa.id).stock == 8


def test_late_settlement_without_stock_is_refunded_through_midtrans(
        client, db_session, midtrans, shop_notified, place_by, goods):
    order, payment = midtrans_order(db_session, place_by, goods, quantity=2)
    _expire(db_session, order)
    goods.roa.stock = 1  # sold to someone else meanwhile
    db_session.commit()
    answer = post_notification(client, settle_at_fake(midtrans, shop_notified, payment)[0])
    assert answer.get_json()["outcome"] == "needs_refund"
    db_session.expire_all()
    assert order.status == "expired"
    refund = db_session.scalar(select(Refund))
    assert refund.amount == order.total and refund.status == "succeeded"
    assert refund.provider_refund_id
    assert any("dikembalikan" in m.subject for m in mails_to(db_session, "budi@example.com"))

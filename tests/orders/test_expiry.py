"""Unpaid orders past their payment window give their stock back; a payment that arrives
afterwards takes the stock again or is refunded in full."""

from datetime import timedelta

from sqlalchemy import select

from shop.catalog.models import Product
from shop.core.time import utcnow
from shop.mail.models import OutboxMessage
from shop.orders.models import FacilityOrderEvent, Order
from shop.payments.gateway import Intent
from shop.payments.models import Payment, Refund
from shop.payments.services import settle, start_payment
from tests.factories import checkout_body
from tests.payments import pay_at_stripe, stripe_client


def stock_of(db_session, product):
    return db_session.scalar(select(Product.stock).where(Product.id == product.id))


def overdue(db_session, order):
    """Move time: the order's payment window ended a minute ago."""
    order.expires_at = utcnow() - timedelta(minutes=1)
    db_session.commit()


def mails(db_session):
    return db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def expire(runner, expected):
    result = runner.invoke(args=["orders", "expire"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Pesanan kedaluwarsa: {expected}"


def succeeded_intent(payment, order, amount=None):
    return Intent(id=payment.intent_id, status="succeeded", amount=amount or order.total,
                  currency="idr", client_secret="x")


def add_payment(db_session, order, intent_id="pi_test_after_expiry"):
    """A payment row as start_payment writes it (for tests without a gateway)."""
    payment = Payment(order_id=order.id, provider="stripe", attempt=1, intent_id=intent_id,
                      client_secret=f"{intent_id}_secret", amount=order.total,
                      status="requires_payment_method")
    db_session.add(payment)
    db_session.commit()
    return payment


def test_expire_command_gives_the_stock_back_once(
    runner, db_session, gen_facility, gen_product, gen_order
):
    first, second = gen_facility(), gen_facility()
    pen = gen_product(facility=first, stock=10, price=15_000)
    bag = gen_product(facility=second, stock=4, price=40_000)
    order, _ = gen_order({pen: 3, bag: 1})
    later, _ = gen_order({pen: 2})  # still inside its window
    assert stock_of(db_session, pen) == 5 and stock_of(db_session, bag) == 3

    overdue(db_session, order)
    expire(runner, 1)

    db_session.expire_all()
    assert order.status == "expired"
    assert order.paid_at is None
    assert [fo.status for fo in order.facility_orders] == ["cancelled", "cancelled"]
    assert stock_of(db_session, pen) == 8  # 10 - 2 still held by the later order
    assert stock_of(db_session, bag) == 4
    assert later.status == "pending_payment"
    events = db_session.scalars(
        select(FacilityOrderEvent).where(FacilityOrderEvent.to_status == "cancelled")).all()
    assert len(events) == 2
    assert {(e.from_status, e.actor) for e in events} == {("awaiting_payment", "sistem")}
    assert mails(db_session) == []

    expire(runner, 0)  # nothing left to expire; stock not given back twice
    assert stock_of(db_session, pen) == 8 and stock_of(db_session, bag) == 4


def test_expiry_cancels_the_payment_intent_at_stripe(
    app, runner, db_session, localstripe, gen_product, gen_order
):
    product = gen_product(stock=5, price=20_000)
    order, _ = gen_order({product: 2})
    payment = start_payment(order)
    overdue(db_session, order)

    expire(runner, 1)
    db_session.expire_all()
    assert order.status == "expired"
    assert payment.status == "canceled"
    assert stripe_client(app).v1.payment_intents.retrieve(payment.intent_id).status == "canceled"
    assert stock_of(db_session, product) == 5


def test_viewing_an_overdue_order_expires_it(client, db_session, gen_product, gen_order):
    product = gen_product(stock=6)
    order, token = gen_order({product: 2})
    overdue(db_session, order)

    page = client.get(f"/orders/{order.number}?token={token}")
    assert page.status_code == 200
    assert "Kedaluwarsa" in page.get_data(as_text=True)
    db_session.expire_all()
    assert order.status == "expired"
    assert [fo.status for fo in order.facility_orders] == ["cancelled"]
    assert stock_of(db_session, product) == 6
    # the pay page no longer offers payment
    pay = client.get(f"/orders/{order.number}/pay")
    assert pay.status_code == 302 and pay.headers["Location"].endswith(f"/orders/{order.number}")


def test_the_api_expires_an_overdue_order_it_is_asked_about(
    client, db_session, gen_product, gen_order
):
    product = gen_product(stock=6)
    order, token = gen_order({product: 1})
    overdue(db_session, order)
    body = client.get(f"/api/v1/orders/{order.number}",
                      headers={"X-Order-Token": token}).get_json()
    assert body["status"] == "expired"
    assert [fo["status"] for fo in body["facility_orders"]] == ["cancelled"]
    assert stock_of(db_session, product) == 6


def test_payment_after_expiry_takes_the_stock_again_when_it_is_there(
    app, runner, db_session, gen_facility, gen_product, gen_order
):
    facility = gen_facility(email="lapas@x.test")
    product = gen_product(facility=facility, stock=5, price=20_000)
    order, _ = gen_order({product: 2})
    payment = add_payment(db_session, order)
    overdue(db_session, order)
    expire(runner, 1)
    assert stock_of(db_session, product) == 5

    with app.test_request_context():  # the paid email links to the order page
        assert settle(succeeded_intent(payment, order), "webhook") == "paid"
    db_session.commit()

    db_session.expire_all()
    assert order.status == "paid"
    assert order.paid_at is not None
    assert [fo.status for fo in order.facility_orders] == ["new"]
    assert stock_of(db_session, product) == 3
    assert payment.status == "succeeded"
    assert db_session.scalars(select(Refund)).all() == []
    assert sorted(m.to_address for m in mails(db_session)) == ["budi@example.com",
                                                               "lapas@x.test"]

    # the same news again changes nothing
    assert settle(succeeded_intent(payment, order), "halaman kembali") == "already_paid"
    db_session.commit()
    assert stock_of(db_session, product) == 3
    assert len(mails(db_session)) == 2


def test_payment_after_expiry_with_the_stock_sold_is_refunded_in_full(
    app, client, runner, db_session, localstripe, gen_product, gen_order, monkeypatch
):
    from shop.payments.gateway import GatewayUnavailable
    from shop.payments.stripe_gateway import StripeGateway

    product = gen_product(stock=4, price=35_000)
    order, token = gen_order({product: 2})
    payment = start_payment(order)
    number, intent_id, total = order.number, payment.intent_id, order.total

    overdue(db_session, order)  # the window ends, unpaid; closing the intent fails...
    with monkeypatch.context() as patched:
        def unreachable(self, intent_id):
            raise GatewayUnavailable("Stripe is unreachable")

        patched.setattr(StripeGateway, "cancel", unreachable)
        expire(runner, 1)
    pi = pay_at_stripe(app, intent_id)  # ...so the customer can still pay, late
    assert pi.status == "succeeded"
    product.stock = 0  # and the goods are sold to someone else
    db_session.commit()

    # the customer lands on the return page: the shop asks Stripe and finds the payment
    response = client.get(f"/orders/{number}/return?token={token}")
    assert response.status_code == 302

    db_session.expire_all()
    assert order.status == "expired"
    assert order.paid_at is None
    assert [fo.status for fo in order.facility_orders] == ["cancelled"]
    assert stock_of(db_session, product) == 0
    refund = db_session.scalar(select(Refund))
    assert refund.payment_id == payment.id
    assert refund.amount == total
    assert refund.status == "succeeded"
    assert refund.provider_refund_id
    at_stripe = stripe_client(app).v1.refunds.retrieve(refund.provider_refund_id)
    assert at_stripe.amount == total * 100 and at_stripe.payment_intent == intent_id
    [mail] = mails(db_session)
    assert mail.to_address == "budi@example.com"
    assert "dikembalikan" in mail.subject and number in mail.subject
    assert "Rp70.000" in mail.text_body

    detail = client.get(f"/orders/{number}").get_data(as_text=True)
    assert "Pengembalian dana" in detail and "selesai" in detail

    # the webhook for the same payment arrives later: no second refund, no second email
    with app.test_request_context():
        settle(succeeded_intent(payment, order), "webhook")
    db_session.commit()
    assert len(db_session.scalars(select(Refund)).all()) == 1
    assert len(mails(db_session)) == 1


def test_refund_when_only_part_of_the_stock_is_gone_takes_nothing(
    app, runner, db_session, gen_facility, gen_product, gen_order
):
    """Two products, one sold out meanwhile: the order is refunded and the other product's
    stock is not taken (all or nothing)."""
    kept = gen_product(facility=gen_facility(), stock=5, price=20_000)
    gone = gen_product(facility=gen_facility(), stock=5, price=20_000)
    order, _ = gen_order({kept: 2, gone: 1})
    payment = add_payment(db_session, order)
    overdue(db_session, order)
    expire(runner, 1)
    gone.stock = 0
    db_session.commit()

    with app.test_request_context():
        assert settle(succeeded_intent(payment, order), "webhook") == "needs_refund"
    db_session.commit()

    db_session.expire_all()
    assert order.status == "expired"
    assert [fo.status for fo in order.facility_orders] == ["cancelled", "cancelled"]
    assert stock_of(db_session, kept) == 5
    assert stock_of(db_session, gone) == 0
    refund = db_session.scalar(select(Refund))
    assert (refund.amount, refund.status) == (order.total, "pending")
    assert [m.subject for m in mails(db_session)] == [
        f"Dana pesanan {order.number} dikembalikan"]

    # the gateway is down (nothing listens on STRIPE_API_BASE): the refund waits, not lost
    result = runner.invoke(args=["payments", "retry-refunds"])
    assert result.exit_code == 0, result.output
    assert "Pengembalian dana selesai: 0" in result.output
    db_session.expire_all()
    assert refund.status == "pending"


def test_checkout_survives_the_gateway_being_down_and_expires_cleanly(
    client, runner, db_session, gen_product, gen_rates
):
    """A crash between order and payment: STRIPE_API_BASE points at a closed port."""
    product = gen_product(stock=3, price=25_000)
    cart = client.post("/api/v1/carts").get_json()["token"]
    assert client.put(f"/api/v1/carts/{cart}/lines/{product.slug}",
                      json={"quantity": 2}).status_code == 200

    response = client.post(f"/api/v1/carts/{cart}/checkout",
                           json=checkout_body({product.facility.slug: "pickup"}))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "pending_payment"
    assert body["payment"] is None
    assert body["total"] == 50_000

    order = db_session.scalar(select(Order).where(Order.number == body["number"]))
    assert order.status == "pending_payment"
    assert db_session.scalars(select(Payment)).all() == []
    assert stock_of(db_session, product) == 1

    overdue(db_session, order)
    expire(runner, 1)
    db_session.expire_all()
    assert order.status == "expired"
    assert [fo.status for fo in order.facility_orders] == ["cancelled"]
    assert stock_of(db_session, product) == 3
    got = client.get(f"/api/v1/orders/{body['number']}", headers={"X-Order-Token": body["token"]})
    assert got.get_json()["status"] == "expired"


def test_expiry_asks_the_gateway_first_a_lost_webhook_pays_the_order(
    app, runner, db_session, localstripe, gen_product, gen_order
):
    product = gen_product(stock=5, price=20_000)
    order, _ = gen_order({product: 2})
    payment = start_payment(order)
    assert pay_at_stripe(app, payment.intent_id).status == "succeeded"  # webhook lost
    overdue(db_session, order)

    expire(runner, 0)
    db_session.expire_all()
    assert order.status == "paid" and order.paid_at is not None
    assert payment.status == "succeeded"
    assert [fo.status for fo in order.facility_orders] == ["new"]
    assert stock_of(db_session, product) == 3


def test_payments_reconcile_settles_open_attempts_the_shop_missed(
    app, runner, db_session, localstripe, gen_product, gen_order
):
    product = gen_product(stock=5, price=20_000)
    paid, _ = gen_order({product: 1})
    unpaid, _ = gen_order({product: 1})
    attempt = start_payment(paid)
    start_payment(unpaid)
    pay_at_stripe(app, attempt.intent_id)

    result = runner.invoke(args=["payments", "reconcile"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "open: 1, paid: 1"
    db_session.expire_all()
    assert (paid.status, unpaid.status) == ("paid", "pending_payment")

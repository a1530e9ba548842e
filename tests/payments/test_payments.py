"""Paying an order by card through the real stripe library against localstripe."""

from sqlalchemy import func, select

from shop.mail.models import OutboxMessage
from shop.payments.models import Payment
from shop.payments.services import start_payment
from tests.payments import stripe_client


def outbox(db_session):
    return db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def open_order(client, order, token):
    """The customer's browser opens the order link once; the session then keeps the token."""
    response = client.get(f"/orders/{order.number}?token={token}")
    assert response.status_code == 200


def test_start_payment_creates_an_idr_intent_for_the_total_and_reuses_it(
    app, db_session, localstripe, gen_facility, gen_product, gen_order
):
    product = gen_product(facility=gen_facility(), price=37_500, stock=5)
    order, _ = gen_order({product: 2})
    assert order.total == 75_000

    payment = start_payment(order)
    assert payment.amount == order.total
    assert payment.provider == "stripe" and payment.attempt == 1
    assert payment.intent_id.startswith("pi_")

    pi = stripe_client(app).v1.payment_intents.retrieve(payment.intent_id)
    assert pi.amount == order.total * 100
    assert pi.currency == "idr"
    assert pi.metadata["order_number"] == order.number

    again = start_payment(order)
    assert again.id == payment.id and again.intent_id == payment.intent_id
    assert db_session.scalar(select(func.count(Payment.id))) == 1


def test_pay_with_the_success_card_marks_the_order_paid_and_queues_emails(
    app, client, db_session, localstripe, gen_facility, gen_product, gen_order
):
    ternate = gen_facility(email="lapas-ternate@x.test")
    sanana = gen_facility(email="lapas-sanana@x.test")
    soasio = gen_facility()  # no email: gets none
    products = {gen_product(facility=f, price=20_000, stock=4): 1
                for f in (ternate, sanana, soasio)}
    order, token = gen_order(products)

    open_order(client, order, token)
    page = client.get(f"/orders/{order.number}/pay")
    assert page.status_code == 200
    assert order.number in page.get_data(as_text=True)

    response = client.post(f"/orders/{order.number}/pay/test-card", data={"card": "success"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/orders/{order.number}/return")
    back = client.get(response.headers["Location"])
    assert back.status_code == 302
    assert back.headers["Location"].endswith(f"/orders/{order.number}")

    db_session.expire_all()
    assert order.status == "paid"
    assert order.paid_at is not None
    assert [fo.status for fo in order.facility_orders] == ["new", "new", "new"]
    payment = db_session.scalar(select(Payment).where(Payment.order_id == order.id))
    assert payment.status == "succeeded"

    mails = outbox(db_session)
    to_customer = [m for m in mails if m.to_address == "budi@example.com"]
    assert len(to_customer) == 1
    assert order.number in to_customer[0].subject
    assert sorted(m.to_address for m in mails if m not in to_customer) == [
        "lapas-sanana@x.test", "lapas-ternate@x.test"]
    assert all(m.status == "pending" for m in mails)

    detail = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "Dibayar" in detail

    # paying again is not possible: the pay page sends the customer to the order
    assert client.get(f"/orders/{order.number}/pay").status_code == 302
    assert len(outbox(db_session)) == 3


def test_declined_card_says_why_in_indonesian_then_a_good_card_pays(
    app, client, db_session, localstripe, gen_product, gen_order
):
    product = gen_product(price=50_000, stock=3)
    order, token = gen_order({product: 1})
    open_order(client, order, token)
    client.get(f"/orders/{order.number}/pay")

    response = client.post(f"/orders/{order.number}/pay/test-card", data={"card": "declined"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == f"/orders/{order.number}/pay"
    page = response.get_data(as_text=True)
    # the flash, not the "Kartu ditolak bank" label of the test-card radio button
    assert "Kartu ditolak oleh bank penerbit. Coba kartu lain." in page
    db_session.expire_all()
    assert order.status == "pending_payment"
    assert order.paid_at is None
    assert outbox(db_session) == []

    response = client.post(f"/orders/{order.number}/pay/test-card", data={"card": "success"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == f"/orders/{order.number}"
    db_session.expire_all()
    assert order.status == "paid"
    payments = db_session.scalars(
        select(Payment).where(Payment.order_id == order.id).order_by(Payment.attempt)).all()
    assert [p.attempt for p in payments] == [1, 2]  # a declined attempt is not reused
    assert payments[0].status in ("failed", "canceled")
    assert payments[1].status == "succeeded"
    assert payments[0].last_error and "ditolak" in payments[0].last_error
    assert [m.to_address for m in outbox(db_session)] == ["budi@example.com"]


def test_3d_secure_card_asks_for_authentication_and_leaves_the_order_pending(
    app, client, db_session, localstripe, gen_product, gen_order
):
    product = gen_product(price=25_000, stock=3)
    order, token = gen_order({product: 1})
    open_order(client, order, token)
    client.get(f"/orders/{order.number}/pay")

    response = client.post(f"/orders/{order.number}/pay/test-card", data={"card": "3ds"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/orders/{order.number}/pay?authenticate=1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3-D Secure" in page

    db_session.expire_all()
    assert order.status == "pending_payment"
    payment = db_session.scalar(select(Payment).where(Payment.order_id == order.id))
    assert payment.status == "requires_payment_method"  # not yet synced; nothing paid
    pi = stripe_client(app).v1.payment_intents.retrieve(payment.intent_id)
    assert pi.status == "requires_action"
    assert outbox(db_session) == []


def test_pay_page_without_the_token_is_not_found(client, localstripe, gen_product, gen_order):
    order, _ = gen_order({gen_product(stock=2): 1})
    assert client.get(f"/orders/{order.number}/pay").status_code == 404
    response = client.post(f"/orders/{order.number}/pay/test-card", data={"card": "success"})
    assert response.status_code == 404
    assert order.status == "pending_payment"

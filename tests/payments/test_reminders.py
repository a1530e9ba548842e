"""Bank transfers over their longer window: the reminder mail 6 hours before the deadline (once),
and expiry after BANK_TRANSFER_HOURS that gives the stock back and frees the unique code."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from shop.core.time import to_wit, utcnow
from shop.mail.models import OutboxMessage
from shop.orders.models import Order
from shop.payments.models import Payment, TransferCode
from shop.payments.services import expire_due_orders
from tests.factories import checkout_body


@pytest.fixture
def sambal(gen_facility, gen_product, gen_rates):
    ternate = gen_rates(gen_facility(slug="lpp-ternate", name="LPP Ternate"))
    return gen_product(facility=ternate, name="Sambal Roa", slug="sambal-roa", price=45_000,
                        stock=10)


@pytest.fixture
def in_order_codes(monkeypatch):
    """Codes are handed out from 1 upwards instead of at random, so a test can tell whether a
    code was freed."""
    monkeypatch.setattr("shop.payments.methods.random.randint", lambda low, high: low)
    monkeypatch.setattr("shop.payments.methods.random.shuffle", lambda codes: None)


def transfer_order(client, db_session, quantity=1):
    cart = client.post("/api/v1/carts").get_json()["token"]
    assert client.put(f"/api/v1/carts/{cart}/lines/sambal-roa",
                      json={"quantity": quantity}).status_code == 200
    response = client.post(f"/api/v1/carts/{cart}/checkout", json=checkout_body(
        {"lpp-ternate": "pickup"}, payment_method="bank_transfer"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    order = db_session.scalar(select(Order).where(Order.number == body["number"]))
    return order, body["payment"]


def deadline_in(db_session, order, delta):
    """Move the order's (and its transfer's) deadline to now + delta."""
    when = utcnow() + delta
    db_session.execute(update(Order).where(Order.id == order.id).values(expires_at=when))
    db_session.execute(update(Payment).where(Payment.order_id == order.id)
                       .values(expires_at=when))
    db_session.commit()
    return when


def reminders(db_session):
    return db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.like("Pengingat%")).order_by(OutboxMessage.id)).all()


def test_the_reminder_goes_once_six_hours_before_the_deadline(
    app, client, runner, sambal, db_session
):
    order, payment_json = transfer_order(client, db_session)
    assert app.config["BANK_TRANSFER_REMINDER_HOURS"] == 6
    # just placed: 24 hours to go, no reminder yet
    assert "terkirim: 0" in runner.invoke(args=["payments", "remind-transfers"]).output
    deadline_in(db_session, order, timedelta(hours=6, minutes=5))
    assert "terkirim: 0" in runner.invoke(args=["payments", "remind-transfers"]).output

    deadline = deadline_in(db_session, order, timedelta(hours=5, minutes=55))
    result = runner.invoke(args=["payments", "remind-transfers"])
    assert result.exit_code == 0 and "terkirim: 1" in result.output
    [mail] = reminders(db_session)
    assert mail.to_address == "budi@example.com"
    amount = f"Rp{payment_json['amount_due']:,}".replace(",", ".")
    assert payment_json["amount_due"] == 45_000 + payment_json["unique_code"]
    assert amount in mail.subject and order.number in mail.subject
    for text in (amount, app.config["BANK_NAME"], app.config["BANK_ACCOUNT_NUMBER"],
                 app.config["BANK_ACCOUNT_HOLDER"],
                 to_wit(deadline).strftime("%d-%m-%Y %H:%M") + " WIT",
                 f"/orders/{order.number}"):
        assert text in mail.text_body, text
    assert amount in mail.html_body
    payment = db_session.scalar(select(Payment).where(Payment.order_id == order.id))
    assert payment.reminded_at is not None

    # not again, however often the command runs
    assert "terkirim: 0" in runner.invoke(args=["payments", "remind-transfers"]).output
    assert len(reminders(db_session)) == 1


def test_no_reminder_for_a_closed_transfer_or_a_passed_deadline(
    client, runner, sambal, db_session
):
    paid, _ = transfer_order(client, db_session)
    deadline_in(db_session, paid, timedelta(hours=2))
    db_session.execute(update(Order).where(Order.id == paid.id)
                       .values(status="paid", paid_at=utcnow()))
    db_session.commit()
    late, _ = transfer_order(client, db_session)
    deadline_in(db_session, late, -timedelta(minutes=1))
    assert "terkirim: 0" in runner.invoke(args=["payments", "remind-transfers"]).output
    assert reminders(db_session) == []


def test_expiry_after_the_transfer_window_gives_the_stock_back_and_frees_the_code(
    app, client, runner, sambal, db_session, in_order_codes
):
    first, first_payment = transfer_order(client, db_session, quantity=2)
    assert first_payment["unique_code"] == 1
    window = first.expires_at - first.created_at
    assert abs(window - timedelta(hours=app.config["BANK_TRANSFER_HOURS"])) < timedelta(seconds=5)
    held, held_payment = transfer_order(client, db_session, quantity=2)
    assert held_payment["unique_code"] == 2  # 1 is taken while the first transfer is open
    assert sambal.stock == 6

    # an hour before its deadline nothing expires
    assert expire_due_orders(now=first.expires_at - timedelta(hours=1)) == []
    deadline_in(db_session, first, -timedelta(minutes=1))
    result = runner.invoke(args=["orders", "expire"])
    assert result.exit_code == 0 and "Pesanan kedaluwarsa: 1" in result.output
    db_session.expire_all()
    assert first.status == "expired" and sambal.stock == 8
    payment = db_session.scalar(select(Payment).where(Payment.order_id == first.id))
    assert payment.status == "canceled"
    assert db_session.scalar(select(func.count()).select_from(TransferCode)) == 1  # the other

    again, again_payment = transfer_order(client, db_session, quantity=2)
    assert again_payment["unique_code"] == 1  # the expired order's code is free again
    assert again_payment["amount_due"] == first_payment["amount_due"]


def test_an_expired_transfer_looked_at_frees_its_code_too(
    client, sambal, db_session, in_order_codes
):
    order, _ = transfer_order(client, db_session)
    deadline_in(db_session, order, -timedelta(minutes=1))
    from shop.payments.services import expire_and_cancel

    assert expire_and_cancel(order)
    assert db_session.scalar(select(func.count()).select_from(TransferCode)) == 0
    assert transfer_order(client, db_session)[1]["unique_code"] == 1

"""Helpers of the customer-side payment tests: a shop to buy from, orders placed by a chosen
method, Midtrans notifications caught from fake-midtrans and replayed to the shop."""

import json
from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import select

from shop.mail.models import OutboxMessage
from shop.payments.services import start_payment
from tests.factories import ADDRESS, CONTACT
from tests.payments.midtrans_fake import fake_call

NOTIFY = "/payments/midtrans/notification"


@pytest.fixture
def goods(gen_facility, gen_category, gen_product, gen_rates):
    ternate = gen_rates(gen_facility(
        slug="lapas-ternate", name="Lapas Kelas IIA Ternate", town="Jambula",
        regency="Kota Ternate", address="Jl. Raya Jambula, Kota Ternate 97751",
        opening_hours="Senin–Jumat 08.00–15.00 WIT", email="lapas.ternate@x.test"))
    cat = gen_category("Makanan", slug="makanan")
    roa = gen_product(facility=ternate, category=cat, slug="sambal-roa", name="Sambal Roa",
                       price=45_000, stock=10, weight_grams=250)
    return SimpleNamespace(ternate=ternate, roa=roa)


@pytest.fixture
def place_by(app, gen_rates):
    """place_by(method, {product: qty}, delivery=None) -> (order, token), through the services."""
    from shop.cart.services import create_cart, load_cart, set_quantity
    from shop.checkout.addresses import validate_details
    from shop.checkout.services import place_order
    from shop.extensions import db

    def do(method, items, delivery=None):
        cart = create_cart(None)
        for product, quantity in items.items():
            set_quantity(cart, product.slug, quantity)
        db.session.commit()
        details, errors = validate_details(CONTACT, ADDRESS)
        assert not errors
        delivery = delivery or {p.facility.slug: "pickup" for p in items}
        return place_order(load_cart(cart.id), details, delivery, payment_method=method)

    return do


@pytest.fixture
def shop_notified(app, midtrans, notification_receiver):
    """fake-midtrans sends this test's notifications to the receiver (the shop's
    SHOP_BASE_URL points there), so a test replays them to the shop as often as it likes."""
    before = app.config["SHOP_BASE_URL"]
    app.config["SHOP_BASE_URL"] = notification_receiver.url.rsplit(NOTIFY, 1)[0]
    yield notification_receiver
    app.config["SHOP_BASE_URL"] = before


def simulate(base, order_id, **params):
    status, body = fake_call(base, "POST", f"/_simulate/{order_id}", params)
    assert status == 200, body
    return body


def fake_record(base, order_id):
    status, body = fake_call(base, "GET", f"/_transactions/{order_id}")
    assert status == 200, body
    return body


def caught(receiver, order_id, status):
    """Every notification body the receiver caught for order_id with that status."""
    return [b for b in receiver.bodies(order_id)
            if json.loads(b)["transaction_status"] == status]


def post_notification(client, body):
    return client.post(NOTIFY, data=body, content_type="application/json")


def mails_to(db_session, address):
    return db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == address)).all()


def midtrans_order(db_session, place_by, goods, quantity=2):
    """An order paid through Midtrans with its Snap transaction started."""
    order, token = place_by("midtrans", {goods.roa: quantity})
    with current_app.test_request_context():  # the Snap transaction carries the shop's URLs
        payment = start_payment(order)
    assert payment.provider == "midtrans" and payment.redirect_url
    return order, payment


def settle_at_fake(midtrans, receiver, payment, **params):
    """fake-midtrans settles the payment; returns the notification bodies it sent."""
    simulate(midtrans, payment.intent_id, transaction_status="settlement",
             payment_type=params.pop("payment_type", "qris"), **params)
    return caught(receiver, payment.intent_id, "settlement")

"""Fixtures and helpers for the Kanwil's payments desk tests: the facility desk's people
(admin, customer, staff, partner), orders paid by bank transfer, the outbox."""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.mail.models import OutboxMessage
from tests.factories import ADDRESS, CONTACT, bearer, login, raw_api_token  # noqa: F401 - used by the tests through this module


@pytest.fixture
def place_transfer(app, gen_rates):
    """Place an order for {product: qty} paid by bank transfer and start its transfer attempt;
    returns SimpleNamespace(order, token, payment)."""
    from shop.cart.services import create_cart, load_cart, set_quantity
    from shop.checkout.addresses import validate_details
    from shop.checkout.services import place_order
    from shop.payments.services import start_payment

    def do(items, delivery=None, method="bank_transfer"):
        cart = create_cart(None)
        for product, quantity in items.items():
            set_quantity(cart, product.slug, quantity)
        db.session.commit()
        cart = load_cart(cart.id)
        delivery = delivery or {p.facility.slug: "pickup" for p in items}
        details, errors = validate_details(CONTACT, ADDRESS)
        assert not errors, errors
        order, token = place_order(cart, details, delivery, payment_method=method)
        payment = start_payment(order)
        return SimpleNamespace(order=order, token=token, payment=payment)

    return do


@pytest.fixture
def transfer(place_transfer, product_a, product_b, facility_a, facility_b):
    """An open two-parcel transfer order: 2 chairs of A (courier) and 1 bag of B (pickup)."""
    return place_transfer({product_a: 2, product_b: 1},
                          {facility_a.slug: "courier", facility_b.slug: "pickup"})


def outbox(to=None, subject_part=None):
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [m for m in rows if (to is None or m.to_address == to)
            and (subject_part is None or subject_part in m.subject)]


def link_in(message, path_prefix):
    """The first link in the mail's text whose path starts with path_prefix."""
    match = re.search(r"https?://[^\s]+?(" + re.escape(path_prefix) + r"[^\s]*)",
                      message.text_body)
    assert match, message.text_body
    return match.group(1)


"""Bank transfers under concurrency, over real HTTP (each request its own session and database
connection): two admins confirming the same transfer at once make one confirmation; 50
checkouts at once get 50 distinct unique codes. The races need PostgreSQL (SQLite serialises
writers); the two-admins case also runs on SQLite as a smoke test."""

from collections import Counter

import pytest
from sqlalchemy import func, select

from shop.core.audit import AuditEntry
from shop.extensions import db
from shop.orders.models import Order
from shop.payments.models import Payment, TransferCode
from tests.factories import checkout_body
from tests.load import test_concurrency as races
from tests.load.test_concurrency import (
    call,
    needs_postgres,
    new_cart,
    put_line,
    run_together,
)
from tests.payments.kanwil import bearer, outbox, raw_api_token

stall = races.stall


@pytest.fixture
def second_admin(app):
    from shop.accounts.provisioning import create_admin

    return create_admin("kanwil.dua@example.org", "rahasia-panjang-1", "Admin Dua")


@pytest.mark.parametrize("interleave", [
    pytest.param(True, marks=[pytest.mark.postgres, needs_postgres], id="stalled-updates"),
    pytest.param(False, id="together"),
])
def test_two_admins_confirming_at_once_make_one_confirmation(
        live_server, admin, second_admin, transfer, stall, interleave):
    if interleave:  # each request pauses after its UPDATE of the payment: they overlap
        stall("UPDATE payment SET")
    tokens = [raw_api_token(admin), raw_api_token(second_admin)]
    url = f"{live_server}/api/v1/admin/bank-transfers/{transfer.order.number}/confirm"
    due = transfer.payment.amount_due

    def confirm(i, barrier):
        barrier.wait()
        return call("POST", url, {"amount": due, "reference": f"BRI-{i}"},
                    headers=bearer(tokens[i]))

    answers = run_together(2, confirm)
    assert [status for status, _ in answers] == [200, 200], answers
    assert {body["status"] for _, body in answers} == {"paid"}
    db.session.expire_all()
    assert db.session.get(Order, transfer.order.id).status == "paid"
    confirmations = db.session.scalars(select(AuditEntry).where(
        AuditEntry.kind == "payment.transfer_confirmed")).all()
    assert len(confirmations) == 1
    payment = db.session.get(Payment, transfer.payment.id)
    assert payment.confirmed_by == confirmations[0].actor_label
    assert payment.reference in ("BRI-0", "BRI-1")
    assert len(outbox(transfer.order.email, "sudah dibayar")) == 1
    parcel_events = [e.to_status for fo in db.session.get(Order, transfer.order.id)
                     .facility_orders for e in fo.events]
    assert parcel_events.count("new") == 2  # two parcels, each released once


@pytest.mark.postgres
@needs_postgres
def test_fifty_checkouts_at_once_get_fifty_distinct_codes(live_server, gen_product,
                                                         facility_a):
    product = gen_product(facility=facility_a, slug="sambal-roa", name="Sambal Roa",
                           price=35_000, stock=60)
    delivery, slug = {facility_a.slug: "pickup"}, product.slug  # read here: threads have no app

    def buyer(_, barrier):
        token = new_cart(live_server)
        put_line(live_server, token, slug, 1)
        barrier.wait()
        return call("POST", f"{live_server}/api/v1/carts/{token}/checkout",
                    checkout_body(delivery, payment_method="bank_transfer"))

    answers = run_together(50, buyer, timeout=120)
    assert Counter(status for status, _ in answers) == {201: 50}, answers
    codes = [body["payment"]["unique_code"] for _, body in answers]
    dues = [body["payment"]["amount_due"] for _, body in answers]
    assert len(set(codes)) == 50 and all(1 <= code <= 999 for code in codes)
    assert len(set(dues)) == 50 and all(d == 35_000 + c for d, c in zip(dues, codes, strict=True))
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(TransferCode)) == 50
    assert sorted(db.session.scalars(select(Payment.unique_code))) == sorted(codes)

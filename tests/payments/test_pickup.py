"""Pay at pickup: the parcels reach the facility desks at once, marked "Bayar di tempat"; the
handover records the money taken for THAT parcel (cash or the facility's QRIS, the exact
amount); the order is paid once every parcel is; unpaid parcels past the window are cancelled."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from shop.core.audit import AuditEntry
from shop.core.time import to_wit, utcnow
from shop.mail.models import OutboxMessage
from shop.orders.models import FacilityOrder, Order
from shop.payments.models import ParcelPayment, Payment, Refund
from tests.factories import checkout_body

PASSWORD = "rahasia-panjang-1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    monkeypatch.setattr("shop.accounts.models.generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1000"))


@pytest.fixture
def desk(gen_facility, gen_product, gen_rates):
    """Two facilities with a product and a staff member (and an API token) each."""
    from shop.accounts.provisioning import create_staff
    from shop.accounts.tokens import issue_api_token

    sanana = gen_rates(gen_facility(slug="lapas-sanana", name="Lapas Sanana", town="Sanana",
                                      email="lapas-sanana@x.test",
                                      address="Jl. Lapas No. 1, Sanana",
                                      opening_hours="Senin-Jumat 08.00-15.00"))
    soasio = gen_rates(gen_facility(slug="rutan-soasio", name="Rutan Soasio", kind="rutan",
                                      town="Tidore", email="rutan-soasio@x.test",
                                      address="Jl. Rutan No. 2, Soasio"))
    chair = gen_product(facility=sanana, name="Kursi Rotan Sanana", slug="kursi-rotan",
                         price=45_000, stock=10)
    bag = gen_product(facility=soasio, name="Tas Anyaman Soasio", slug="tas-anyaman",
                       price=30_000, stock=10)
    staff_a = create_staff("petugas.sanana@example.org", sanana, "Petugas Sanana",
                           password=PASSWORD, invite=False)
    staff_b = create_staff("petugas.soasio@example.org", soasio, "Petugas Soasio",
                           password=PASSWORD, invite=False)
    return SimpleNamespace(a=sanana, b=soasio, chair=chair, bag=bag, staff_a=staff_a,
                           staff_b=staff_b, token_a=issue_api_token(staff_a, "uji"),
                           token_b=issue_api_token(staff_b, "uji"))


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def place_api(client, items, delivery, method="pay_at_pickup"):
    cart = client.post("/api/v1/carts").get_json()["token"]
    for slug, quantity in items.items():
        assert client.put(f"/api/v1/carts/{cart}/lines/{slug}",
                          json={"quantity": quantity}).status_code == 200
    return client.post(f"/api/v1/carts/{cart}/checkout",
                       json=checkout_body(delivery, payment_method=method))


@pytest.fixture
def pickup_order(client, desk, db_session):
    """An order paid at pickup: 1 chair from Sanana (Rp45.000) and 2 bags from Soasio
    (Rp60.000), both picked up."""
    response = place_api(client, {"kursi-rotan": 1, "tas-anyaman": 2},
                         {"lapas-sanana": "pickup", "rutan-soasio": "pickup"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    order = db_session.scalar(select(Order).where(Order.number == body["number"]))
    parcels = {fo.facility.slug: fo for fo in order.facility_orders}
    return SimpleNamespace(body=body, order=order, a=parcels["lapas-sanana"],
                           b=parcels["rutan-soasio"])


def transition(client, token, fo, to, **extra):
    return client.post(f"/api/v1/staff/fulfilments/{fo.number}/transition",
                       json={"to": to, **extra}, headers=bearer(token))


def to_ready(client, token, fo):
    for to in ("accepted", "ready_for_pickup"):
        response = transition(client, token, fo, to)
        assert response.status_code == 200, response.get_json()


def mails(db_session, to=None):
    rows = db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [m for m in rows if to is None or m.to_address == to]


def listed(client, token):
    data = client.get("/api/v1/staff/fulfilments", headers=bearer(token)).get_json()
    return {item["number"]: item for item in data["items"]}


def login(client, email):
    response = client.post("/account/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def test_the_parcels_reach_the_desks_at_once_marked_bayar_di_tempat(
    app, client, desk, pickup_order, db_session
):
    order, body = pickup_order.order, pickup_order.body
    assert body["status"] == "pending_payment" and body["total"] == 105_000
    assert body["payment"]["provider"] == "pay_at_pickup"
    assert body["payment"]["expires_at"].endswith("+00:00")
    held = order.expires_at - order.created_at
    assert abs(held - timedelta(days=app.config["PICKUP_PAYMENT_DAYS"])) < timedelta(seconds=5)
    assert [fo["status"] for fo in body["facility_orders"]] == ["new", "new"]
    assert order.status == "pending_payment" and order.paid_at is None

    deadline = to_wit(order.expires_at).strftime("%d-%m-%Y %H:%M") + " WIT"
    [to_customer] = mails(db_session, "budi@example.com")
    assert order.number in to_customer.subject
    for text in (deadline, "Rp45.000", "Rp60.000", "Jl. Lapas No. 1, Sanana", "tunai", "QRIS"):
        assert text in to_customer.text_body, text
    [to_sanana] = mails(db_session, "lapas-sanana@x.test")
    assert pickup_order.a.number in to_sanana.text_body
    assert "BAYAR DI TEMPAT" in to_sanana.text_body and "Rp45.000" in to_sanana.text_body
    assert "sudah dibayar" not in to_sanana.text_body
    assert len(mails(db_session, "rutan-soasio@x.test")) == 1

    items = listed(client, desk.token_a)
    assert list(items) == [pickup_order.a.number]  # only Sanana's parcel
    item = items[pickup_order.a.number]
    assert item["payment"] == "pay_at_pickup" and item["status"] == "new"
    assert item["paid_at"] is None and item["total"] == 45_000

    login(client, desk.staff_a.email)
    queue = client.get("/staff/").get_data(as_text=True)
    assert pickup_order.a.number in queue and "Bayar di tempat" in queue
    assert pickup_order.b.number not in queue
    page = client.get(f"/staff/orders/{pickup_order.a.number}").get_data(as_text=True)
    assert "Bayar di tempat" in page and "Rp45.000" in page
    assert client.get(f"/staff/orders/{pickup_order.b.number}").status_code == 404


def test_a_courier_parcel_cannot_be_paid_at_pickup(client, desk, db_session):
    response = place_api(client, {"kursi-rotan": 1, "tas-anyaman": 1},
                         {"lapas-sanana": "pickup", "rutan-soasio": "courier"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_payment_method"
    assert db_session.scalar(select(func.count(Order.id))) == 0
    assert db_session.scalar(select(func.count(FacilityOrder.id))) == 0


def test_the_handover_is_refused_without_the_right_payment_and_nothing_changes(
    client, desk, pickup_order, db_session
):
    fo = pickup_order.a
    to_ready(client, desk.token_a, fo)

    def unchanged():
        db_session.expire_all()
        assert fo.status == "ready_for_pickup"
        assert db_session.scalar(select(func.count(ParcelPayment.id))) == 0
        assert pickup_order.order.paid_at is None

    missing = transition(client, desk.token_a, fo, "picked_up")
    assert missing.status_code == 422
    assert missing.get_json()["error"]["code"] == "payment_required"
    assert "Rp45.000" in missing.get_json()["error"]["message"]
    unchanged()

    wrong = transition(client, desk.token_a, fo, "picked_up",
                       payment={"method": "cash", "amount": 40_000})
    assert wrong.status_code == 409
    error = wrong.get_json()["error"]
    assert error["code"] == "amount_mismatch"
    assert (error["amount_due"], error["received"], error["difference"]) == (45_000, 40_000,
                                                                             -5_000)
    assert "kurang Rp5.000" in error["message"]
    assert error["current"] == "ready_for_pickup"
    unchanged()

    for payment, code in (({"method": "qris", "amount": 45_000}, "reference_required"),
                          ({"method": "transfer", "amount": 45_000}, "payment_method_invalid"),
                          ({"method": "cash", "amount": "45000"}, "amount_invalid"),
                          ("tunai", "invalid_body")):
        refused = transition(client, desk.token_a, fo, "picked_up", payment=payment)
        assert refused.status_code in (400, 422), payment
        assert refused.get_json()["error"]["code"] == code
        unchanged()

    paid = transition(client, desk.token_a, fo, "picked_up",
                      payment={"method": "cash", "amount": 45_000})
    assert paid.status_code == 200, paid.get_json()
    assert paid.get_json()["status"] == "picked_up" and paid.get_json()["payment"] == "paid"
    row = db_session.scalar(select(ParcelPayment))
    assert (row.facility_order_id, row.method, row.amount, row.reference) == (
        fo.id, "cash", 45_000, None)
    assert row.received_by == desk.staff_a.email
    audit = db_session.scalar(select(AuditEntry).where(AuditEntry.kind ==
                                                       "pickup.payment_received"))
    assert (audit.subject, audit.amount, audit.to_value) == (fo.number, 45_000, "cash")
    assert audit.actor_id == desk.staff_a.id
    picked = [m for m in mails(db_session, "budi@example.com") if "sudah diambil" in m.subject]
    assert len(picked) == 1 and "Pembayaran Rp45.000 sudah kami terima" in picked[0].text_body
    db_session.expire_all()
    assert pickup_order.order.status == "pending_payment"  # Soasio's parcel is not paid yet
    assert listed(client, desk.token_b)[pickup_order.b.number]["payment"] == "pay_at_pickup"


def test_a_move_the_table_forbids_is_still_a_409_move_not_allowed(client, desk, pickup_order):
    response = transition(client, desk.token_a, pickup_order.a, "picked_up",
                          payment={"method": "cash", "amount": 45_000})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "move_not_allowed"


def test_two_facilities_collect_separately_then_the_order_is_paid(
    client, desk, pickup_order, db_session
):
    order = pickup_order.order
    to_ready(client, desk.token_a, pickup_order.a)
    to_ready(client, desk.token_b, pickup_order.b)
    # Soasio's staff cannot touch Sanana's parcel
    assert transition(client, desk.token_b, pickup_order.a, "picked_up",
                      payment={"method": "cash", "amount": 45_000}).status_code == 404

    assert transition(client, desk.token_b, pickup_order.b, "picked_up",
                      payment={"method": "qris", "amount": 60_000,
                               "reference": "QR-778812"}).status_code == 200
    db_session.expire_all()
    assert order.status == "pending_payment" and order.paid_at is None
    payment = db_session.scalar(select(Payment).where(Payment.order_id == order.id))
    assert payment.status == "awaiting_pickup"

    assert transition(client, desk.token_a, pickup_order.a, "picked_up",
                      payment={"method": "cash", "amount": 45_000}).status_code == 200
    db_session.expire_all()
    assert order.paid_at is not None
    assert order.status == "completed"  # derived: every parcel is picked up
    assert [fo.status for fo in order.facility_orders] == ["picked_up", "picked_up"]
    assert (payment.status, payment.received_amount, payment.channel) == (
        "succeeded", 105_000, "cash+qris")
    assert payment.reference == "QR-778812"
    assert listed(client, desk.token_a)[pickup_order.a.number]["payment"] == "paid"


def test_the_staff_web_form_records_the_payment(client, desk, pickup_order, db_session):
    fo = pickup_order.a
    to_ready(client, desk.token_a, fo)
    login(client, desk.staff_a.email)
    page = client.get(f"/staff/orders/{fo.number}").get_data(as_text=True)
    assert 'name="payment_method"' in page and 'name="amount"' in page

    url = f"/staff/orders/{fo.number}/move"
    refused = client.post(url, data={"to": "picked_up"}, follow_redirects=True)
    assert "Catat pembayaran" in refused.get_data(as_text=True)
    wrong = client.post(url, data={"to": "picked_up", "payment_method": "cash",
                                   "amount": "Rp50.000"}, follow_redirects=True)
    assert "lebih Rp5.000" in wrong.get_data(as_text=True)
    db_session.expire_all()
    assert fo.status == "ready_for_pickup"

    done = client.post(url, data={"to": "picked_up", "payment_method": "qris",
                                  "amount": "45.000", "payment_reference": "RRN 0012345"},
                       follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "Status paket diperbarui." in text
    assert re.search(r"Dibayar di tempat: Rp45\.000, QRIS", text)
    assert "RRN 0012345" in text
    db_session.expire_all()
    assert fo.status == "picked_up"


def test_cancelling_an_unpaid_parcel_refunds_nothing_and_the_rest_completes_the_order(
    client, desk, pickup_order, db_session
):
    order = pickup_order.order
    to_ready(client, desk.token_a, pickup_order.a)
    assert transition(client, desk.token_a, pickup_order.a, "picked_up",
                      payment={"method": "cash", "amount": 45_000}).status_code == 200
    cancelled = transition(client, desk.token_b, pickup_order.b, "cancelled",
                           reason="Barang rusak saat dikemas")
    assert cancelled.status_code == 200
    db_session.expire_all()
    assert desk.bag.stock == 10  # given back
    assert db_session.scalar(select(func.count(Refund.id))) == 0
    mail = [m for m in mails(db_session, "budi@example.com") if "dibatalkan" in m.subject]
    assert len(mail) == 1 and "dikembalikan" not in mail[0].text_body
    assert order.paid_at is not None and order.status == "completed"
    payment = db_session.scalar(select(Payment).where(Payment.order_id == order.id))
    assert (payment.status, payment.received_amount) == ("succeeded", 45_000)


def test_cancelling_every_parcel_cancels_the_order(client, desk, pickup_order, db_session):
    for token, fo in ((desk.token_a, pickup_order.a), (desk.token_b, pickup_order.b)):
        assert transition(client, token, fo, "cancelled",
                          reason="Pembeli membatalkan lewat telepon").status_code == 200
    db_session.expire_all()
    assert pickup_order.order.status == "cancelled" and pickup_order.order.paid_at is None
    assert (desk.chair.stock, desk.bag.stock) == (10, 10)
    payment = db_session.scalar(select(Payment))
    assert payment.status == "canceled"


def _past_the_window(db_session, order):
    db_session.execute(update(Order).where(Order.id == order.id)
                       .values(expires_at=utcnow() - timedelta(minutes=1)))
    db_session.commit()


def test_expiry_keeps_what_was_collected_and_cancels_the_rest(
    client, runner, desk, pickup_order, db_session
):
    order = pickup_order.order
    to_ready(client, desk.token_a, pickup_order.a)
    assert transition(client, desk.token_a, pickup_order.a, "picked_up",
                      payment={"method": "cash", "amount": 45_000}).status_code == 200
    to_ready(client, desk.token_b, pickup_order.b)
    assert desk.bag.stock == 8

    _past_the_window(db_session, order)
    result = runner.invoke(args=["orders", "expire"])
    assert result.exit_code == 0 and "Pesanan kedaluwarsa: 1" in result.output
    db_session.expire_all()
    assert pickup_order.a.status == "picked_up" and pickup_order.b.status == "cancelled"
    assert desk.bag.stock == 10 and desk.chair.stock == 9
    assert order.paid_at is not None and order.status == "completed"
    payment = db_session.scalar(select(Payment))
    assert (payment.status, payment.received_amount, payment.channel) == ("succeeded", 45_000,
                                                                          "cash")
    assert db_session.scalar(select(func.count(Refund.id))) == 0
    [told] = [m for m in mails(db_session, "budi@example.com") if "batas waktu" in m.subject]
    assert pickup_order.b.number in told.text_body and "Rp60.000" in told.text_body
    assert pickup_order.a.number not in told.text_body
    # staff see it as cancelled; a second run changes nothing
    assert listed(client, desk.token_b)[pickup_order.b.number]["status"] == "cancelled"
    assert "Pesanan kedaluwarsa: 0" in runner.invoke(args=["orders", "expire"]).output


def test_expiry_with_nothing_collected_expires_the_order(
    client, runner, desk, pickup_order, db_session
):
    order = pickup_order.order
    to_ready(client, desk.token_a, pickup_order.a)
    _past_the_window(db_session, order)
    assert runner.invoke(args=["orders", "expire"]).exit_code == 0
    db_session.expire_all()
    assert order.status == "expired" and order.paid_at is None
    assert [fo.status for fo in order.facility_orders] == ["cancelled", "cancelled"]
    assert (desk.chair.stock, desk.bag.stock) == (10, 10)
    assert db_session.scalar(select(Payment)).status == "canceled"
    [told] = [m for m in mails(db_session, "budi@example.com") if "batas waktu" in m.subject]
    assert pickup_order.a.number in told.text_body and pickup_order.b.number in told.text_body
    # the handover after expiry is refused
    late = transition(client, desk.token_a, pickup_order.a, "picked_up",
                      payment={"method": "cash", "amount": 45_000})
    assert late.status_code == 409


def test_an_order_paid_at_pickup_cannot_switch_to_another_method(pickup_order):
    from shop.payments.methods import UnknownMethod
    from shop.payments.services import start_payment

    with pytest.raises(UnknownMethod):
        start_payment(pickup_order.order, "card")

"""Kanwil order desk (/admin/orders) and audit log (/admin/audit): admins only, finding an order
by number, e-mail or phone, its page with parcels and payments, cancelling a parcel on behalf of
a facility, and the audit log's filters and paging."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from shop.core.audit import AuditEntry, record
from shop.extensions import db
from shop.orders.models import FacilityOrder, FacilityOrderEvent, Order
from shop.payments.models import Payment, PaymentEvent, Refund
from tests.factories import CONTACT, login


def rows_in(body):
    """The table rows of a list page (each row starts with its row header)."""
    return body.count('<tr><th scope="row">')


def set_contact(order, email=None, phone=None):
    values = {}
    if email:
        values["email"] = email
    if phone:
        values["phone"] = phone
    db.session.execute(
        Order.__table__.update().where(Order.__table__.c.id == order.id).values(**values)
    )
    db.session.commit()


# ------------------------------------------------------------------ access

def admin_urls(order):
    return [("get", "/admin/orders"), ("get", f"/admin/orders/{order.number}"),
            ("get", "/admin/audit"), ("post", f"/admin/orders/{order.number}/cancel")]


def test_anonymous_visitors_are_sent_to_sign_in(client, paid_order):
    for method, url in admin_urls(paid_order.order):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/account/login" in response.headers["Location"], url


@pytest.mark.parametrize("who", ["customer", "staff_a", "partner"])
def test_other_roles_get_403(client, people, paid_order, who):
    login(client, getattr(people, who).email)
    for method, url in admin_urls(paid_order.order):
        assert getattr(client, method)(url, data={"parcel": paid_order.a.number,
                                                 "reason": "Alasan yang cukup"}
                                       if method == "post" else None).status_code == 403, url
    assert db.session.get(FacilityOrder, paid_order.a.id).status == "new"


def test_admin_sees_the_pages(client, admin, paid_order):
    login(client, admin.email)
    for method, url in admin_urls(paid_order.order):
        if method == "get":
            assert client.get(url).status_code == 200, url
    assert client.get("/admin/orders/EB-NOPE99").status_code == 404


# ------------------------------------------------------------------ finding orders

@pytest.fixture
def two_orders(gen_paid_order, product_a, product_b, facility_a, facility_b):
    first = gen_paid_order({product_a: 1})
    second = gen_paid_order({product_b: 1}, pay=False)
    set_contact(second.order, email="Sari.Dewi@Contoh.id", phone="+6285298765432")
    return first.order, second.order


def test_list_shows_masked_emails_only(client, admin, two_orders):
    first, second = two_orders
    login(client, admin.email)
    body = client.get("/admin/orders").get_data(as_text=True)
    assert rows_in(body) == 2
    assert first.number in body and second.number in body
    assert "b***@example.com" in body and "S***@Contoh.id" in body
    assert CONTACT["email"] not in body and "Sari.Dewi" not in body
    assert CONTACT["name"] not in body and "Pahlawan" not in body  # no names, no addresses


def search(client, q, **args):
    body = client.get("/admin/orders", query_string={"q": q, **args}).get_data(as_text=True)
    return body, rows_in(body)


def test_search_by_order_and_parcel_number(client, admin, two_orders):
    first, second = two_orders
    login(client, admin.email)
    body, n = search(client, first.number)
    assert n == 1 and first.number in body and second.number not in body
    body, n = search(client, second.number.lower())  # any case
    assert n == 1 and second.number in body
    parcel = first.facility_orders[0].number
    body, n = search(client, parcel)
    assert n == 1 and first.number in body
    assert search(client, first.number[:-1])[1] == 0  # exact, not a prefix
    assert search(client, "EB-ZZZZZZ")[1] == 0


def test_search_by_email(client, admin, two_orders):
    first, second = two_orders
    login(client, admin.email)
    body, n = search(client, "budi@example.com")
    assert n == 1 and first.number in body
    body, n = search(client, "sari.dewi@contoh.id")  # stored with capitals
    assert n == 1 and second.number in body
    assert search(client, "nobody@example.com")[1] == 0


@pytest.mark.parametrize("written", ["0812 3456 7890", "+62 812-3456-7890", "6281234567890",
                                     "081234567890"])
def test_search_by_phone_in_any_form(client, admin, two_orders, written):
    first, second = two_orders
    login(client, admin.email)
    body, n = search(client, written)
    assert n == 1 and first.number in body and second.number not in body


def test_search_by_the_other_phone_and_status_filter(client, admin, two_orders):
    first, second = two_orders
    login(client, admin.email)
    body, n = search(client, "0852-9876-5432")
    assert n == 1 and second.number in body
    body, n = search(client, "", status="pending_payment")
    assert n == 1 and second.number in body
    body, n = search(client, "", status="paid")
    assert n == 1 and first.number in body


def test_list_is_paginated(client, admin, gen_paid_order, gen_product, facility_a):
    plenty = gen_product(facility=facility_a, stock=100)
    for _ in range(27):
        gen_paid_order({plenty: 1}, pay=False)
    login(client, admin.email)
    first_page = client.get("/admin/orders").get_data(as_text=True)
    assert rows_in(first_page) == 25 and "Halaman 1 dari 2" in first_page
    second_page = client.get("/admin/orders?page=2").get_data(as_text=True)
    assert rows_in(second_page) == 2


# ------------------------------------------------------------------ one order

def test_order_page_shows_parcels_timeline_payments_and_refunds(client, admin, paid_order):
    order = paid_order.order
    payment = Payment(order_id=order.id, provider="stripe", attempt=1, intent_id="pi_uji_1",
                      client_secret="secret", amount=order.total, status="succeeded")
    db.session.add(payment)
    db.session.flush()
    db.session.add_all([
        PaymentEvent(provider="stripe", event_id="evt_uji_1", event_type="payment_intent.succeeded",
                     intent_id="pi_uji_1", outcome="paid"),
        PaymentEvent(provider="stripe", event_id="evt_lain", event_type="payment_intent.succeeded",
                     intent_id="pi_orang_lain", outcome="paid"),
        Refund(payment_id=payment.id, facility_order_id=paid_order.b.id, amount=30_000,
               reason="Tas rusak", status="pending", idempotency_key="refund-uji"),
    ])
    db.session.commit()
    login(client, admin.email)
    body = client.get(f"/admin/orders/{order.number}").get_data(as_text=True)
    for text in (paid_order.a.number, paid_order.b.number, "Lapas Sanana", "Rutan Soasio",
                 "Kursi Rotan Sanana", "Pembayaran diterima", "pi_uji_1", "evt_uji_1",
                 "Tas rusak", CONTACT["name"], CONTACT["email"], "+6281234567890",
                 "Pahlawan Revolusi"):
        assert text in body, text
    assert "evt_lain" not in body  # another order's gateway event
    # both parcels are new: both can be cancelled from here
    assert body.count('name="parcel"') == 2


def test_a_parcel_number_leads_to_its_order(client, admin, paid_order):
    login(client, admin.email)
    response = client.get(f"/admin/orders/{paid_order.b.number.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/admin/orders/{paid_order.order.number}#{paid_order.b.number}")


# ------------------------------------------------------------------ cancelling on behalf

def stock_of(product):
    db.session.expire_all()
    return db.session.get(type(product), product.id).stock


def test_admin_cancels_a_parcel_on_behalf_of_its_facility(
    client, admin, paid_order, product_a, product_b
):
    number = paid_order.order.number
    parcel = paid_order.a.number
    assert stock_of(product_a) == 8 and stock_of(product_b) == 9
    login(client, admin.email)

    response = client.post(f"/admin/orders/{number}/cancel",
                           data={"parcel": parcel, "reason": "abc"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tuliskan alasan pembatalan" in page
    assert db.session.get(FacilityOrder, paid_order.a.id).status == "new"

    response = client.post(f"/admin/orders/{number}/cancel",
                           data={"parcel": parcel, "reason": "Lapas tidak bisa memenuhi"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/orders/{number}#{parcel}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "dibatalkan atas nama Lapas Sanana" in page
    db.session.expire_all()
    assert db.session.get(FacilityOrder, paid_order.a.id).status == "cancelled"
    assert db.session.get(FacilityOrder, paid_order.b.id).status == "new"
    assert db.session.get(Order, paid_order.order.id).status == "paid"  # B still coming
    assert stock_of(product_a) == 10 and stock_of(product_b) == 9
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.kind == "facility_order.move",
                                 AuditEntry.subject == parcel)
    ).one()
    assert (entry.actor_id, entry.actor_label) == (admin.id, admin.email)
    assert (entry.from_value, entry.to_value) == ("new", "cancelled")
    assert entry.facility_id == paid_order.a.facility_id
    assert entry.note == "Lapas tidak bisa memenuhi"
    event = db.session.scalars(
        select(FacilityOrderEvent).where(FacilityOrderEvent.facility_order_id == paid_order.a.id)
        .order_by(FacilityOrderEvent.id.desc())
    ).first()
    assert (event.to_status, event.actor) == ("cancelled", admin.email)
    # Marked paid without a gateway payment: nothing to refund at the gateway.
    assert db.session.scalar(select(func.count(Refund.id))) == 0

    # Once more: refused, shown as a message, nothing changes.
    response = client.post(f"/admin/orders/{number}/cancel",
                           data={"parcel": parcel, "reason": "Lapas tidak bisa memenuhi"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tidak bisa mengubah status" in page
    assert stock_of(product_a) == 10


def test_cancel_by_the_parcels_own_number(client, admin, paid_order):
    login(client, admin.email)
    response = client.post(f"/admin/orders/{paid_order.b.number}/cancel",
                           data={"reason": "Rutan tutup sementara"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/admin/orders/{paid_order.order.number}#{paid_order.b.number}")
    db.session.expire_all()
    assert db.session.get(FacilityOrder, paid_order.b.id).status == "cancelled"
    assert db.session.get(FacilityOrder, paid_order.a.id).status == "new"
    # the order's own number without saying which parcel: nothing to cancel
    response = client.post(f"/admin/orders/{paid_order.order.number}/cancel",
                           data={"reason": "Rutan tutup sementara"})
    assert response.status_code == 404


def test_cancel_refuses_a_parcel_of_another_order(client, admin, paid_order, gen_paid_order,
                                                  product_a):
    other = gen_paid_order({product_a: 1})
    login(client, admin.email)
    response = client.post(f"/admin/orders/{other.order.number}/cancel",
                           data={"parcel": paid_order.a.number, "reason": "Salah pesanan ini"})
    assert response.status_code == 404
    assert db.session.get(FacilityOrder, paid_order.a.id).status == "new"


# ------------------------------------------------------------------ the audit log

def entry(kind, created_at, actor=None, facility=None, subject="x"):
    row = record(kind, actor=actor, facility_id=facility.id if facility else None,
                 subject=subject)
    row.created_at = created_at
    return row


@pytest.fixture
def audit_rows(people, facility_a, facility_b):
    db.session.execute(AuditEntry.__table__.delete())  # the fixtures' own account.created rows
    base = datetime(2025, 3, 1, 12, 0)
    entry("product.stock", base, people.staff_a, facility_a, "kursi")           # 1 Mar 21:00 WIT
    entry("product.stock", base + timedelta(hours=4), people.staff_b, facility_b, "tas")
    # ^ 1 Mar 16:00 UTC = 2 Mar 01:00 WIT
    entry("facility_order.move", base + timedelta(days=2), people.admin, facility_a, "EB-1-1")
    entry("signin.failed", base + timedelta(days=3), None, None, "orang@example.com")
    db.session.commit()


def audit_body(client, **args):
    body = client.get("/admin/audit", query_string=args).get_data(as_text=True)
    return body, rows_in(body)


def test_audit_filters_each_narrow_the_rows(client, admin, audit_rows, facility_a, facility_b):
    login(client, admin.email)
    body, n = audit_body(client)
    assert n == 4
    # newest first
    assert body.index("orang@example.com") < body.index("EB-1-1") < body.index("tas")
    assert audit_body(client, facility=facility_a.id)[1] == 2
    assert audit_body(client, facility=facility_b.id)[1] == 1
    body, n = audit_body(client, user="SOASIO")
    assert n == 1 and ">tas<" in body
    assert audit_body(client, user="example.org")[1] == 3  # staff and admin addresses
    assert audit_body(client, kind="product.stock")[1] == 2
    assert audit_body(client, kind="signin.failed")[1] == 1
    # WIT dates: 1 March WIT holds only the first; 2 March WIT holds the one at 16:00 UTC.
    body, n = audit_body(client, **{"from": "2025-03-01", "to": "2025-03-01"})
    assert n == 1 and ">kursi<" in body
    body, n = audit_body(client, **{"from": "2025-03-02", "to": "2025-03-02"})
    assert n == 1 and ">tas<" in body
    assert audit_body(client, **{"from": "2025-03-03"})[1] == 2
    assert audit_body(client, to="2025-03-02")[1] == 2
    # combined
    assert audit_body(client, facility=facility_a.id, kind="product.stock")[1] == 1
    assert audit_body(client, facility=facility_a.id, user="soasio")[1] == 0
    # nonsense is ignored, not an error
    assert audit_body(client, **{"from": "kemarin", "facility": "x"})[1] == 4


def test_audit_is_paged_by_50_with_one_query_and_a_count(client, admin, count_queries):
    from shop.admin.orders_queries import audit_log

    base = datetime(2025, 1, 1)
    for i in range(60):
        entry("product.stock", base + timedelta(minutes=i), subject=f"s{i:02d}")
    db.session.commit()
    login(client, admin.email)
    body, n = audit_body(client)
    # the admin's own account.created (today) first, then s59 down to s11
    assert n == 50 and "account.created" in body and ">s59<" in body and ">s11<" in body
    assert ">s10<" not in body
    body, n = audit_body(client, page=2)
    assert n == 11 and ">s10<" in body and ">s00<" in body and ">s11<" not in body
    with count_queries() as counter:
        page = audit_log(page=1)
        [e.kind for e, _name in page.items]
    assert counter.count == 2 and len(page.items) == 50 and page.total == 61

"""The Kanwil confirms or rejects bank transfers: by hand on /admin/payments/, by API. What the
admin and the customer would check: the order is paid, the parcels reach the facilities, the
mails are in the outbox, the audit row is written, a wrong amount is refused with the
difference shown, nothing is paid twice; who may see the desk and the proofs."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from shop.catalog.models import Product
from shop.core.audit import AuditEntry
from shop.core.time import utcnow
from shop.extensions import db
from shop.media.storage import get_storage
from shop.orders.models import FacilityOrder, Order
from shop.orders.services import expire_order
from shop.payments.models import Payment, Refund, TransferCode
from shop.payments.services import start_payment
from tests.factories import png_bytes
from tests.payments.kanwil import bearer, login, outbox, raw_api_token


def reload(order):
    db.session.expire_all()
    return db.session.get(Order, order.id)


def audit_rows(kind):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.kind == kind)).all()


def assert_paid_once(order, admin_email):
    order = reload(order)
    assert order.status == "paid" and order.paid_at is not None
    assert {fo.status for fo in order.facility_orders} == {"new"}
    payment = db.session.scalar(select(Payment).where(Payment.order_id == order.id))
    assert payment.status == "succeeded" and payment.confirmed_by == admin_email
    assert db.session.scalar(select(func.count()).select_from(TransferCode)) == 0
    assert len(outbox(order.email, "sudah dibayar")) == 1
    assert len(outbox("lapas-sanana@x.test", "Pesanan baru")) == 1  # facility A is told
    rows = audit_rows("payment.transfer_confirmed")
    assert len(rows) == 1 and rows[0].actor_label == admin_email
    assert rows[0].subject == order.number and rows[0].amount == payment.amount_due
    return order, payment


# ------------------------------------------------------------------ by hand

def test_open_transfer_is_listed_with_amount_code_and_deadline(client, admin, transfer):
    login(client, admin.email)
    page = client.get("/admin/payments/").get_data(as_text=True)
    payment = transfer.payment
    assert transfer.order.number in page and "Budi Santoso" in page
    assert f"Rp{payment.amount_due:,}".replace(",", ".") in page
    assert f"<td>{payment.unique_code}</td>" in page
    assert "WIT" in page and "belum ada" in page  # no proof yet
    assert 'href="/admin/payments/"' in client.get("/admin/").get_data(as_text=True)


def test_confirm_by_hand_pays_the_order(client, admin, transfer):
    login(client, admin.email)
    due = transfer.payment.amount_due
    response = client.post(f"/admin/payments/transfers/{transfer.order.number}/confirm",
                           data={"amount": f"Rp{due:,}".replace(",", "."),
                                 "reference": "BRI 0412 778899"})
    assert response.status_code == 302
    order, payment = assert_paid_once(transfer.order, admin.email)
    assert payment.reference == "BRI 0412 778899" and payment.received_amount == due
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "dikonfirmasi" in page and transfer.order.number not in page.split("<h1")[1]


def test_a_wrong_amount_is_refused_with_the_difference(client, admin, transfer):
    login(client, admin.email)
    due = transfer.payment.amount_due
    response = client.post(f"/admin/payments/transfers/{transfer.order.number}/confirm",
                           data={"amount": str(due - 1_000), "reference": "BRI 1"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "kurang Rp1.000" in page
    assert f"Rp{due:,}".replace(",", ".") in page
    assert reload(transfer.order).status == "pending_payment"
    assert not audit_rows("payment.transfer_confirmed") and not outbox(subject_part="dibayar")

    response = client.post(f"/admin/payments/transfers/{transfer.order.number}/confirm",
                           data={"amount": str(due + 250), "reference": "BRI 1"})
    assert "lebih Rp250" in response.get_data(as_text=True)


def test_a_repeated_confirmation_changes_nothing(client, admin, transfer):
    login(client, admin.email)
    url = f"/admin/payments/transfers/{transfer.order.number}/confirm"
    data = {"amount": str(transfer.payment.amount_due), "reference": "BNI 55"}
    client.post(url, data=data)
    again = client.post(url, data=data, follow_redirects=True)
    assert "sudah dikonfirmasi sebelumnya" in again.get_data(as_text=True)
    assert_paid_once(transfer.order, admin.email)


def test_reject_tells_the_customer_how_to_pay_again(client, admin, transfer):
    login(client, admin.email)
    response = client.post(f"/admin/payments/transfers/{transfer.order.number}/reject",
                           data={"reason": "Dana tidak masuk ke rekening Kanwil"})
    assert response.status_code == 302
    payment = db.session.get(Payment, transfer.payment.id)
    assert payment.status == "rejected"
    assert payment.rejected_reason == "Dana tidak masuk ke rekening Kanwil"
    assert db.session.scalar(select(func.count()).select_from(TransferCode)) == 0
    [mail] = outbox(transfer.order.email, "belum dapat dikonfirmasi")
    assert "Dana tidak masuk ke rekening Kanwil" in mail.text_body
    assert f"/orders/{transfer.order.number}/pay" in mail.text_body
    assert "cara bayar lain" in mail.text_body and "kode unik baru" in mail.text_body
    assert audit_rows("payment.transfer_rejected")[0].actor_label == admin.email
    # the customer pays again: a new attempt with a new code
    again = start_payment(reload(transfer.order))
    assert again.attempt == 2 and again.status == "awaiting_transfer" and again.unique_code


def test_reject_needs_a_reason(client, admin, transfer):
    login(client, admin.email)
    response = client.post(f"/admin/payments/transfers/{transfer.order.number}/reject",
                           data={"reason": ""})
    assert response.status_code == 422
    assert db.session.get(Payment, transfer.payment.id).status == "awaiting_transfer"


def test_late_transfer_after_expiry_takes_the_stock_again(client, admin, transfer):
    order = reload(transfer.order)
    assert expire_order(order)
    db.session.execute(update(Payment).values(status="canceled"))
    db.session.execute(TransferCode.__table__.delete())
    db.session.commit()
    login(client, admin.email)
    page = client.get(f"/admin/payments/transfers/{order.number}").get_data(as_text=True)
    assert "sudah kedaluwarsa" in page
    client.post(f"/admin/payments/transfers/{order.number}/confirm",
                data={"amount": str(transfer.payment.amount_due), "reference": "late"})
    assert reload(order).status == "paid"


def test_late_transfer_without_stock_becomes_a_manual_refund(client, admin, transfer):
    order = reload(transfer.order)
    assert expire_order(order)
    db.session.execute(update(Product).values(stock=0))
    db.session.commit()
    login(client, admin.email)
    response = client.post(f"/admin/payments/transfers/{order.number}/confirm",
                           data={"amount": str(transfer.payment.amount_due), "reference": "x123"},
                           follow_redirects=True)
    assert "pengembalian manual" in response.get_data(as_text=True)
    assert reload(order).status == "expired"
    [refund] = db.session.scalars(select(Refund)).all()
    assert refund.manual and refund.status == "manual"
    assert refund.amount == transfer.payment.amount_due  # the unique code goes back too
    assert outbox(order.email, "isi rekening Anda")
    assert not outbox(order.email, "sudah dibayar")


# ------------------------------------------------------------------ by API

def confirm_api(client, token, number, amount, reference="BRI 7788"):
    return client.post(f"/api/v1/admin/bank-transfers/{number}/confirm",
                       json={"amount": amount, "reference": reference}, headers=bearer(token))


def test_confirm_by_api(client, admin, transfer):
    token = raw_api_token(admin)
    response = confirm_api(client, token, transfer.order.number, transfer.payment.amount_due)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["number"] == transfer.order.number and body["status"] == "paid"
    assert {fo["status"] for fo in body["facility_orders"]} == {"new"}
    assert body["facility_orders"][0]["lines"]
    assert body["payment"]["provider"] == "bank_transfer"
    assert body["payment"]["amount_due"] == transfer.payment.amount_due
    assert_paid_once(transfer.order, admin.email)

    again = confirm_api(client, token, transfer.order.number, transfer.payment.amount_due)
    assert again.status_code == 200 and again.get_json()["status"] == "paid"
    assert_paid_once(transfer.order, admin.email)


def test_api_refuses_a_wrong_amount_and_unknown_orders(client, admin, transfer):
    token = raw_api_token(admin)
    due = transfer.payment.amount_due
    response = confirm_api(client, token, transfer.order.number, due - 5)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "amount_mismatch"
    assert (error["expected"], error["received"], error["difference"]) == (due, due - 5, -5)
    assert reload(transfer.order).status == "pending_payment"
    assert confirm_api(client, token, "EB-ZZZZZZ", due).status_code == 404
    bad = client.post(f"/api/v1/admin/bank-transfers/{transfer.order.number}/confirm",
                      json={"amount": "banyak"}, headers=bearer(token))
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_amount"
    assert client.post(f"/api/v1/admin/bank-transfers/{transfer.order.number}/confirm",
                       data="x", headers=bearer(token)).status_code == 400


def test_api_needs_an_admin_token(client, people, transfer):
    number, due = transfer.order.number, transfer.payment.amount_due
    assert client.post(f"/api/v1/admin/bank-transfers/{number}/confirm",
                       json={"amount": due, "reference": "x12"}).status_code == 401
    for who in (people.staff_a, people.customer, people.partner):
        response = confirm_api(client, raw_api_token(who), number, due)
        assert response.status_code == 403, who.role
        assert response.get_json()["error"]["code"] == "forbidden"
    assert reload(transfer.order).status == "pending_payment"


def test_api_card_order_has_no_transfer_to_confirm(client, admin, place_transfer, product_a,
                                                   localstripe):
    card = place_transfer({product_a: 1}, method="card")
    response = confirm_api(client, raw_api_token(admin), card.order.number, card.order.total)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "no_open_transfer"


# ------------------------------------------------------------------ access and proofs

def admin_pages(transfer):
    number = transfer.order.number
    return [("get", "/admin/payments/"), ("get", f"/admin/payments/transfers/{number}"),
            ("post", f"/admin/payments/transfers/{number}/confirm"),
            ("post", f"/admin/payments/transfers/{number}/reject"),
            ("get", f"/admin/payments/proofs/{transfer.payment.id}"),
            ("get", "/admin/payments/refunds"), ("post", "/admin/payments/refunds/1/paid"),
            ("get", "/admin/payments/overview"), ("get", "/admin/payments/overview.csv"),
            ("get", "/admin/payments/statements/"), ("post", "/admin/payments/statements/"),
            ("post", "/admin/payments/statements/lines/1/match"),
            ("post", "/admin/payments/statements/lines/1/dismiss")]


@pytest.fixture
def with_proof(transfer):
    key = f"proofs/{transfer.order.number}-1.png"
    get_storage().save(key, png_bytes((40, 30)))
    db.session.execute(update(Payment).where(Payment.id == transfer.payment.id)
                       .values(proof_key=key, proof_uploaded_at=utcnow()))
    db.session.commit()
    return transfer


@pytest.mark.parametrize("who", ["customer", "staff_a", "partner"])
def test_other_roles_get_403(client, people, with_proof, who):
    login(client, getattr(people, who).email)
    for method, url in admin_pages(with_proof):
        response = getattr(client, method)(url, data={"amount": "1", "reason": "alasan panjang",
                                                      "reference": "abc", "number": "EB-X"})
        assert response.status_code == 403, (who, url)
    assert reload(with_proof.order).status == "pending_payment"


def test_anonymous_visitors_are_sent_to_sign_in(client, with_proof):
    for method, url in admin_pages(with_proof):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_admin_sees_the_proof_inline_and_private(client, admin, with_proof):
    login(client, admin.email)
    page = client.get("/admin/payments/").get_data(as_text=True)
    assert f"/admin/payments/proofs/{with_proof.payment.id}" in page
    response = client.get(f"/admin/payments/proofs/{with_proof.payment.id}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert "no-store" in response.headers["Cache-Control"]
    assert response.data.startswith(b"\x89PNG")
    assert not any(rule.rule.startswith("/media/proofs") for rule in client.application.url_map
                   .iter_rules())


def test_proof_of_a_payment_without_one_is_404(client, admin, transfer):
    login(client, admin.email)
    assert client.get(f"/admin/payments/proofs/{transfer.payment.id}").status_code == 404
    assert client.get("/admin/payments/proofs/999999").status_code == 404
    assert client.get("/admin/payments/transfers/EB-NOPE99").status_code == 404


def test_open_transfers_page_reads_a_fixed_number_of_queries(client, admin, place_transfer,
                                                             gen_product, facility_a,
                                                             count_queries):
    login(client, admin.email)
    product = gen_product(facility=facility_a, price=20_000, stock=50)
    place_transfer({product: 1})
    with count_queries() as few:
        assert client.get("/admin/payments/").status_code == 200
    for quantity in (2, 3, 4, 5):
        place_transfer({product: quantity})
    with count_queries() as many:
        page = client.get("/admin/payments/").get_data(as_text=True)
    assert page.count('<tr><th scope="row">') == 5
    assert many.count == few.count, many.statements


def test_parcels_of_a_confirmed_transfer_reach_the_facility_desk(client, admin, staff_a,
                                                                 transfer):
    token = raw_api_token(admin)
    confirm_api(client, token, transfer.order.number, transfer.payment.amount_due)
    parcel = db.session.scalar(select(FacilityOrder).where(
        FacilityOrder.order_id == transfer.order.id,
        FacilityOrder.facility_id == staff_a.facility_id))
    login(client, staff_a.email)
    assert parcel.number in client.get("/staff/").get_data(as_text=True)


def test_expired_deadline_is_shown_in_wit(client, admin, transfer):
    login(client, admin.email)
    deadline = transfer.payment.expires_at + timedelta(hours=9)
    page = client.get(f"/admin/payments/transfers/{transfer.order.number}").get_data(
        as_text=True)
    assert deadline.strftime("%d-%m-%Y %H:%M") + " WIT" in page


def test_desk_forms_need_a_csrf_token(app, client, admin, transfer):
    from tests.conftest import TestConfig

    login(client, admin.email)
    number, due = transfer.order.number, transfer.payment.amount_due
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for url, data in ((f"/admin/payments/transfers/{number}/confirm",
                           {"amount": str(due), "reference": "BRI 1"}),
                          (f"/admin/payments/transfers/{number}/reject",
                           {"reason": "Dana tidak masuk"}),
                          ("/admin/payments/refunds/1/paid", {"reference": "BRI 1"}),
                          ("/admin/payments/statements/lines/1/match", {"number": number})):
            assert client.post(url, data=data).status_code == 400, url
        assert reload(transfer.order).status == "pending_payment"
        page = client.get(f"/admin/payments/transfers/{number}").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        ok = client.post(f"/admin/payments/transfers/{number}/confirm",
                         data={"amount": str(due), "reference": "BRI 1", "csrf_token": csrf})
        assert ok.status_code == 302 and reload(transfer.order).status == "paid"
    finally:
        app.config["WTF_CSRF_ENABLED"] = TestConfig.WTF_CSRF_ENABLED


def test_a_clash_on_the_first_random_code_falls_back_to_the_free_ones(
        app, place_transfer, product_a, product_b, monkeypatch):
    import shop.payments.methods as methods

    first = place_transfer({product_a: 1})
    taken = first.payment.unique_code
    monkeypatch.setattr(methods.random, "randint", lambda low, high: taken)  # always a clash
    second = place_transfer({product_b: 1})
    assert second.payment.unique_code not in (None, taken)
    assert second.payment.amount_due == second.payment.amount + second.payment.unique_code
    codes = db.session.scalars(select(TransferCode.code)).all()
    assert sorted(codes) == sorted([taken, second.payment.unique_code])

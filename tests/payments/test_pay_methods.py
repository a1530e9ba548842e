"""Choosing how to pay (the checkout review and the API), the pay page of each method,
switching to another method while the order is open (web and API), and a Midtrans that is
down at checkout."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.catalog.models import Product
from shop.core.time import utcnow
from shop.orders.models import Order
from shop.payments.models import Payment, TransferCode
from shop.payments.services import current_payment, expire_and_cancel
from tests.catalog.test_api import assert_matches
from tests.factories import ADDRESS, CONTACT, REGION, checkout_body
from tests.payments.paying import fake_record, simulate

LABELS = {"card": "Kartu kredit/debit", "bank_transfer": "Transfer bank",
          "midtrans": "QRIS, virtual account, GoPay, ShopeePay, DANA",
          "pay_at_pickup": "Bayar di tempat saat mengambil"}


def count(db_session, model):
    return db_session.scalar(select(func.count()).select_from(model))


def web_form(delivery="pickup", **extra):
    return {**CONTACT, **ADDRESS, **REGION, "delivery-lapas-ternate": delivery, **extra}


def review(client, delivery="pickup"):
    client.post("/cart/add", data={"product": "sambal-roa", "quantity": "2"})
    response = client.post("/checkout", data=web_form(delivery))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def radio(html, code):
    match = re.search(rf'<input type="radio" id="pm-{code}"[^>]*>', html)
    assert match, f"no radio for {code}"
    return match.group(0)


# ---------------------------------------------------------------- the review

def test_review_offers_the_enabled_methods_in_order_with_explanations(client, goods):
    html = review(client, "pickup")
    assert "Cara bayar" in html
    positions = [html.index(f'id="pm-{code}"') for code in
                 ("card", "bank_transfer", "midtrans", "pay_at_pickup")]
    assert positions == sorted(positions)  # TestingConfig: card,bank_transfer,midtrans,...
    for label in LABELS.values():
        assert label in html
    assert "Stok ditahan 24 jam" in html and "Stok ditahan 3 hari" in html
    assert html.count("Tanpa biaya tambahan") >= 4
    assert "checked" in radio(html, "card")  # the first that fits
    assert "disabled" not in radio(html, "pay_at_pickup")


def test_pay_at_pickup_is_disabled_with_the_reason_when_a_parcel_goes_by_courier(client, goods):
    html = review(client, "courier")
    assert "disabled" in radio(html, "pay_at_pickup")
    assert "Tidak tersedia: ada paket yang dikirim dengan kurir." in html


@pytest.mark.parametrize("code, delivery", [("pay_at_pickup", "courier"), ("bitcoin", "pickup")])
def test_a_bad_method_shows_the_review_again_and_writes_nothing(client, db_session, goods, code,
                                                               delivery):
    review(client, delivery)
    response = client.post("/checkout", data=web_form(delivery, payment_method=code,
                                                      action="place"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ringkasan pesanan" in html and 'id="e-payment_method"' in html
    assert ("hanya bisa jika semua paket diambil" in html) if code == "pay_at_pickup" else (
        "Cara bayar tidak dikenal" in html)
    assert count(db_session, Order) == 0
    assert db_session.get(Product, goods.roa.id).stock == 10


def _place_on_web(client, code, delivery="pickup"):
    review(client, delivery)
    placed = client.post("/checkout", data=web_form(delivery, payment_method=code,
                                                    action="place"))
    assert placed.status_code == 302 and placed.location.endswith("/pay"), placed.status_code
    page = client.get(placed.location)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_web_checkout_by_bank_transfer_shows_the_exact_amount_and_the_account(
        client, db_session, goods):
    html = _place_on_web(client, "bank_transfer")
    order = db_session.scalar(select(Order))
    payment = current_payment(order)
    assert order.payment_method == "bank_transfer" and payment.status == "awaiting_transfer"
    assert 1 <= payment.unique_code <= 999 and payment.due == 90_000 + payment.unique_code
    due = f"Rp{payment.due:,}".replace(",", ".")
    assert f'<strong class="price big copy-value" id="amount-due">{due}</strong>' in html
    assert f'data-copy="{payment.due}"' in html and "Salin jumlah" in html
    assert "Bank Rakyat Indonesia (BRI)" in html and "0000-01-000000-30-0" in html
    assert "RPL Kanwil Ditjenpas Malut (demo)" in html
    assert f"kode unik {payment.unique_code:03d}" in html
    assert " WIT" in html and "js/copy.js" in html and "js/pay.js" not in html
    assert 'name="proof"' in html and 'enctype="multipart/form-data"' in html
    assert "Setelah transfer" in html
    assert abs(order.expires_at - order.created_at - timedelta(hours=24)) < timedelta(seconds=5)


def test_web_checkout_by_midtrans_links_to_the_snap_page(
        client, db_session, goods, midtrans, shop_notified):
    html = _place_on_web(client, "midtrans")
    payment = current_payment(db_session.scalar(select(Order)))
    assert payment.provider == "midtrans" and payment.redirect_url.startswith(midtrans)
    assert f'href="{payment.redirect_url}"' in html and "Bayar sekarang" in html
    record = fake_record(midtrans, payment.intent_id)
    assert record["request"]["callbacks"]["finish"].endswith(
        f"/orders/{payment.order.number}/return")
    assert record["notify_urls"] == [shop_notified.url]


def test_web_checkout_by_card_keeps_the_stripe_pay_page(client, db_session, goods, localstripe):
    html = _place_on_web(client, "card")
    assert "Bayar dengan kartu" in html and "Mode uji (localstripe)" in html
    assert current_payment(db_session.scalar(select(Order))).provider == "stripe"


def test_web_checkout_to_pay_at_pickup_says_where_and_until_when(client, db_session, goods):
    html = _place_on_web(client, "pay_at_pickup")
    order = db_session.scalar(select(Order))
    assert current_payment(order).status == "awaiting_pickup"
    assert "Lapas Kelas IIA Ternate" in html and "Jl. Raya Jambula, Kota Ternate 97751" in html
    assert "Senin–Jumat 08.00–15.00 WIT" in html and "Ambil dan bayar sebelum" in html
    assert abs(order.expires_at - order.created_at - timedelta(days=3)) < timedelta(seconds=5)


def test_the_return_page_of_a_bank_transfer_goes_to_the_order(client, db_session, goods):
    _place_on_web(client, "bank_transfer")
    number = db_session.scalar(select(Order.number))
    response = client.get(f"/orders/{number}/return")
    assert response.status_code == 302 and response.location.endswith(f"/orders/{number}")


# ---------------------------------------------------------------- the API

def api_cart(client, quantity=2):
    token = client.post("/api/v1/carts").get_json()["token"]
    client.put(f"/api/v1/carts/{token}/lines/sambal-roa", json={"quantity": quantity})
    return token


@pytest.mark.parametrize("code, provider", [("bank_transfer", "bank_transfer"),
                                            ("midtrans", "midtrans"), ("card", "stripe"),
                                            ("pay_at_pickup", "pay_at_pickup")])
def test_api_checkout_by_each_method_matches_the_document(
        client, goods, localstripe, midtrans, shop_notified, code, provider):
    response = client.post(f"/api/v1/carts/{api_cart(client)}/checkout", json=checkout_body(
        {"lapas-ternate": "pickup"}, payment_method=code))
    body = response.get_json()
    assert response.status_code == 201, body
    assert_matches(body, "Order")
    assert body["payment"]["provider"] == provider
    again = client.get(f"/api/v1/orders/{body['number']}",
                       headers={"X-Order-Token": body["token"]}).get_json()
    assert_matches(again, "Order")
    assert again["payment"] == body["payment"]


def test_api_refuses_pay_at_pickup_with_a_courier(client, db_session, goods):
    response = client.post(f"/api/v1/carts/{api_cart(client)}/checkout", json=checkout_body(
        {"lapas-ternate": "courier"}, payment_method="pay_at_pickup"))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_payment_method"
    assert count(db_session, Order) == 0


def _api_order(client, code, delivery="pickup"):
    body = client.post(f"/api/v1/carts/{api_cart(client)}/checkout", json=checkout_body(
        {"lapas-ternate": delivery}, payment_method=code)).get_json()
    return body["number"], {"X-Order-Token": body["token"]}


def test_api_restarts_the_payment_by_another_method(
        client, db_session, goods, midtrans, shop_notified):
    number, token = _api_order(client, "midtrans")
    url = f"/api/v1/orders/{number}/payment"
    first = db_session.scalar(select(Payment))

    assert client.post(url, json={"payment_method": "bank_transfer"}).status_code == 404
    assert client.post(url, json={"payment_method": "bank_transfer"},
                       headers={"X-Order-Token": "wrong"}).status_code == 404
    bad = client.post(url, json={"payment_method": "bitcoin"}, headers=token)
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_payment_method"
    assert_matches(bad.get_json(), "Error")

    same = client.post(url, headers=token)  # no body: the open attempt is kept
    assert same.status_code == 200 and same.get_json()["payment"]["order_id"] == first.intent_id

    switched = client.post(url, json={"payment_method": "bank_transfer"}, headers=token)
    body = switched.get_json()
    assert switched.status_code == 200, body
    assert_matches(body, "Order")
    assert body["payment"]["provider"] == "bank_transfer"
    assert body["payment"]["amount_due"] == body["total"] + body["payment"]["unique_code"]
    assert fake_record(midtrans, first.intent_id)["status"] == "expire"  # closed at Midtrans

    back = client.post(url, json={"payment_method": "midtrans"}, headers=token).get_json()
    assert back["payment"]["provider"] == "midtrans"
    assert back["payment"]["order_id"].endswith("-p3")
    assert count(db_session, TransferCode) == 0  # the transfer's code was released


def test_api_restart_of_an_order_that_is_no_longer_pending_is_409(client, db_session, goods):
    number, token = _api_order(client, "bank_transfer")
    order = db_session.scalar(select(Order))
    order.expires_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    response = client.post(f"/api/v1/orders/{number}/payment", headers=token,
                           json={"payment_method": "pay_at_pickup"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "order_not_pending"
    assert count(db_session, TransferCode) == 0  # expiry released the code


# ---------------------------------------------------------------- switching on the web

def test_switching_on_the_pay_page_cancels_the_midtrans_attempt_and_frees_the_code(
        client, db_session, goods, midtrans, shop_notified):
    html = _place_on_web(client, "midtrans")
    order = db_session.scalar(select(Order))
    first = current_payment(order)
    assert "Ganti cara bayar" in html and 'id="sw-bank_transfer"' in html
    simulate(midtrans, first.intent_id, transaction_status="pending", payment_type="qris")

    switched = client.post(f"/orders/{order.number}/pay/method",
                           data={"payment_method": "bank_transfer"})
    assert switched.status_code == 302 and switched.location.endswith("/pay")
    assert fake_record(midtrans, first.intent_id)["status"] == "cancel"
    db_session.expire_all()
    assert first.status == "canceled" and order.payment_method == "bank_transfer"
    transfer = current_payment(order)
    assert transfer.status == "awaiting_transfer" and count(db_session, TransferCode) == 1
    assert f"Rp{transfer.due:,}".replace(",", ".") in client.get(switched.location).get_data(
        as_text=True)

    client.post(f"/orders/{order.number}/pay/method", data={"payment_method": "midtrans"})
    db_session.expire_all()
    assert count(db_session, TransferCode) == 0 and transfer.status == "canceled"
    assert current_payment(order).attempt == 3

    bad = client.post(f"/orders/{order.number}/pay/method",
                      data={"payment_method": "bitcoin"}, follow_redirects=True)
    assert "Cara bayar tidak dikenal atau tidak tersedia." in bad.get_data(as_text=True)
    assert current_payment(order).attempt == 3


def test_switching_needs_access_to_the_order(client, app, db_session, goods, place_by):
    order, _token = place_by("bank_transfer", {goods.roa: 1})
    stranger = app.test_client()
    response = stranger.post(f"/orders/{order.number}/pay/method",
                             data={"payment_method": "pay_at_pickup"})
    assert response.status_code == 404
    db_session.expire_all()
    assert order.payment_method == "bank_transfer"


def test_the_order_page_offers_another_method_while_pending(client, db_session, goods):
    _place_on_web(client, "bank_transfer")
    number = db_session.scalar(select(Order.number))
    html = client.get(f"/orders/{number}").get_data(as_text=True)
    assert "Cara bayar: <strong>Transfer bank</strong>" in html
    assert f'action="/orders/{number}/pay/method"' in html


# ---------------------------------------------------------------- Midtrans down at checkout

def test_midtrans_down_at_api_checkout_answers_201_without_payment_and_holds_stock(
        client, db_session, goods):
    response = client.post(f"/api/v1/carts/{api_cart(client)}/checkout", json=checkout_body(
        {"lapas-ternate": "pickup"}, payment_method="midtrans"))
    body = response.get_json()
    assert response.status_code == 201 and body["payment"] is None
    assert_matches(body, "Order")
    assert body["status"] == "pending_payment"
    assert db_session.get(Product, goods.roa.id).stock == 8


def test_midtrans_down_at_web_checkout_says_try_again_or_choose_another(
        client, db_session, goods):
    html = _place_on_web(client, "midtrans")
    assert "Coba lagi sebentar lagi atau pilih cara bayar lain" in html
    assert 'id="sw-bank_transfer"' in html
    order = db_session.scalar(select(Order))
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "Coba lagi atau pilih cara bayar lain." in page
    assert db_session.get(Product, goods.roa.id).stock == 8 and order.status == "pending_payment"

    client.post(f"/orders/{order.number}/pay/method", data={"payment_method": "bank_transfer"})
    db_session.expire_all()
    assert current_payment(order).status == "awaiting_transfer"


def test_expiry_of_a_bank_transfer_releases_its_code(client, db_session, goods, place_by):
    order, _token = place_by("bank_transfer", {goods.roa: 1})
    with client.application.test_request_context():
        from shop.payments.services import start_payment

        start_payment(order)
    assert count(db_session, TransferCode) == 1
    order.expires_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    assert expire_and_cancel(order)
    assert count(db_session, TransferCode) == 0
    assert current_payment(order).status == "canceled"

"""An English visitor never meets Indonesian text, except names: every page of the shop, the
desks and the Kanwil screens, walked with the language switch set to English."""

import html
import re

import pytest

from tests.factories import login

WORDS = re.compile(
    r"\b(tidak|sudah|belum|silakan|keranjang|pesanan|harga|masuk|daftar|cari|semua|kembali|"
    r"dan|yang|untuk|dengan|atau|produk|lihat|tambah|bayar|kirim|ambil|simpan|ubah|hapus|"
    r"stok|habis|tersedia|jumlah|surel|kata sandi|laporan|bulan|tahun|promo berakhir)\b", re.I)


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?is)<[^>]+>", " ", page)
    return html.unescape(re.sub(r"\s+", " ", page))


def indonesian_in(page: str, names=()) -> list[str]:
    text = visible_text(page)
    for name in names:
        text = text.replace(name, " ")
    return sorted({m.group(0).lower() for m in WORDS.finditer(text)})


@pytest.fixture
def english_world(app, client, gen_facility, gen_category, gen_product, gen_rates, staff_a,
                  admin, paid_order):
    facility = gen_rates(gen_facility(slug="lapas-ternate", name="Lapas Ternate",
                                      town="Ternate", regency="Kota Ternate"))
    category = gen_category("Makanan", slug="makanan", name_en="Food")
    product = gen_product(facility=facility, category=category, slug="sambal-roa",
                          name="Sambal Roa", name_en="Smoked Fish Chilli", price=45_000,
                          stock=20, description="Sambal", description_en="Chilli paste.")
    client.set_cookie("lang", "en")
    return {"product": product, "facility": facility}


PUBLIC = ["/", "/products", "/products/sambal-roa", "/facilities", "/facilities/lapas-ternate",
          "/account/login", "/account/register", "/account/forgot", "/dampak"]
NAMES = ["Sambal Roa", "Lapas Ternate", "Lapas Sanana", "Rutan Soasio", "Etalase Binaan",
         "Kursi Rotan Sanana", "Tas Anyaman Soasio", "Makanan", "Maluku Utara", "Kanwil",
         "Bahasa Indonesia", "Indonesia"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_in_english(client, english_world, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert indonesian_in(response.get_data(as_text=True), NAMES) == []


def test_cart_and_checkout_in_english(client, english_world):
    token = client.post("/api/v1/carts").get_json()["token"]
    assert token
    client.post("/cart/add", data={"product": "sambal-roa", "quantity": "2"})
    for path in ("/cart", "/checkout"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert indonesian_in(response.get_data(as_text=True), NAMES) == [], path


@pytest.mark.parametrize("path", ["/staff/", "/staff/products/", "/staff/tokens"])
def test_the_facility_desk_in_english(app, client, english_world, staff_a, path):
    login(client, staff_a.email)
    response = client.get(path)
    assert response.status_code == 200
    assert indonesian_in(response.get_data(as_text=True), NAMES) == []


@pytest.mark.parametrize("path", ["/admin/", "/admin/orders", "/admin/reports/",
                                  "/admin/payments/", "/admin/promotions/"])
def test_the_kanwil_screens_in_english(client, english_world, admin, path):
    login(client, admin.email)
    response = client.get(path)
    assert response.status_code == 200
    assert indonesian_in(response.get_data(as_text=True), NAMES) == []


def test_api_errors_follow_accept_language(client):
    english = client.get("/api/v1/products?min_price=x", headers={"Accept-Language": "en"})
    indonesian = client.get("/api/v1/products?min_price=x")
    assert english.status_code == indonesian.status_code == 400
    assert english.get_json()["error"]["code"] == indonesian.get_json()["error"]["code"]
    assert indonesian_in(english.get_json()["error"]["message"]) == []
    assert english.get_json()["error"]["message"] != indonesian.get_json()["error"]["message"]


def test_an_english_buyer_gets_english_mail_and_the_facility_indonesian(
        app, gen_facility, gen_product, gen_rates, gen_order):
    from sqlalchemy import select

    from shop.extensions import db
    from shop.mail.models import OutboxMessage
    from shop.orders.services import mark_paid

    facility = gen_rates(gen_facility(slug="lapas-ternate", name="Lapas Ternate",
                                      email="lapas@ternate.test"))
    product = gen_product(facility=facility, name="Sambal Roa", price=45_000, stock=5)
    with app.test_request_context("/checkout", headers={"Cookie": "lang=en"}):
        order, _token = gen_order({product: 1})
    assert order.language == "en"
    assert mark_paid(order) == "paid"
    db.session.commit()
    mails = {m.to_address: m for m in db.session.scalars(select(OutboxMessage))}
    buyer, staff = mails["budi@example.com"], mails["lapas@ternate.test"]
    assert indonesian_in(buyer.subject + " " + buyer.text_body, NAMES) == []
    assert order.number in buyer.subject
    assert "Pesanan baru" in staff.subject  # the facility's staff read Indonesian


def test_order_lines_keep_the_english_name_for_english_readers(
        app, client, gen_facility, gen_product, gen_rates, gen_order):
    from sqlalchemy import select

    from shop.extensions import db
    from shop.mail.models import OutboxMessage
    from shop.orders.services import mark_paid

    facility = gen_rates(gen_facility(slug="lapas-ternate", name="Lapas Ternate",
                                      email="lapas@ternate.test"))
    product = gen_product(facility=facility, name="Sambal Roa", name_en="Smoked Fish Chilli",
                          price=45_000, stock=5)
    with app.test_request_context("/checkout", headers={"Cookie": "lang=en"}):
        order, token = gen_order({product: 2})
    assert [line.product_name_en for fo in order.facility_orders for line in fo.lines] == [
        "Smoked Fish Chilli"]
    product.name_en = "Renamed Later"  # the line keeps the name as bought
    mark_paid(order)
    db.session.commit()
    mails = {m.to_address: m for m in db.session.scalars(select(OutboxMessage))}
    assert "x Smoked Fish Chilli: Rp90.000" in mails["budi@example.com"].text_body
    assert "Sambal Roa" in mails["lapas@ternate.test"].text_body  # the staff's language
    assert "Smoked Fish Chilli" not in mails["lapas@ternate.test"].text_body

    client.set_cookie("lang", "en")
    page = client.get(f"/orders/{order.number}?token={token}").get_data(as_text=True)
    assert "Smoked Fish Chilli" in page and "Renamed Later" not in page
    client.set_cookie("lang", "id")
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "Sambal Roa" in page and "Smoked Fish Chilli" not in page

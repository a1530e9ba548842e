"""WhatsApp questions and shares, link previews (Open Graph), and where to pick up: on the
product page, the checkout, the order page and the pickup mail; the Kanwil sets the number
and the map point."""

import re
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from flask import render_template

from shop.core.contact_links import geo_uri, osm_url, whatsapp_chat_url, whatsapp_share_url
from tests.factories import PASSWORD, login


@pytest.fixture
def unit(gen_facility, gen_rates):
    return gen_rates(gen_facility(
        slug="lapas-tobelo", name="Lapas Kelas IIB Tobelo", address="Jl. Raya Gorua No. 1, Tobelo",
        opening_hours="Senin–Jumat 08.00–15.00 WIT", whatsapp="+6281200000107",
        latitude=1.742, longitude=127.989))


@pytest.fixture
def bricks(unit, gen_product):
    return gen_product(facility=unit, slug="batu-bata-merah", name="Batu Bata & Semen 50%",
                       price=1_500, image=True)


def _hrefs(html, text):
    return [unescape(h) for h in re.findall(rf'href="([^"]+)"[^>]*>{re.escape(text)}<', html)]


def test_whatsapp_links_encode_the_number_and_the_text():
    url = whatsapp_chat_url("0812-0000-0107", "Halo & tanya: 50% / #1?")
    assert url.startswith("https://wa.me/6281200000107?text=")
    assert parse_qs(urlsplit(url).query)["text"] == ["Halo & tanya: 50% / #1?"]
    assert whatsapp_chat_url("12345", "x") is None and whatsapp_chat_url("", "x") is None
    share = whatsapp_share_url("Sambal roa https://toko.test/products/a?b=1&c=2")
    assert share.startswith("https://wa.me/?text=") and "&c" not in share
    assert unquote(share.split("text=")[1]).endswith("?b=1&c=2")
    assert osm_url(1.742, 127.989) == ("https://www.openstreetmap.org/?mlat=1.742000"
                                       "&mlon=127.989000#map=17/1.742000/127.989000")
    assert geo_uri(1.742, 127.989, "Lapas Tobelo").startswith("geo:1.742000,127.989000?q=")
    assert osm_url(None, 1) is None and osm_url(91, 0) is None


def test_product_page_asks_and_shares_on_whatsapp(client, bricks, app):
    html = client.get("/products/batu-bata-merah").get_data(as_text=True)
    ask = _hrefs(html, "Tanya via WhatsApp")[0]
    assert ask.startswith("https://wa.me/6281200000107?text=")
    text = parse_qs(urlsplit(ask).query)["text"][0]
    assert "Batu Bata & Semen 50%" in text and "/products/batu-bata-merah" in text
    share = _hrefs(html, "Bagikan")[0]
    assert share.startswith("https://wa.me/?text=")
    shared = parse_qs(urlsplit(share).query)["text"][0]
    assert "Batu Bata & Semen 50%" in shared and "Rp1.500" in shared
    assert shared.endswith(app.config["SHOP_BASE_URL"].rstrip("/") + "/products/batu-bata-merah")
    assert 'src="/static/js/share.js' in html


def test_product_page_has_open_graph_photo_name_and_price(client, bricks, app):
    html = client.get("/products/batu-bata-merah").get_data(as_text=True)
    meta = {m[0]: unescape(m[1]) for m in re.findall(
        r'<meta (?:property|name)="((?:og|twitter|product):[^"]+)" content="([^"]*)"', html)}
    base = app.config["SHOP_BASE_URL"].rstrip("/")
    assert meta["og:title"] == "Batu Bata & Semen 50% · Rp1.500"
    assert "Rp1.500" in meta["og:description"] and "Lapas Kelas IIB Tobelo" in meta[
        "og:description"]
    assert meta["og:image"].startswith(base + "/") and meta["og:image"].endswith(".webp")
    assert client.get(meta["og:image"][len(base):]).status_code == 200
    assert meta["og:url"] == base + "/products/batu-bata-merah"
    assert meta["product:price:amount"] == "1500" and meta["product:price:currency"] == "IDR"
    assert meta["twitter:card"] == "summary_large_image"


def test_product_page_shows_where_to_pick_up(client, bricks):
    html = client.get("/products/batu-bata-merah").get_data(as_text=True)
    assert "Jl. Raya Gorua No. 1, Tobelo" in html and "Senin–Jumat 08.00–15.00 WIT" in html
    assert _hrefs(html, "Lihat peta")[0].startswith(
        "https://www.openstreetmap.org/?mlat=1.742000&mlon=127.989000")
    assert _hrefs(html, "Buka di aplikasi peta")[0].startswith("geo:1.742000,127.989000")


def test_no_whatsapp_number_no_whatsapp_button(client, gen_facility, gen_product):
    gen_product(facility=gen_facility(slug="tanpa-wa"), slug="produk-tanpa-wa")
    html = client.get("/products/produk-tanpa-wa").get_data(as_text=True)
    assert "wa.me/62" not in html and "https://wa.me/?text=" in html  # sharing still works


def test_order_page_asks_about_the_parcel_and_shows_the_pickup_place(client, bricks, gen_order):
    order, token = gen_order({bricks: 10})
    html = client.get(f"/orders/{order.number}?token={token}").get_data(as_text=True)
    ask = _hrefs(html, "Tanya via WhatsApp")[0]
    text = parse_qs(urlsplit(ask).query)["text"][0]
    assert ask.startswith("https://wa.me/6281200000107?") and f"{order.number}-1" in text
    assert "Jl. Raya Gorua No. 1, Tobelo" in html
    assert _hrefs(html, "Lihat peta")


def test_paid_order_confirmation_has_a_share_link_without_private_data(
        client, bricks, gen_order, db_session):
    order, token = gen_order({bricks: 10})
    order.status = "paid"
    db_session.commit()
    html = client.get(f"/orders/{order.number}?token={token}").get_data(as_text=True)
    share = _hrefs(html, "Bagikan Etalase Binaan")[0]
    shared = parse_qs(urlsplit(share).query)["text"][0]
    assert share.startswith("https://wa.me/?text=")
    assert order.number not in shared and token not in shared and order.email not in shared


def test_checkout_shows_the_pickup_address_hours_and_map(client, bricks):
    client.post("/cart/add", data={"product": "batu-bata-merah", "quantity": "10"})
    html = client.get("/checkout").get_data(as_text=True)
    assert "Alamat dan jam ambil di Lapas Kelas IIB Tobelo" in html
    assert "Jl. Raya Gorua No. 1, Tobelo" in html and _hrefs(html, "Lihat peta")


def test_pickup_mail_has_street_hours_and_map_link(app, bricks, gen_order):
    order, _token = gen_order({bricks: 10})
    with app.test_request_context():
        text = render_template("emails/pickup_order_placed.txt", order=order)
        html = render_template("emails/pickup_order_placed.html", order=order)
    assert "Jl. Raya Gorua No. 1, Tobelo (Senin–Jumat 08.00–15.00 WIT)" in text
    assert "Peta: https://www.openstreetmap.org/?mlat=1.742000" in text
    assert "WhatsApp: https://wa.me/6281200000107" in text
    assert ">Lihat peta</a>" in html


def test_kanwil_sets_whatsapp_regency_code_and_map_point(client, admin, unit, db_session):
    login(client, admin.email, PASSWORD)
    url = f"/admin/manage/facilities/{unit.slug}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="1.742, 127.989"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "name": unit.name, "kind": "lapas", "facility_class": "IIB",
            "town": "Tobelo", "regency": "Kabupaten Halmahera Utara", "address": unit.address,
            "opening_hours": unit.opening_hours, "premi_percent": "50", "pnbp_percent": "15",
            "capital_percent": "35", "whatsapp": "0812 9999 0001", "regency_code": "82.03",
            "map_point": "1.7433, 127.9901"}
    assert client.post(url, data=form).status_code == 302
    db_session.refresh(unit)
    assert (unit.whatsapp, unit.regency_code, unit.latitude, unit.longitude) == (
        "+6281299990001", "82.03", 1.7433, 127.9901)
    bad = client.post(url, data={**form, "whatsapp": "12345", "regency_code": "99.99",
                                 "map_point": "200, 1"})
    html = bad.get_data(as_text=True)
    assert bad.status_code in (400, 422) or "Nomor WhatsApp diawali" in html
    assert "Nomor WhatsApp diawali" in html and "Kode kabupaten/kota tidak dikenal" in html
    assert "Tulis lintang dan bujur" in html
    db_session.refresh(unit)
    assert unit.whatsapp == "+6281299990001"  # nothing changed

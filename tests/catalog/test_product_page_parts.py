"""The product page reads its product as plain rows (shop/catalog/product_page.py) and keeps its
fixed parts per process under that view (shop.core.templating.kept): every edit a visitor would
see shows at once, in both languages, while stock and promotions are filled per request."""

import re

import pytest

from shop.catalog.product_page import ProductView
from shop.catalog.queries import get_visible_product
from shop.extensions import db


def page(client, product):
    response = client.get(f"/products/{product.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def kept_parts(app):
    return app.extensions.get("shop.kept_parts", {})


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda p, f: setattr(p, "name", "Sambal Roa Baru"), "<h1>Sambal Roa Baru</h1>"),
        (lambda p, f: setattr(p, "description", "Pedas sekali.\nTanpa pengawet."),
         "<p>Pedas sekali.</p><p>Tanpa pengawet.</p>"),
        (lambda p, f: setattr(p, "price", 47_500), "Rp47.500"),
        (lambda p, f: setattr(p, "unit", "bottle"), "Jumlah (botol)"),
        (lambda p, f: setattr(p, "weight_grams", 1500), "1.5 kg"),
        (lambda p, f: setattr(p, "pirt_number", "2068271010123-26"), "2068271010123-26"),
        (lambda p, f: (setattr(p, "is_flagship", True), setattr(p, "flagship_year", 2026)),
         "Produk Unggulan 2026"),
        (lambda p, f: setattr(f, "name", "Lapas Ganti Nama"), "Lapas Ganti Nama"),
        (lambda p, f: setattr(f, "whatsapp", "+6281234567890"), "wa.me/6281234567890"),
        (lambda p, f: setattr(f, "opening_hours", "Senin-Jumat 08.00-15.00"),
         "Senin-Jumat 08.00-15.00"),
        (lambda p, f: setattr(f, "programmes", "Menjahit\nPertukangan kayu"),
         "Menjahit, Pertukangan kayu"),
        (lambda p, f: setattr(p.category, "name", "Sambal & Bumbu"), "Sambal &amp; Bumbu"),
    ],
    ids=["name", "description", "price", "unit", "weight", "pirt", "flagship", "facility-name",
         "whatsapp", "hours", "programmes", "category"],
)
def test_an_edit_shows_on_the_product_page_at_once(app, client, gen_product, change, shown):
    product = gen_product(name="Sambal Roa", price=35_000, unit="jar", weight_grams=0)
    before = page(client, product)
    assert shown not in before
    assert kept_parts(app), "the page's fixed parts are kept"
    change(product, product.facility)
    db.session.commit()
    after = page(client, product)
    assert shown in after


def test_a_new_photo_shows_on_the_product_page(client, gen_product):
    from shop.catalog.services import add_product_image
    from tests.factories import png_bytes

    product = gen_product()
    assert 'class="no-photo large"' in page(client, product)
    add_product_image(product, png_bytes(), alt_text="Foto samping", alt_text_en="Side view")
    db.session.commit()
    html = page(client, product)
    assert 'class="no-photo large"' not in html
    assert 'alt="Foto samping"' in html
    assert re.search(r'<meta property="og:image" content="[^"]+/large\.webp">', html)
    client.set_cookie("lang", "en")
    assert 'alt="Side view"' in page(client, product)


def test_each_language_has_its_own_parts(client, gen_product):
    product = gen_product(name="Tas Rajut", name_en="Knitted Bag", description="Tas dari benang.",
                          description_en="A bag of yarn.")
    indonesian = page(client, product)
    client.set_cookie("lang", "en")
    english = page(client, product)
    assert "<h1>Tas Rajut</h1>" in indonesian and "Tas dari benang." in indonesian
    assert "<h1>Knitted Bag</h1>" in english and "A bag of yarn." in english
    assert "Add to cart" in english and "Tambah ke keranjang" not in english
    client.set_cookie("lang", "id")
    assert page(client, product) == indonesian


def test_stock_is_filled_per_request_around_the_kept_parts(client, gen_product):
    product = gen_product(stock=10)
    html = page(client, product)
    assert "Tersedia" in html and 'max="10"' in html and 'class="add-form"' in html
    product.stock = 3
    db.session.commit()
    html = page(client, product)
    assert "Tinggal 3" in html and 'max="3"' in html
    product.stock = 0
    db.session.commit()
    html = page(client, product)
    assert "Habis" in html
    assert 'class="add-form"' not in html  # the add-to-cart form only while in stock


def test_the_view_compares_by_what_the_page_shows(app, gen_product):
    product = gen_product(stock=5, name="Kotak Tisu Jati")
    with app.test_request_context("/"):
        first = get_visible_product(product.slug)
        assert isinstance(first, ProductView)
        product.stock = 4  # stock is shown through markers filled per request
        db.session.commit()
        second = get_visible_product(product.slug)
        assert second == first and hash(second) == hash(first) and second.stock == 4
        product.name = "Kotak Tisu Jati Besar"
        db.session.commit()
        assert get_visible_product(product.slug) != first


def test_kept_parts_are_bounded(app, client, gen_product, monkeypatch):
    from shop.core import templating

    monkeypatch.setattr(templating, "KEPT_PARTS", 4)
    products = [gen_product() for _ in range(5)]
    for product in products:
        page(client, product)
    assert len(kept_parts(app)) == 4
    assert 'class="add-form"' in page(client, products[0])  # dropped, rendered again

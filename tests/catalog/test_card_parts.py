"""A card's fixed parts are kept per process (shop/catalog/cards.py `_fixed`), keyed on what the
card shows: every edit a visitor would see on a card shows at once, in both languages."""

import re

import pytest

from shop.extensions import db


def card(client, slug, path="/products"):
    html = client.get(path).get_data(as_text=True)
    match = re.search(rf'<article class="card" id="p-{slug}">.*?</article>', html, re.S)
    assert match, f"no card for {slug} on {path}"
    return match.group(0)


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda p, f: setattr(p, "name", "Sambal Roa Baru"), "Sambal Roa Baru"),
        (lambda p, f: setattr(p, "price", 47_500), "Rp47.500"),
        (lambda p, f: setattr(p, "unit", "bottle"), "/ botol"),
        (lambda p, f: (setattr(p, "is_flagship", True), setattr(p, "flagship_year", 2026)),
         "Unggulan 2026"),
        (lambda p, f: setattr(f, "name", "Lapas Ganti Nama"), "Lapas Ganti Nama"),
    ],
    ids=["name", "price", "unit", "flagship", "facility-name"],
)
def test_an_edit_shows_on_the_card_at_once(client, gen_product, change, shown):
    product = gen_product(name="Sambal Roa", price=35_000, unit="jar")
    before = card(client, product.slug)
    assert shown not in before
    change(product, product.facility)
    db.session.commit()
    after = card(client, product.slug)
    assert shown in after
    assert 'name="next" value="/products#p-' in after  # the page's own URL, per request


def test_a_new_photo_shows_on_the_card(client, gen_product):
    from shop.catalog.services import add_product_image
    from tests.factories import png_bytes

    product = gen_product()
    assert 'class="no-photo"' in card(client, product.slug)
    add_product_image(product, png_bytes(), alt_text="Foto")
    db.session.commit()
    html = card(client, product.slug)
    assert 'class="no-photo"' not in html
    assert re.search(r'<img src="/media/[0-9a-f]+/thumb\.webp"', html)


def test_each_language_and_page_has_its_own_card(client, gen_product):
    product = gen_product(name="Tas Rajut", name_en="Knitted Bag", unit="piece")
    indonesian = card(client, product.slug)
    client.set_cookie("lang", "en")
    english = card(client, product.slug)
    assert ">Tas Rajut<" in indonesian and "/ buah" in indonesian
    assert ">Knitted Bag<" in english and "/ piece" in english
    assert "Add Knitted Bag (1 piece) to cart" in english
    searched = card(client, product.slug, "/products?q=rajut")
    assert re.search(r'name="next" value="/products\?q=rajut[^"#]*#p-tas-rajut"', searched)


def test_stock_is_filled_per_request_around_the_kept_parts(client, gen_product):
    product = gen_product(stock=10)
    assert "Tersedia" in card(client, product.slug)
    product.stock = 0
    db.session.commit()
    sold_out = card(client, product.slug)
    assert "Habis" in sold_out
    assert 'class="card-add"' not in sold_out  # the add-to-cart form only while in stock


def test_a_page_served_once_shows_the_cards_the_cache_would(app, client, gen_product):
    """A page served once (no page cache) writes each card's stock in place; a page the cache
    keeps has markers, filled per request: the visitor gets the same HTML either way, in stock,
    low, sold out, with and without the facility's name, in both languages."""
    from shop.core.cache import clear_pages

    first = gen_product(name="Sambal Roa", stock=50, is_flagship=True, flagship_year=2025)
    gen_product(name="Tas Rajut", stock=3, is_flagship=True, flagship_year=2025)
    gen_product(name="Kursi Jati", stock=0, is_flagship=True, flagship_year=2025)
    urls = ["/products", "/", f"/facilities/{first.facility.slug}", f"/products/{first.slug}",
            "/products?sort=price_asc&page=1"]

    def pages():
        # (the CSRF token is signed with the time: a second may pass between requests)
        return [re.sub(r'name="csrf_token" value="[^"]*"', "", client.get(u).get_data(as_text=True))
                for u in urls]

    for lang in ("id", "en"):
        client.set_cookie("lang", lang)
        once = pages()
        app.config["CATALOG_CACHE_SECONDS"] = 60
        clear_pages()
        try:
            missed, hit = pages(), pages()
        finally:
            app.config["CATALOG_CACHE_SECONDS"] = 0
            clear_pages()
        assert once == missed == hit
        listed = once[0]
        for shown in (("Tersedia", "Tinggal 3", "Habis") if lang == "id"
                      else ("In stock", "Only 3 left", "Sold out")):
            assert shown in listed
        assert listed.count('class="card-add"') == 2  # no form for the sold-out one
        assert "<!--stock" not in listed

"""Promotions where buyers look: the home strip, struck prices and code tags on cards and the
product page, the truth about what is left on the promotion page, and the page cache."""

import re

from shop.core.money import format_rupiah


def _text(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_automatic_percent_shows_struck_and_promotional_price(client, goods, gen_promotion):
    promo = gen_promotion(value=20, targets=[goods.roa], name="Pekan Roa")
    detail = _text(client.get("/products/sambal-roa"))
    assert re.search(r"<del>.*Rp45\.000</del>", detail)
    assert format_rupiah(36_000) in detail  # 45.000 - 20%
    assert f'href="/promo/{promo.slug}"' in detail
    listing = _text(client.get("/products"))
    card = listing.split('href="/products/sambal-roa"')[1].split("</article>")[0]
    assert "<del>" in card and "Rp36.000" in card
    other = listing.split('href="/products/kue-sagu"')[1].split("</article>")[0]
    assert "<del>" not in other and "promo-tag" not in other


def test_code_promotion_shows_its_code_tag(client, goods, gen_promotion):
    promo = gen_promotion(code="BINAAN20", value=20, name="Binaan Dua Puluh")
    detail = _text(client.get("/products/tas-anyaman"))
    assert "kode BINAAN20 −20%" in detail
    assert "<del>" not in detail  # a code is not a price for everyone
    home = _text(client.get("/"))
    strip = home.split('id="promo-strip-title"')[1].split("</section>")[0]
    assert f'href="/promo/{promo.slug}"' in strip and "Binaan Dua Puluh" in strip


def test_single_use_codes_and_unapproved_promotions_are_not_advertised(client, goods,
                                                                         gen_promotion):
    gen_promotion(single_use_codes=["RAHASIA1"], value=15, name="Kode Unik")
    gen_promotion(value=30, approval="pending", name="Belum Disetujui")
    home = _text(client.get("/"))
    assert "promo-strip" not in home
    assert "promo-tag" not in _text(client.get("/products"))


def test_used_up_promotion_disappears(client, goods, gen_promotion):
    gen_promotion(value=20, max_uses=5, uses=5, name="Habis")
    assert "<del>" not in _text(client.get("/products/sambal-roa"))


def test_promotion_page_says_what_is_left(client, goods, gen_promotion):
    limited = gen_promotion(value=10, max_uses=10, uses=3, budget=100_000,
                            discount_given=40_000)
    page = _text(client.get(f"/promo/{limited.slug}"))
    assert "Sisa kuota: 7 dari 10 pemakaian." in page
    assert "Sisa anggaran promo: Rp60.000 dari Rp100.000." in page
    unlimited = gen_promotion(value=10)
    page = _text(client.get(f"/promo/{unlimited.slug}"))
    assert "Tanpa batas." in page and "(0)" not in page


def test_cached_pages_show_a_new_promotion_at_once(app, client, goods, gen_promotion,
                                                   monkeypatch):
    from shop.core.cache import clear_pages

    monkeypatch.setitem(app.config, "CATALOG_CACHE_SECONDS", 300)  # back to 0 after the test
    clear_pages()
    first = client.get("/products/sambal-roa")
    assert "<del>" not in _text(first)
    assert client.get("/products/sambal-roa").headers.get("X-Cache") == "HIT"
    gen_promotion(value=20, targets=[goods.roa])
    again = client.get("/products/sambal-roa")
    assert again.headers.get("X-Cache") == "MISS"
    assert "Rp36.000" in _text(again)


def test_cart_names_every_applied_promotion_with_its_amount(client, goods, gen_promotion):
    from tests.promotions.test_rules import page_with_code

    gen_promotion(value=10, targets=[goods.tas], combinable=True, name="Anyaman Sepuluh")
    gen_promotion(code="BINAAN20", value=20, targets=[goods.ternate], name="Binaan Dua Puluh")
    html = page_with_code(client, {goods.roa: 2, goods.tas: 1}, "binaan20")
    box = html.split('class="promo-box"')[1].split("</section>")[0]
    assert re.search(r"Anyaman Sepuluh: <strong>-Rp15\.000</strong>", box)  # 10% of 150.000
    assert re.search(r"Binaan Dua Puluh: <strong>-Rp18\.000</strong>", box)  # 20% of 90.000
    total = html.split('class="cart-summary')[1]
    assert format_rupiah(240_000 - 15_000 - 18_000) in total


def test_cart_names_an_automatic_free_shipping_promotion(client, goods, gen_promotion):
    from tests.promotions.test_rules import page_with_code

    promo = gen_promotion(benefit="free_shipping", value=0, name="Ongkir Nol")
    html = page_with_code(client, {goods.roa: 1}, "TIDAKADA")
    box = html.split('class="promo-box"')[1].split("</section>")[0]
    assert (f'href="/promo/{promo.slug}">Ongkir Nol</a>: '
            "gratis ongkir kurir, dihitung di checkout") in box

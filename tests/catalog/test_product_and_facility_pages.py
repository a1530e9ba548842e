"""Product and facility pages, and the home page, as a visitor reads them."""

import re


def text_of(response):
    return response.get_data(as_text=True)


def test_product_page_shows_what_a_buyer_checks(client, catalogue, gen_product):
    roa = catalogue["products"]["roa"]
    gen_product(facility=roa.facility, category=roa.category, name="Sambal Cakalang",
                 slug="sambal-cakalang", image=True)
    html = text_of(client.get("/products/sambal-roa-original"))
    assert "<h1>Sambal Roa Original</h1>" in html
    assert "Rp45.000" in html and "per toples" in html
    assert "Tersedia" in html
    assert "Produk Unggulan 2025" in html
    assert "2098271010123-29" in html and "ID8211" in html  # P-IRT and halal numbers
    assert "250 g" in html
    assert 'href="/facilities/lpp-ternate"' in html
    assert "Lainnya dari Lapas Perempuan Kelas III Ternate" in html
    assert 'href="/products/sambal-cakalang"' in html  # more from the same facility
    assert 'href="/products/sambal-roa-original"' not in html.split("more-title")[1]


def test_stock_states(client, catalogue):
    assert "Habis" in text_of(client.get("/products/sambal-roa-pedas"))
    assert "Tinggal 3" in text_of(client.get("/products/tas-rajut"))


def test_stock_states_follow_the_configured_threshold(app, client, catalogue, monkeypatch):
    """Every page uses the one rule (shop.catalog.stock.stock_state): with a threshold of 20,
    14 in stock is low on the product page and on the cards; with 2, 3 is not low any more."""
    monkeypatch.setitem(app.config, "LOW_STOCK_THRESHOLD", 20)
    assert "Tinggal 14" in text_of(client.get("/products/kotak-tisu-jati"))
    assert "Tinggal 14" in text_of(client.get("/products?facility=lapas-sanana"))
    assert "Tinggal 14" in text_of(client.get("/facilities/lapas-sanana"))
    monkeypatch.setitem(app.config, "LOW_STOCK_THRESHOLD", 2)
    for url in ("/products/tas-rajut", "/products?q=rajut"):
        html = text_of(client.get(url))
        assert "Tinggal 3" not in html and "Tersedia" in html


def test_gallery_has_alt_text_and_lazy_thumbnails(client, gen_product):
    product = gen_product(name="Kursi Jati", slug="kursi-jati", image=True)
    html = text_of(client.get("/products/kursi-jati"))
    assert 'alt="Foto Kursi Jati"' in html
    stem = product.images[0].storage_key.split(".")[0]
    assert f'src="/media/{stem}/card.webp"' in html
    listing = text_of(client.get("/products"))
    assert f'src="/media/{stem}/thumb.webp"' in listing and 'loading="lazy"' in listing


def test_hidden_products_are_not_found(client, catalogue):
    for slug in ["kotak-draf", "kotak-arsip", "kotak-lapas-tutup", "tidak-ada"]:
        response = client.get(f"/products/{slug}")
        assert response.status_code == 404
        assert "Halaman tidak ditemukan" in text_of(response)


def test_facility_list_shows_units_and_target(client, catalogue):
    html = text_of(client.get("/facilities"))
    assert "Lapas Perempuan Kelas III Ternate" in html and "Lapas Kelas IIB Sanana" in html
    assert "Lapas Tutup" not in html
    # Ternate has two active 2025 flagships, Sanana one.
    assert "Memenuhi target unggulan 2025 (2/2)" in html
    assert "Belum memenuhi target unggulan 2025 (1/2)" in html


def test_facility_page(client, catalogue):
    html = text_of(client.get("/facilities/lapas-sanana"))
    assert "<h1>Lapas Kelas IIB Sanana</h1>" in html
    assert "Kelas IIB" in html and "Kabupaten Kepulauan Sula" in html
    assert 'href="/products/kotak-tisu-jati"' in html
    assert "kotak-draf" not in html and "kotak-arsip" not in html
    assert client.get("/facilities/lapas-tutup").status_code == 404
    assert client.get("/facilities/tidak-ada").status_code == 404


def test_flagship_target_counts_only_active_products_of_the_target_year(
    client, app, gen_facility, gen_category, gen_product
):
    facility = gen_facility(slug="lapas-target", name="Lapas Target")
    gen_product(facility=facility, is_flagship=True, flagship_year=2025)
    gen_product(facility=facility, is_flagship=True, flagship_year=2025, status="archived")
    gen_product(facility=facility, is_flagship=True, flagship_year=2024)
    gen_product(facility=facility)
    html = text_of(client.get("/facilities/lapas-target"))
    assert "Belum memenuhi target unggulan 2025 (1/2)" in html
    gen_product(facility=facility, is_flagship=True, flagship_year=2025)
    html = text_of(client.get("/facilities/lapas-target"))
    assert "Memenuhi target unggulan 2025 (2/2)" in html
    app.config["FLAGSHIP_TARGET_YEAR"] = 2024
    try:
        assert "(1/2)" in text_of(client.get("/facilities/lapas-target"))
    finally:
        app.config["FLAGSHIP_TARGET_YEAR"] = 2025


def test_home_page(client, catalogue):
    html = text_of(client.get("/"))
    assert "Produk karya warga binaan Maluku Utara" in html
    assert "UMKM" in html
    assert 'role="search"' in html
    # flagship products grouped under their facility's heading
    groups = re.findall(r'class="group-title"><a href="/facilities/([^"]+)"', html)
    assert groups == ["lapas-sanana", "lpp-ternate"]
    assert 'href="/products/sambal-roa-original"' in html
    assert 'href="/products/sambal-roa-pedas"' not in html  # not flagship
    assert 'href="/products?category=makanan-minuman"' in html
    assert 'href="/facilities/lapas-sanana"' in html


def test_language_switch_sets_cookie_and_returns(client, catalogue):
    response = client.get("/lang/en?next=/products/sambal-roa-original")
    assert response.status_code == 302
    assert response.headers["Location"] == "/products/sambal-roa-original"
    html = text_of(client.get("/products/sambal-roa-original"))
    assert '<html lang="en">' in html
    assert "<h1>Smoked Fish Chilli</h1>" in html  # English field shown when chosen
    assert "Bahasa Indonesia" in html
    client.get("/lang/id")
    assert "<h1>Sambal Roa Original</h1>" in text_of(client.get("/products/sambal-roa-original"))


def test_language_switch_never_redirects_off_site(client):
    for target in ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"]:
        response = client.get("/lang/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_security_headers(client, catalogue):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # no inline script: only the shop's own files (the pages work without them too)
    scripts = re.findall(r"<script[^>]*>", text_of(response))
    assert scripts and all(re.fullmatch(r'<script src="/static/js/[\w-]+\.js\?v=\w+" defer>', tag)
                           for tag in scripts), scripts

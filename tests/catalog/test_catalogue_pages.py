"""The catalogue page: what a visitor sees for each filter, sort and page."""

import re

import pytest

VISIBLE = ["sambal-roa-original", "sambal-roa-pedas", "tas-rajut", "kotak-tisu-jati"]


def listed_slugs(response):
    html = response.get_data(as_text=True)
    section = html.split('class="results"', 1)[1]
    slugs = re.findall(r'<a class="card-link" href="/products/([^"]+)"', section)
    return slugs


def result_count(response):
    match = re.search(r'id="result-count"[^>]*>(\d+) produk ditemukan', response.get_data(True))
    return int(match.group(1))


def test_lists_only_active_products_of_active_facilities_newest_first(client, catalogue):
    response = client.get("/products")
    assert response.status_code == 200
    assert listed_slugs(response) == ["kotak-tisu-jati", "tas-rajut", "sambal-roa-pedas",
                                      "sambal-roa-original"]
    assert result_count(response) == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=roa", ["sambal-roa-pedas", "sambal-roa-original"]),
        ("q=ROA+ORIGINAL", ["sambal-roa-original"]),
        ("q=Smoked", ["sambal-roa-original"]),  # English name is searched too
        ("q=100%25", ["sambal-roa-original"]),  # % is literal
        ("q=stok_terbatas", ["sambal-roa-pedas"]),  # _ is literal
        ("q=%25", []),  # punctuation alone is no word: nothing (shop/catalog/search.py)
        ("q=_", []),
        ("q=%C2%AB+ukir", ["kotak-tisu-jati"]),  # Unicode punctuation
        ("q=Kotak", ["kotak-tisu-jati"]),  # drafts, archived, inactive facility hidden
        ("facility=lpp-ternate", ["tas-rajut", "sambal-roa-pedas", "sambal-roa-original"]),
        ("category=sambal", ["sambal-roa-pedas", "sambal-roa-original"]),
        ("category=makanan-minuman", ["sambal-roa-pedas", "sambal-roa-original"]),  # subtree
        ("flagship=1", ["kotak-tisu-jati", "tas-rajut", "sambal-roa-original"]),
        ("in_stock=1", ["kotak-tisu-jati", "tas-rajut", "sambal-roa-original"]),
        ("min_price=50000", ["kotak-tisu-jati", "tas-rajut", "sambal-roa-pedas"]),
        ("max_price=50000", ["sambal-roa-pedas", "sambal-roa-original"]),
        ("min_price=46000&max_price=160000", ["kotak-tisu-jati", "sambal-roa-pedas"]),
        ("facility=lpp-ternate&flagship=1&in_stock=1", ["tas-rajut", "sambal-roa-original"]),
        ("sort=price_asc", ["sambal-roa-original", "sambal-roa-pedas", "kotak-tisu-jati",
                            "tas-rajut"]),
        ("sort=price_desc", ["tas-rajut", "kotak-tisu-jati", "sambal-roa-pedas",
                             "sambal-roa-original"]),
        ("sort=name", ["kotak-tisu-jati", "sambal-roa-pedas", "sambal-roa-original",
                       "tas-rajut"]),
        ("facility=lapas-tutup", []),
        ("facility=tidak-ada", []),
    ],
)
def test_filters_and_sorts(client, catalogue, query, expected):
    response = client.get(f"/products?{query}")
    assert response.status_code == 200
    assert listed_slugs(response) == expected
    assert result_count(response) == len(expected)


def test_empty_state_helps(client, catalogue):
    html = client.get("/products?q=tidak-ada-barang").get_data(as_text=True)
    assert "0 produk ditemukan" in html
    assert "Tidak ada produk yang cocok" in html
    assert 'href="/products?flagship=1"' in html


def test_paging_keeps_filters(client, gen_product, gen_facility):
    facility = gen_facility(slug="lapas-banyak")
    for i in range(30):
        gen_product(facility=facility, name=f"Sayur {i:02d}", price=1000 + i)
    first = client.get("/products?facility=lapas-banyak&sort=price_asc")
    assert result_count(first) == 30
    assert len(listed_slugs(first)) == 24
    html = first.get_data(as_text=True)
    assert "Halaman 1 dari 2" in html
    next_link = re.search(r'<a class="next" rel="next" href="([^"]+)"', html).group(1)
    next_link = next_link.replace("&amp;", "&")
    assert "facility=lapas-banyak" in next_link and "sort=price_asc" in next_link
    second = client.get(next_link)
    assert [s for s in listed_slugs(second)] == [f"sayur-{i:02d}" for i in range(24, 30)]
    assert "Halaman 2 dari 2" in second.get_data(as_text=True)


def test_page_past_the_end_shows_the_last_page(client, catalogue):
    response = client.get("/products?page=999")
    assert response.status_code == 200
    assert len(listed_slugs(response)) == 4


def test_filter_form_reflects_current_filters(client, catalogue):
    html = client.get("/products?facility=lapas-sanana&flagship=1&sort=name").get_data(True)
    assert '<option value="lapas-sanana" selected>' in html
    assert 'id="f-flagship" type="checkbox" name="flagship" value="1" checked' in html
    assert '<option value="name" selected>' in html
    assert "Lapas Tutup" not in html  # inactive facilities are not offered

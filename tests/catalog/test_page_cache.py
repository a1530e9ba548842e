"""The page cache never shows a catalogue older than the last committed change."""

import pytest

from shop.extensions import cache


@pytest.fixture
def caching(app):
    app.config["CATALOG_CACHE_SECONDS"] = 60
    cache.clear()
    yield
    app.config["CATALOG_CACHE_SECONDS"] = 0
    cache.clear()


def test_cached_pages_follow_every_change(client, caching, gen_product, db_session,
                                          count_queries):
    product = gen_product(name="Kotak Tisu Jati", slug="kotak-tisu-jati", price=150_000)
    assert "Rp150.000" in client.get("/products/kotak-tisu-jati").get_data(as_text=True)

    db_session.expunge_all()
    with count_queries() as counter:
        cached = client.get("/products/kotak-tisu-jati")
    assert "Rp150.000" in cached.get_data(as_text=True)
    assert counter.count == 1  # only the catalogue version is read

    product = db_session.merge(product)
    product.price = 175_000
    db_session.commit()
    for url in ["/products/kotak-tisu-jati", "/products", "/api/v1/products/kotak-tisu-jati"]:
        assert "175" in client.get(url).get_data(as_text=True), url

    product.status = "archived"
    db_session.commit()
    assert client.get("/products/kotak-tisu-jati").status_code == 404
    assert client.get("/api/v1/products/kotak-tisu-jati").status_code == 404


def test_cache_is_per_language(client, caching, gen_product):
    gen_product(name="Sambal Roa", name_en="Smoked Fish Chilli", slug="sambal-roa")
    assert "<h1>Sambal Roa</h1>" in client.get("/products/sambal-roa").get_data(as_text=True)
    client.get("/lang/en")
    html = client.get("/products/sambal-roa").get_data(as_text=True)
    assert "<h1>Smoked Fish Chilli</h1>" in html


def test_api_responses_are_cached_as_json(client, caching, gen_product):
    gen_product(slug="kursi")
    first = client.get("/api/v1/products/kursi")
    second = client.get("/api/v1/products/kursi")
    assert second.mimetype == "application/json"
    assert first.get_json() == second.get_json()


def test_an_order_leaves_cached_pages_valid_and_shows_sold_out_at_once(
        client, caching, gen_product, gen_rates, gen_order, db_session, count_queries):
    """Stock is filled per request: an order that sells a product out writes no shared row,
    every cached page stays a cache hit (one query) and shows "Habis" at once."""
    from sqlalchemy import select

    from shop.core.cache import cache_stats
    from shop.core.models import CacheVersion

    product = gen_product(name="Sambal Roa Botol", slug="sambal-roa-botol", stock=2)
    gen_rates(product.facility)
    gen_product(name="Kotak Tisu", slug="kotak-tisu", stock=30, facility=product.facility)
    urls = ["/", "/products", "/products/sambal-roa-botol", "/products/kotak-tisu",
            f"/facilities/{product.facility.slug}", "/api/v1/products/sambal-roa-botol",
            "/api/v1/products"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert "Tersedia" in client.get("/products").get_data(as_text=True)
    version = db_session.scalar(select(CacheVersion.version).where(CacheVersion.name == "catalog"))

    gen_order({db_session.merge(product): 2})  # sells it out
    db_session.expire_all()
    assert db_session.scalar(
        select(CacheVersion.version).where(CacheVersion.name == "catalog")) == version

    before = cache_stats()
    for url in urls[1:4]:
        db_session.expunge_all()
        with count_queries() as counter:
            html = client.get(url).get_data(as_text=True)
        assert counter.count == 1, (url, counter.statements)  # version + stock together
        assert "<!--stock" not in html
        if url != "/products/kotak-tisu":
            assert 'stock-out">Habis<' in html, url
    detail = client.get("/products/sambal-roa-botol").get_data(as_text=True)
    assert "add-form" not in detail  # no add-to-cart form for a sold-out product
    listing = client.get("/products").get_data(as_text=True)
    assert 'value="kotak-tisu"' in listing and 'value="sambal-roa-botol"' not in listing
    api = client.get("/api/v1/products/sambal-roa-botol").get_json()
    assert (api["stock"], api["stock_state"]) == (0, "sold_out")
    items = {p["slug"]: p for p in client.get("/api/v1/products").get_json()["items"]}
    assert items["kotak-tisu"]["stock"] == 30
    assert items["kotak-tisu"]["stock_state"] == "available"
    after = cache_stats()
    assert after["miss"] == before["miss"] and after["hit"] > before["hit"]


def test_in_stock_pages_drop_a_product_that_sold_out(client, caching, gen_product, gen_rates,
                                                     gen_order):
    product = gen_product(name="Kursi Jati", slug="kursi-jati", stock=1)
    gen_rates(product.facility)
    assert "kursi-jati" in client.get("/products?in_stock=1").get_data(as_text=True)
    gen_order({product: 1})
    assert "kursi-jati" not in client.get("/products?in_stock=1").get_data(as_text=True)


def test_cache_keys_are_the_normalised_filter(client, caching, gen_product, count_queries,
                                              db_session):
    gen_product(slug="meja")
    client.get("/products?sort=price_asc&flagship=1")
    for url in ["/products?flagship=1&sort=price_asc",
                "/products?utm_source=wa&sort=price_asc&flagship=1&fbclid=x",
                "/products?flagship=yes&sort=price_asc&page=1"]:
        db_session.expunge_all()
        with count_queries() as counter:
            html = client.get(url).get_data(as_text=True)
        assert counter.count == 1, url
        assert "utm_source" not in html and "fbclid" not in html
    client.get("/products/meja?utm_campaign=x")
    client.get("/api/v1/products?per_page=24&sort=newest&utm_source=x")
    for url in ["/products/meja?ref=y", "/products/meja", "/api/v1/products",
                "/api/v1/products?sort=newest"]:
        db_session.expunge_all()
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        assert counter.count == 1, url
    assert client.get("/api/v1/products?per_page=0").status_code == 400

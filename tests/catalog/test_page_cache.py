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

"""The page cache never shows a catalogue older than the last committed change."""

import pytest

from shop.core.cache import clear_pages


@pytest.fixture
def caching(app):
    app.config["CATALOG_CACHE_SECONDS"] = 60
    clear_pages()
    yield
    app.config["CATALOG_CACHE_SECONDS"] = 0
    clear_pages()


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


def test_each_process_answers_hits_from_its_own_copy(app, client, caching, gen_product,
                                                     db_session, count_queries, monkeypatch):
    """A hit of a page this process served needs no round trip to the shared store (Redis in
    production), still checks the content version, and a change replaces the copy."""
    from shop.extensions import cache

    product = gen_product(name="Kotak Tisu Jati", slug="kotak-tisu-jati", price=150_000)
    assert client.get("/products/kotak-tisu-jati").headers["X-Cache"] == "MISS"
    shared_reads = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key: shared_reads.append(key) or real_get(key))
    db_session.expunge_all()
    with count_queries() as counter:
        hit = client.get("/products/kotak-tisu-jati")
    assert (hit.headers["X-Cache"], counter.count, shared_reads) == ("HIT", 1, [])
    assert "Rp150.000" in hit.get_data(as_text=True)

    db_session.merge(product).price = 175_000
    db_session.commit()
    changed = client.get("/products/kotak-tisu-jati")
    assert changed.headers["X-Cache"] == "MISS" and "Rp175.000" in changed.get_data(as_text=True)
    assert shared_reads == ["page:id:/products/kotak-tisu-jati"]  # asked once, on the change


def test_a_copy_another_process_renders_is_taken_from_the_shared_store(
        client, caching, gen_product, db_session):
    from shop.core import cache as page_cache

    gen_product(slug="meja-jati", price=90_000)
    assert client.get("/products/meja-jati").headers["X-Cache"] == "MISS"
    page_cache._LOCAL.entries.clear()  # as if another worker had rendered it
    assert client.get("/products/meja-jati").headers["X-Cache"] == "HIT"
    page_cache.cache.clear()  # the shared store forgets; this process's copy still answers
    assert client.get("/products/meja-jati").headers["X-Cache"] == "HIT"


def test_local_copies_are_bounded(app, client, caching, gen_product, monkeypatch):
    from shop.core import cache as page_cache

    monkeypatch.setitem(app.config, "CATALOG_LOCAL_PAGES", 2)
    for slug in ("meja", "kursi", "lemari"):
        gen_product(slug=slug)
    for slug in ("meja", "kursi", "lemari"):
        client.get(f"/products/{slug}")
    assert list(page_cache._LOCAL.entries) == ["page:id:/products/kursi",
                                               "page:id:/products/lemari"]
    page_cache.cache.clear()
    assert client.get("/products/meja").headers["X-Cache"] == "MISS"
    assert client.get("/products/lemari").headers["X-Cache"] == "HIT"


def test_a_hit_survives_the_database_dropping_its_connection(client, caching, gen_product,
                                                            db_session):
    """Hits read on the process's own connection; when PostgreSQL drops it (a restart, an
    idle timeout), the next hit opens a new one and still answers."""
    from sqlalchemy import text

    from shop.core import cache as page_cache

    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("terminating a backend needs PostgreSQL")
    gen_product(slug="meja-jati", stock=7)
    client.get("/products/meja-jati")
    assert client.get("/products/meja-jati").headers["X-Cache"] == "HIT"
    pid = page_cache.OWN.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    db_session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    db_session.commit()
    again = client.get("/products/meja-jati")
    assert again.status_code == 200 and again.headers["X-Cache"] == "HIT"
    assert 'value="7"' in again.get_data(as_text=True) or "Tersedia" in again.get_data(
        as_text=True)


def test_threads_of_a_worker_read_on_their_own_connections(app):
    """A threaded worker (GUNICORN_THREADS > 1) never shares the hit's connection."""
    import threading

    from shop.core import cache as page_cache

    seen = []

    def read():
        with app.app_context():
            seen.append(page_cache.OWN._connection())

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert len(seen) == 2 and seen[0] is not seen[1]
    finally:
        for connection in seen:
            connection.close()


def test_a_page_is_never_tagged_newer_than_the_lists_it_shows(client, caching, gen_product,
                                                               db_session, monkeypatch):
    """The live copy of the content version may lag a commit made elsewhere (PostgreSQL): a
    page rendered meanwhile shows the facility list kept for the version the copy knows, and is
    tagged with that same version, so the next request renders it again with the new list."""
    from shop.core import cache as page_cache

    product = gen_product(slug="meja-jati")
    assert ">Lapas Lama</option>" not in client.get("/products").get_data(as_text=True)
    product.facility.name = "Lapas Lama"
    db_session.commit()
    assert ">Lapas Lama</option>" in client.get("/products").get_data(as_text=True)
    lagging = page_cache._version_and_live(())[0]
    product.facility.name = "Lapas Baru"
    db_session.commit()  # a new version the (patched) live copy has not heard of yet
    real = page_cache._version_and_live

    def lagging_copy(ids):
        version, values = real(ids)
        return (lagging if not ids else version), values

    monkeypatch.setattr(page_cache, "_version_and_live", lagging_copy)
    stale = client.get("/products").get_data(as_text=True)
    assert ">Lapas Lama</option>" in stale  # what the process kept for the version it knows
    monkeypatch.setattr(page_cache, "_version_and_live", real)
    fresh = client.get("/products")
    assert fresh.headers["X-Cache"] == "MISS"  # tagged with the older version: rendered again
    assert ">Lapas Baru</option>" in fresh.get_data(as_text=True)

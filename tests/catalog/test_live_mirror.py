"""PostgreSQL: each process keeps the stock and content version of the pages it served, kept by
the database's notifications (shop.core.live_mirror), so a cache hit makes no round trip, and
still shows every committed change: its own at once, another process's as soon as the
database has passed it on."""

import select

import psycopg
import pytest
from sqlalchemy import text

from shop.core import cache as page_cache
from shop.core.cache import clear_pages

PAGE = "/products/meja-jati"


@pytest.fixture
def mirrored(app, db_session):
    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("notifications need PostgreSQL")
    app.config.update(CATALOG_CACHE_SECONDS=60, CATALOG_LIVE_NOTIFY=True)
    page_cache._READER.close()  # the next hit opens a listening connection
    clear_pages()
    yield
    app.config.update(CATALOG_CACHE_SECONDS=0, CATALOG_LIVE_NOTIFY=False)
    page_cache._READER.close()
    clear_pages()


@pytest.fixture
def other_process(db_session):
    """A connection outside this process's engine (no commit this process could count):
    what a write by another worker or host looks like from here."""
    url = db_session.get_bind().url.set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
        yield conn


def stock_text(response):
    html = response.get_data(as_text=True)
    for badge in ("Habis", "Tinggal 1", "Tinggal 2", "Tinggal 3", "Tersedia"):
        if f">{badge}<" in html:
            return badge
    raise AssertionError("no stock badge on the page")


def arrived():
    """Wait (at most 2 s) until something (a notification) is readable on the hit's
    connection."""
    socket = page_cache._READER.mirror.driver.pgconn.socket
    assert select.select([socket], [], [], 2)[0], "no notification within 2 s"


def test_a_hit_from_the_copy_makes_no_round_trip(client, mirrored, gen_product,
                                                 count_queries):
    gen_product(slug="meja-jati", stock=3)
    assert client.get(PAGE).headers["X-Cache"] == "MISS"
    with count_queries() as first:
        assert client.get(PAGE).headers["X-Cache"] == "HIT"  # read once, then kept
    with count_queries() as later:
        hits = [client.get(PAGE) for _ in range(3)]
    assert [h.headers["X-Cache"] for h in hits] == ["HIT"] * 3
    assert stock_text(hits[-1]) == "Tinggal 3"
    assert len([s for s in first.statements if "LISTEN" not in s]) == 1
    assert later.count == 0, later.statements


def test_this_processs_own_commit_shows_at_once(client, mirrored, gen_product, db_session):
    product = gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    assert stock_text(client.get(PAGE)) == "Tinggal 3"
    db_session.execute(text("UPDATE product SET stock = 0 WHERE id = :id"), {"id": product.id})
    db_session.commit()  # no waiting: the hit waits for this process's own news
    assert stock_text(client.get(PAGE)) == "Habis"
    assert stock_text(client.get(PAGE)) == "Habis"


def test_another_processs_stock_change_is_shown_once_notified(client, mirrored, gen_product,
                                                             other_process, count_queries):
    product = gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    client.get(PAGE)
    assert stock_text(client.get(PAGE)) == "Tinggal 3"
    other_process.execute("UPDATE product SET stock = 1 WHERE id = %s", (product.id,))
    arrived()
    with count_queries() as counter:
        hit = client.get(PAGE)
    assert (hit.headers["X-Cache"], stock_text(hit)) == ("HIT", "Tinggal 1")
    assert counter.count == 1  # the changed value is read again, then kept
    with count_queries() as counter:
        assert stock_text(client.get(PAGE)) == "Tinggal 1"
    assert counter.count == 0


def test_another_processs_content_change_renders_the_page_again(client, mirrored, gen_product,
                                                               other_process):
    gen_product(slug="meja-jati", name="Meja Jati", stock=3)
    client.get(PAGE)
    assert client.get(PAGE).headers["X-Cache"] == "HIT"
    other_process.execute("UPDATE product SET name = 'Meja Jati Ukir' WHERE slug = 'meja-jati'")
    other_process.execute("UPDATE cache_version SET version = version + 1 "
                          "WHERE name = 'catalog'")
    arrived()
    again = client.get(PAGE)
    assert again.headers["X-Cache"] == "MISS"
    assert "Meja Jati Ukir" in again.get_data(as_text=True)


def test_nothing_is_trusted_longer_than_catalog_live_seconds(app, client, mirrored,
                                                            gen_product, count_queries):
    app.config["CATALOG_LIVE_SECONDS"] = 0
    try:
        gen_product(slug="meja-jati", stock=3)
        client.get(PAGE)
        client.get(PAGE)
        with count_queries() as counter:
            client.get(PAGE)
        assert counter.count == 1  # kept for 0 s: read every time
    finally:
        app.config["CATALOG_LIVE_SECONDS"] = 5


def test_a_value_read_while_a_change_arrived_is_not_kept(client, mirrored, gen_product):
    gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    client.get(PAGE)
    mirror = page_cache._READER.mirror
    product_id = next(iter(mirror.values))
    epoch = mirror.epoch
    mirror._apply(str(product_id))  # a change arrives while a read is under way
    mirror.remember(mirror.version or 1, {product_id: 99}, epoch)
    assert product_id not in mirror.values
    mirror.remember(mirror.version or 1, {product_id: 2}, mirror.epoch)
    assert mirror.values[product_id][0] == 2


def test_a_dropped_listening_connection_forgets_and_reads_again(
        client, mirrored, gen_product, db_session, other_process):
    product = gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    assert stock_text(client.get(PAGE)) == "Tinggal 3"
    pid = page_cache._READER.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    other_process.execute("SELECT pg_terminate_backend(%s)", (pid,))
    arrived()  # the server's goodbye reached the socket
    # changed while nobody listened: no notification will ever arrive for it
    other_process.execute("UPDATE product SET stock = 2 WHERE id = %s", (product.id,))
    again = client.get(PAGE)
    assert again.status_code == 200 and stock_text(again) == "Tinggal 2"
    assert page_cache._READER.mirror is not None  # listening again on a new connection

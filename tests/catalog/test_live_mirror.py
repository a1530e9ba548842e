"""PostgreSQL: each process keeps the stock and content version of the pages it served, kept by
the database's notifications (shop.core.live_mirror), so a cache hit makes no round trip, and
still shows every committed change: its own at once, another process's as soon as the
database has passed it on."""

import time

import psycopg
import pytest
from sqlalchemy import text

from shop.core.cache import clear_pages
from shop.core.live_mirror import mirror_for, stop_mirror
from shop.extensions import db

PAGE = "/products/meja-jati"


def until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.01)


@pytest.fixture
def mirror(app, db_session):
    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("notifications need PostgreSQL")
    app.config.update(CATALOG_CACHE_SECONDS=60, CATALOG_LIVE_NOTIFY=True)
    stop_mirror()
    clear_pages()
    with app.app_context():
        copy = mirror_for(db.engine, app.config)
    until(lambda: copy.listening)
    yield copy
    app.config.update(CATALOG_CACHE_SECONDS=0, CATALOG_LIVE_NOTIFY=False)
    stop_mirror()
    clear_pages()


@pytest.fixture
def other_process(db_session):
    """A connection outside this process's sessions (no commit this process could count):
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


def applied(mirror, write):
    """Run `write` and wait until the listener has applied what it notified (no hit needed:
    the listener reads notifications whether or not pages are asked for)."""
    before = mirror.epoch_now()
    write()
    until(lambda: mirror.epoch_now() > before, 2)


def test_a_hit_from_the_copy_makes_no_round_trip(client, mirror, gen_product, count_queries):
    gen_product(slug="meja-jati", stock=3)
    with count_queries() as miss:
        assert client.get(PAGE).headers["X-Cache"] == "MISS"
    with count_queries() as first:
        assert client.get(PAGE).headers["X-Cache"] == "HIT"
    with count_queries() as later:
        hits = [client.get(PAGE) for _ in range(3)]
    assert [h.headers["X-Cache"] for h in hits] == ["HIT"] * 3
    assert stock_text(hits[-1]) == "Tinggal 3"
    # after this process's commit (the product), the first look at the content version (the
    # render's, for what the process keeps per version) sends a marker; the first hit then
    # reads the stock that fills the copy; later hits read nothing
    assert sum("pg_notify" in s for s in miss.statements) == 1, miss.statements
    assert ["pg_notify" in s for s in first.statements] == [False], first.statements
    assert later.count == 0, later.statements


def test_this_processs_own_commit_shows_at_once(client, mirror, gen_product, db_session):
    product = gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    assert stock_text(client.get(PAGE)) == "Tinggal 3"
    db_session.execute(text("UPDATE product SET stock = 0 WHERE id = :id"), {"id": product.id})
    db_session.commit()  # no waiting: the hit waits for this process's own news
    assert stock_text(client.get(PAGE)) == "Habis"
    assert stock_text(client.get(PAGE)) == "Habis"


def test_another_processs_stock_change_is_shown_once_notified(client, mirror, gen_product,
                                                             other_process, count_queries):
    product = gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    client.get(PAGE)
    assert stock_text(client.get(PAGE)) == "Tinggal 3"
    applied(mirror, lambda: other_process.execute(
        "UPDATE product SET stock = 1 WHERE id = %s", (product.id,)))
    assert product.id not in mirror.values
    with count_queries() as counter:
        hit = client.get(PAGE)
    assert (hit.headers["X-Cache"], stock_text(hit)) == ("HIT", "Tinggal 1")
    assert counter.count == 1  # the changed value is read again, then kept
    with count_queries() as counter:
        assert stock_text(client.get(PAGE)) == "Tinggal 1"
    assert counter.count == 0


def test_another_processs_content_change_renders_the_page_again(client, mirror, gen_product,
                                                               other_process):
    gen_product(slug="meja-jati", name="Meja Jati", stock=3)
    client.get(PAGE)
    assert client.get(PAGE).headers["X-Cache"] == "HIT"
    other_process.execute("UPDATE product SET name = 'Meja Jati Ukir' WHERE slug = 'meja-jati'")
    applied(mirror, lambda: other_process.execute(
        "UPDATE cache_version SET version = version + 1 WHERE name = 'catalog'"))
    again = client.get(PAGE)
    assert again.headers["X-Cache"] == "MISS"
    assert "Meja Jati Ukir" in again.get_data(as_text=True)


def test_nothing_is_trusted_longer_than_catalog_live_seconds(client, mirror, gen_product,
                                                            count_queries):
    mirror.seconds = 0
    gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    client.get(PAGE)
    with count_queries() as counter:
        client.get(PAGE)
    assert counter.count == 1  # kept for 0 s: read every time


def test_a_value_read_while_a_change_arrived_is_not_kept(client, mirror, gen_product):
    gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    client.get(PAGE)
    product_id = next(iter(mirror.values))
    epoch = mirror.epoch_now()
    mirror._apply(str(product_id))  # a change arrives while a read is under way
    mirror.remember(mirror.version or 1, {product_id: 99}, epoch)
    assert product_id not in mirror.values
    mirror.remember(mirror.version or 1, {product_id: 2}, mirror.epoch_now())
    assert mirror.values[product_id][0] == 2


def test_while_the_listener_is_away_hits_read_and_the_copy_starts_again_empty(
        client, mirror, gen_product, other_process, count_queries):
    product = gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    assert stock_text(client.get(PAGE)) == "Tinggal 3"
    first = mirror.backend_pid
    other_process.execute("SELECT pg_terminate_backend(%s)", (first,))
    until(lambda: not mirror.listening or mirror.backend_pid != first)
    # changed while nobody listened: no notification will ever arrive for it
    other_process.execute("UPDATE product SET stock = 2 WHERE id = %s", (product.id,))
    assert stock_text(client.get(PAGE)) == "Tinggal 2"
    until(lambda: mirror.listening and mirror.backend_pid != first)
    assert not mirror.values  # nothing kept from before
    assert stock_text(client.get(PAGE)) == "Tinggal 2"
    with count_queries() as counter:
        assert stock_text(client.get(PAGE)) == "Tinggal 2"
    assert counter.count == 0  # kept again


def test_the_hit_survives_its_own_connection_being_dropped(client, mirror, gen_product,
                                                          other_process):
    from shop.core import cache as page_cache

    product = gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    client.get(PAGE)
    pid = page_cache.OWN.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    other_process.execute("SELECT pg_terminate_backend(%s)", (pid,))
    other_process.execute("UPDATE product SET stock = 1 WHERE id = %s", (product.id,))
    until(lambda: product.id not in mirror.values, 2)
    again = client.get(PAGE)  # reads on a new connection
    assert again.status_code == 200 and stock_text(again) == "Tinggal 1"


def test_a_listener_not_heard_from_lately_is_not_trusted(client, mirror, gen_product,
                                                         count_queries):
    """A connection that stops answering without closing (a failover, a dropped route) leaves
    the listener waiting: hits read until it is heard from again."""
    gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    client.get(PAGE)
    with mirror.changed:
        mirror.heard_at -= 60  # as if its pings had hung for a minute
    with count_queries() as counter:
        assert stock_text(client.get(PAGE)) == "Tinggal 3"
    assert counter.count == 1


def test_a_commit_stays_owed_until_a_marker_has_come_back(app, mirror, gen_product,
                                                         monkeypatch):
    """A hit that could not confirm this process's commit (marker lost, connection dropped)
    trusts nothing, and the next hit tries again."""
    from shop.core import cache as page_cache

    gen_product(slug="meja-jati", stock=3)  # a commit of this process
    with app.app_context():
        connection = page_cache.OWN._connection()
        tries = []
        real = mirror._barrier
        monkeypatch.setattr(mirror, "_barrier", lambda c: tries.append(1) and False)
        assert mirror.known(connection, []) is None
        assert mirror.known(connection, []) is None
        assert len(tries) == 2  # still owed
        monkeypatch.setattr(mirror, "_barrier", real)
        assert mirror.known(connection, []) is None  # confirmed now, but nothing kept yet
        monkeypatch.setattr(mirror, "_barrier", lambda c: tries.append(1) and False)
        mirror.known(connection, [])
        assert len(tries) == 2  # nothing owed any more


def test_threads_of_a_worker_share_one_listener(app, mirror):
    import threading

    from shop.core.live_mirror import stop_mirror

    stop_mirror()
    before = set(threading.enumerate())
    seen, start = [], threading.Barrier(8)

    def first_request():
        start.wait()
        with app.app_context():
            seen.append(mirror_for(db.engine, app.config))

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(m) for m in seen}) == 1
    started = [t for t in threading.enumerate()
               if t.name == "shop-live-mirror" and t not in before]
    assert started == [seen[0].thread]


def test_only_commits_that_wrote_the_catalogue_cost_a_marker(client, mirror, gen_product,
                                                            db_session, count_queries):
    from sqlalchemy import update

    from shop.catalog.models import Product

    product = gen_product(slug="meja-jati", stock=3)
    client.get(PAGE)
    client.get(PAGE)  # the product's commit confirmed, the values kept
    assert client.post("/api/v1/carts").status_code == 201  # commits a cart, no product
    with count_queries() as counter:
        assert stock_text(client.get(PAGE)) == "Tinggal 3"
    assert counter.count == 0
    db_session.execute(update(Product).where(Product.id == product.id).values(stock=1))
    db_session.commit()  # the way a checkout takes stock
    with count_queries() as counter:
        assert stock_text(client.get(PAGE)) == "Tinggal 1"
    assert "pg_notify" in counter.statements[0]

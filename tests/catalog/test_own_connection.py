"""Storefront reads outside any transaction go to the process's own autocommit connection
(shop.core.database.read_rows): no BEGIN, no ROLLBACK, no pool checkout. A session that has
begun or holds pending changes keeps reading in its own transaction."""

import pytest
from sqlalchemy import event, func, select

from shop.catalog.models import Product
from shop.core.database import OWN, read_rows
from shop.extensions import db


@pytest.fixture
def connections(app):
    seen = []

    def before(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            seen.append((conn, statement))

    event.listen(db.engine, "before_cursor_execute", before)
    yield seen
    event.remove(db.engine, "before_cursor_execute", before)


def test_a_visitors_catalogue_pages_read_on_the_own_connection(client, gen_product,
                                                              connections):
    facility = gen_product(name="Sambal Roa", slug="sambal-roa", image=True).facility.slug
    db.session.rollback()  # (the test's reads began a transaction in the shared session)
    for url in ["/products", "/products?flagship=1&sort=price_asc", "/products?page=2",
                "/products/sambal-roa", "/api/v1/products/sambal-roa", "/", "/facilities",
                f"/facilities/{facility}"]:
        client.get(url)  # (what the process keeps per content version is read once)
        connections.clear()
        assert client.get(url).status_code == 200
        assert connections, url
        others = [s for conn, s in connections if conn is not OWN.connection]
        assert not others, (url, others)


def test_a_visitors_catalogue_pages_make_no_orm_session(client, gen_product, monkeypatch):
    """Reads on the own connection do not build the request's session to ask whether it is
    busy: a page that needs none neither makes one nor closes one at teardown."""
    facility = gen_product(name="Sambal Roa", slug="sambal-roa").facility.slug
    made = []
    create = db.session.registry.createfunc
    monkeypatch.setattr(db.session.registry, "createfunc",
                        lambda *a, **k: made.append(1) or create(*a, **k))
    for url in ["/products", "/products?q=sambal", "/products/sambal-roa",
                "/api/v1/products/sambal-roa", "/", f"/facilities/{facility}"]:
        client.get(url)  # (what the process keeps per content version is read once)
        db.session.remove()
        made.clear()
        assert client.get(url).status_code == 200
        assert not made, url


def test_a_session_with_pending_changes_reads_its_own_rows(app, gen_product):
    product = gen_product()
    counted = select(func.count()).select_from(Product)
    assert read_rows(counted).scalar() == 1  # nothing begun: the own connection
    db.session.add(Product(facility_id=product.facility_id, category_id=product.category_id,
                           slug="baru", name="Baru", price=1_000, unit="piece", stock=1,
                           status="active", weight_grams=100))
    assert read_rows(counted).scalar() == 2  # pending: flushed, read in the transaction
    db.session.rollback()
    assert read_rows(counted).scalar() == 1


def test_a_thread_per_request_server_gives_ended_threads_connections_back(app):
    """The development server (`make run`) starts a thread per request: the connections of
    ended threads go back to the pool (30 requests never exhaust its 15 connections)."""
    import threading

    from sqlalchemy import text

    def request_like():
        with app.app_context():
            assert OWN.run(lambda connection: connection.execute(text("SELECT 1")).scalar())

    for _ in range(30):
        thread = threading.Thread(target=request_like)
        thread.start()
        thread.join()
    with app.app_context():
        OWN.run(lambda connection: connection.execute(text("SELECT 1")).scalar())
        assert db.engine.pool.checkedout() <= 3  # this thread's, at most one left behind

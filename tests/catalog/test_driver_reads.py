"""On PostgreSQL the storefront's fixed reads run on psycopg directly, compiled once
(shop.core.database._on_driver): the same rows as through SQLAlchemy, the engine's cursor events
still see them, and a connection the database dropped is replaced."""

import time

import pytest
from sqlalchemy import text

from shop.core import database


@pytest.fixture
def postgresql(db_session):
    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("the driver path is PostgreSQL's")
    return db_session


def _through_sqlalchemy(monkeypatch):
    monkeypatch.setattr(database, "_on_driver", lambda connection, stmt, params: None)  # noqa: ARG005


def test_pages_read_on_the_driver_are_the_same(client, postgresql, gen_product, count_queries,
                                                 monkeypatch):
    from shop.catalog.product_page import ProductView
    from shop.catalog.queries import get_visible_product
    from shop.extensions import db

    facility_product = gen_product(name="Meja Jati", slug="meja-jati", price=1_250_000,
                                   weight_grams=15_000, pirt_number="P-1", image=True)
    facility_product.facility.latitude, facility_product.facility.longitude = 0.79, 127.38
    for i in range(5):
        gen_product(name=f"Kursi {i}", is_flagship=i == 2, flagship_year=2026 if i == 2 else None)
    db.session.commit()
    urls = ["/products", "/products?page=2&sort=price_asc", "/products/meja-jati",
            "/facilities", "/api/v1/products/meja-jati", "/"]
    with count_queries() as counter:
        on_driver = [client.get(url).get_data(as_text=True) for url in urls]
    view = get_visible_product("meja-jati")
    assert isinstance(view, ProductView) and view.facility.latitude == 0.79
    assert view.images and view.created_at.tzinfo is None
    assert counter.count > 0  # cursor events fire for reads on the driver too
    assert any("FROM product" in s and "LIMIT" in s for s in counter.statements)
    _through_sqlalchemy(monkeypatch)
    assert [client.get(url).get_data(as_text=True) for url in urls] == on_driver
    assert get_visible_product("meja-jati") == view


def test_a_fixed_read_survives_the_database_dropping_its_connection(app, client, postgresql,
                                                                   gen_product):
    from shop.catalog.queries import get_visible_product

    gen_product(slug="lemari-jati", stock=4)
    assert client.get("/products/lemari-jati").status_code == 200
    pid = database.OWN.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    postgresql.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    postgresql.commit()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and postgresql.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).scalar():
        postgresql.commit()
        time.sleep(0.02)
    postgresql.commit()
    with app.test_request_context("/products/lemari-jati"):  # the driver read comes first
        assert get_visible_product("lemari-jati").stock == 4
    assert database.OWN.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid
    again = client.get("/products/lemari-jati")
    assert again.status_code == 200 and "Tinggal 4" in again.get_data(as_text=True)

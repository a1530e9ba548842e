"""Connections the database server closed are replaced when taken from the pool, without a
ping per request: a restart or a terminated backend costs no failed request."""

import time

import pytest
from sqlalchemy import text

from shop.core.database import closed_by_server


@pytest.fixture
def postgresql(db_session):
    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("server-side closes need PostgreSQL")
    return db_session


def _terminate_the_others():
    """Every other idle connection to this database ended by the server, from one connection
    held throughout (a session would take pooled connections between its statements, and
    could take one being ended)."""
    from shop.extensions import db

    with db.engine.connect() as connection:
        pids = connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'idle'")).scalars().all()
        connection.execute(text("SELECT pg_terminate_backend(pid) "
                                "FROM unnest(CAST(:pids AS int[])) AS pid"), {"pids": pids})
        connection.commit()  # (the activity view is read once per transaction)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(CAST(:pids AS int[]))"),
                {"pids": pids}).scalar():
            connection.commit()
            time.sleep(0.02)
        connection.commit()
    return pids


def test_a_terminated_connection_is_seen_without_a_round_trip(app, postgresql):
    from shop.extensions import db

    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert not closed_by_server(raw)  # idle and alive: nothing to read
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        connection.rollback()
        postgresql.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        postgresql.commit()
        deadline = time.monotonic() + 5
        while not closed_by_server(raw) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert closed_by_server(raw)
        connection.invalidate()


def test_requests_after_the_server_closed_every_pooled_connection_all_succeed(
        app, client, postgresql, gen_product, count_queries):
    from shop.extensions import db

    gen_product(slug="meja-jati", name="Meja Jati")
    with db.engine.connect() as a, db.engine.connect() as b:  # two pooled connections
        a.exec_driver_sql("SELECT 1")
        b.exec_driver_sql("SELECT 1")
    postgresql.close()  # (its connection back to the pool, to be ended with the others)
    assert _terminate_the_others()  # the pool: one live connection, the others ended
    for _ in range(4):
        with count_queries() as counter:
            response = client.get("/products/meja-jati")
        assert response.status_code == 200 and "Meja Jati" in response.get_data(as_text=True)
        assert not any(s.strip().lower() == "select 1" for s in counter.statements)

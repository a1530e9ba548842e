"""Engine settings per database: SQLite gets WAL and foreign keys; PostgreSQL connections are
checked for a server-side close when taken from the pool, without a round trip."""

import select
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError


def configure_engine_events(app):
    with app.app_context():
        from shop.extensions import db

        engine = db.engine
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.close()
        else:

            @event.listens_for(engine, "checkout")
            def _drop_closed_by_server(dbapi_connection, _record, _proxy):
                """Pessimistic disconnect handling without a round trip per request (the
                pool's pre-ping sends one): a connection the server closed (a restart, an
                idle timeout, a terminated backend) has its socket readable (the end of the
                stream, a FATAL notice) while a live idle one has nothing to read; the pool
                then replaces it (up to three tries) before the request uses it."""
                if closed_by_server(dbapi_connection):
                    raise DisconnectionError("the database server closed this connection")


def closed_by_server(connection) -> bool:
    """True when a (psycopg) connection is closed, broken, or its socket has something to
    read while idle: the server has ended it."""
    if getattr(connection, "closed", False) or getattr(connection, "broken", False):
        return True
    try:
        poller = select.poll()  # (select.select refuses descriptors from 1024 on)
        poller.register(connection.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


@contextmanager
def kept_after_commit():
    """Within the block, a commit leaves the session's objects as they were just written
    instead of expiring them, so a response built from them needs no reload. Only for a
    request that builds its answer from what it wrote itself; a rollback still expires, and
    leaving the block expires everything, as the commits would have."""
    from shop.extensions import db

    session = db.session()
    previous = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield
    finally:
        session.expire_on_commit = previous
        session.expire_all()


def read_rows(stmt, params=None):
    """The result of a plain select of columns (no entities) run on the session's connection,
    in its transaction: for the storefront's small reads the ORM's execution path costs more
    CPU than the database's work. Pending changes are flushed first, as the session would."""
    from shop.extensions import db

    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(stmt, params)

"""Engine settings per database: SQLite gets WAL and foreign keys."""

from contextlib import contextmanager

from sqlalchemy import event


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

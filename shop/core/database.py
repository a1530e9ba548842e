"""Engine settings per database: SQLite gets WAL and foreign keys; PostgreSQL connections are
checked for a server-side close when taken from the pool, without a round trip."""

import os
import select
import threading
import weakref
from contextlib import contextmanager, suppress

from sqlalchemy import Column, Float, event
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session

from shop.extensions import db


def configure_engine_events(app):
    with app.app_context():
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
    session = db.session()
    previous = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield
    finally:
        session.expire_on_commit = previous
        session.expire_all()


class OwnConnection:
    """Each thread's own connection, in autocommit, kept between requests: a read outside any
    transaction needs no BEGIN and no ROLLBACK, no session and no pool checkout. A connection
    the database dropped is replaced and the work run again once. A forked worker opens its
    own; so does each app's engine. A server that starts a thread per request (the
    development server) leaves connections behind: the next thread to open one first gives
    those of ended threads back to the pool."""

    def __init__(self):
        self._lock = threading.Lock()
        self._held: dict = {}  # thread id -> (thread, pid, engine, connection)

    @property
    def connection(self):
        """This thread's connection, or None."""
        entry = self._held.get(threading.get_ident())
        if entry is None or entry[0] is not threading.current_thread():
            return None
        return entry[3] if entry[1] == os.getpid() else None

    def run(self, work):
        """`work(connection)`'s result."""
        for attempt in (1, 2):
            try:
                return work(self._connection())
            except DBAPIError as exc:
                self.close()
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        return None  # pragma: no cover - the loop returns or raises

    def _connection(self):
        engine = db.engine
        entry = self._held.get(threading.get_ident())
        if (entry is not None and entry[0] is threading.current_thread()
                and entry[1] == os.getpid() and entry[2] is engine):
            return entry[3]
        self.close()
        self._give_back_ended()
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        with self._lock:
            self._held[threading.get_ident()] = (
                threading.current_thread(), os.getpid(), engine, connection)
        return connection

    def _give_back_ended(self):
        """Close the connections of threads that have ended (this process's only)."""
        with self._lock:
            ended = [ident for ident, (thread, pid, _e, _c) in self._held.items()
                     if pid != os.getpid() or not thread.is_alive()]
            entries = [self._held.pop(ident) for ident in ended]
        for _thread, pid, _engine, connection in entries:
            if pid == os.getpid():
                _close(connection)

    def close(self):
        """Let this thread's connection go (or what an ended thread of the same id left)."""
        with self._lock:
            entry = self._held.pop(threading.get_ident(), None)
        if entry is not None and entry[1] == os.getpid():
            _close(entry[3])


def _close(connection):
    """Close a connection (a broken one cannot even be rolled back: it is invalidated)."""
    try:
        connection.close()
    except DBAPIError:
        with suppress(DBAPIError):
            connection.invalidate()


OWN = OwnConnection()


def _busy(session) -> bool:
    """The request's session has begun a transaction or holds changes not written yet."""
    return bool(session.in_transaction() or session.new or session.dirty or session.deleted)


def _busy_session():
    """The request's session if it has begun a transaction or holds changes not written yet,
    else None. A request that has not used its session yet has none: none is made to ask
    (a storefront read then neither builds a session nor closes one at teardown)."""
    if not db.session.registry.has():
        return None
    session = db.session()
    return session if _busy(session) else None


def read_entities(work):
    """`work(session)`'s result, for storefront reads of ORM objects. When the request's
    session has nothing begun and nothing pending, `work` gets a session of its own on the
    process's own autocommit connection, and what it loaded comes back detached: no BEGIN and
    no ROLLBACK, and the statements stay prepared (psycopg forgets its prepared statements at
    every ROLLBACK, and a pooled connection is rolled back after every request). `work` must
    load every attribute its caller uses. Otherwise `work` gets the request's session."""
    session = _busy_session()
    if session is not None:
        return work(session)

    def on_own(connection):
        with Session(bind=connection, autoflush=False, expire_on_commit=False) as own:
            result = work(own)
            own.expunge_all()
            return result

    return OWN.run(on_own)


def read_rows(stmt, params=None):
    """The result of a plain select of columns (no entities): for the storefront's small
    reads the ORM's execution path costs more CPU than the database's work. A session with
    nothing begun and nothing pending reads committed data anyway: the read goes to the
    process's own autocommit connection (no BEGIN, no ROLLBACK, no pool checkout); there a
    fixed statement (`fixed_statement`) may run on the driver, and its rows are plain tuples
    with `all()` and `scalar()`: callers index rows and use no more of a result than that.
    Otherwise it runs on the session's connection, in its transaction, pending changes flushed
    first."""
    session = _busy_session()
    if session is None:
        return OWN.run(lambda connection: _read(connection, stmt, params))
    if session.autoflush:
        session.flush()
    return session.connection().execute(stmt, params)


def _read(connection, stmt, params):
    rows = _on_driver(connection, stmt, params)
    return connection.execute(stmt, params) if rows is None else rows


def fixed_statement(stmt):
    """Mark `stmt` as built once and run many times (shop.catalog.listing.prepared): on
    PostgreSQL, read_rows may then run it on the driver (see `_on_driver`)."""
    _FIXED.add(stmt)
    return stmt


class _Rows(list):
    """Rows read on the driver (tuples: index them), answering what read_rows' callers ask of
    a SQLAlchemy result."""

    def all(self):
        return self

    def scalar(self):
        return self[0][0] if self else None


_FIXED: "weakref.WeakSet" = weakref.WeakSet()
# PostgreSQL: fixed statement -> its compiled form when the driver can run it unaided, or None.
_ON_DRIVER: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _on_driver(connection, stmt, params):
    """On PostgreSQL, a fixed statement's rows read on psycopg directly, its SQL compiled
    once: SQLAlchemy's execution (cache key, context, result set-up) costs about
    twice psycopg's own work for the storefront's small fixed reads (129 against 43 µs of CPU
    for the product page's). Only for statements none of whose values SQLAlchemy converts
    (psycopg returns the Python types itself); the engine's cursor events still fire (query
    counts, logging). None: run it through SQLAlchemy."""
    dialect = connection.dialect
    if dialect.name != "postgresql" or stmt not in _FIXED:
        return None
    compiled = _ON_DRIVER.get(stmt, False)
    if compiled is False:
        compiled = _ON_DRIVER[stmt] = _driver_ready(stmt.compile(dialect=dialect), dialect)
    if compiled is None:
        return None
    state = compiled.construct_expanded_state(params)
    statement, parameters = state.statement, state.parameters
    driver = connection.connection.driver_connection
    events = connection.dispatch
    cursor = driver.cursor()
    try:
        if events.before_cursor_execute:
            events.before_cursor_execute(connection, cursor, statement, parameters, None, False)
        cursor.execute(statement, parameters, prepare=True)
        rows = _Rows(cursor.fetchall())
        if events.after_cursor_execute:
            events.after_cursor_execute(connection, cursor, statement, parameters, None, False)
        return rows
    except dialect.loaded_dbapi.Error as exc:
        invalidated = dialect.is_disconnect(exc, driver, cursor)
        if invalidated:
            connection.invalidate(exc)
        raise DBAPIError.instance(statement, parameters, exc, dialect.loaded_dbapi.Error,
                                  connection_invalidated=invalidated, dialect=dialect) from exc
    finally:
        cursor.close()


def _driver_ready(compiled, dialect):
    """`compiled` if the driver can run it unaided: no value converted on the way in or out."""
    if compiled._bind_processors:
        return None
    for _key, _name, objects, type_ in compiled._result_columns:
        if not _as_read(type_, objects, dialect):
            return None
    return compiled


def _as_read(type_, objects, dialect) -> bool:
    """SQLAlchemy keeps the value psycopg returns for this result column as it is."""
    try:
        return type_.dialect_impl(dialect).result_processor(dialect, None) is None
    except TypeError:
        # Floats: the processor depends on the column's type as read. A table's Float column
        # (double precision) reads as a float, kept as it is.
        return (isinstance(type_, Float) and not type_.asdecimal
                and any(isinstance(obj, Column) for obj in objects))

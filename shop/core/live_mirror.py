"""This process's copy of the catalogue's content version and live values (stock), kept by
PostgreSQL's notifications, so a page-cache hit needs no round trip to the database.

Triggers (migration c4f1a8e2d6b7) notify channel `shop_live` when a transaction commits: a
product's id when its stock changed, `v` when the catalogue's content version moved. One
daemon thread per process listens on a connection of its own and is always reading, so the
server's notification queue never waits on this process: a changed product's value is
forgotten, a new content version forgets the version. A hit (any thread) whose values are all
in the copy is answered from it; anything unknown is read from the database by the hit (one
statement, as without the copy) and kept.

Exactness:
- a notification is sent at the writer's commit, before the writer hears that it committed;
  the listener applies it as soon as it arrives. What is left is the time the database and
  the operating system take to pass it on (under a millisecond on an idle machine, a few on
  a saturated one), the same order as the time a page spends on the wire;
- this process's own commits are waited for: after a session commit that wrote product or
  cache_version, the next hit sends a marker notification and waits until the listener has
  it. Notifications arrive in commit order, so everything committed before the marker has
  been applied by then (writes made outside a session are not counted: their news arrives
  like another process's);
- a value read while a change arrived is not kept (it may be older than the change);
- nothing is trusted for longer than CATALOG_LIVE_SECONDS (5): should notifications stop
  without the connection failing, values are read again after that;
- while the listener is not connected (a restart, a dropped connection), nothing is trusted:
  hits read, and the copy starts empty when it is back.

SQLite has no notifications: every hit reads (CATALOG_LIVE_NOTIFY applies to PostgreSQL).
"""

import logging
import os
import secrets
import threading
import time
from contextlib import suppress

from sqlalchemy import TextClause, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CHANNEL = "shop_live"
VERSION_PAYLOAD = "v"
SYNC_PREFIX = "sync:"
SYNC_WAIT_SECONDS = 1.0
PING_SECONDS = 1.0  # the listener checks its connection this often when nothing arrives
RETRY_SECONDS = 1.0
_NOTIFY = text("SELECT pg_notify(:channel, :payload)")
HEARD_SECONDS = PING_SECONDS + 2  # a listener silent for longer is not trusted
_commits = [0]  # sessions' commits in this process, counted after they landed
_commits_lock = threading.Lock()
_mirror_lock = threading.Lock()


# What this process's hits wait for after a commit: only commits that wrote the tables the
# triggers watch (a cart or an order alone changes no page), so most commits cost no marker.
_WATCHED = frozenset({"product", "cache_version"})
_WROTE = "live_copy_wrote"  # Session.info key: this transaction wrote a watched table


def _table_name(target):
    return getattr(getattr(target, "__table__", None), "name", None)


@event.listens_for(Session, "after_flush")
def _note_flush(session, _flush_context):
    if any(_table_name(type(obj)) in _WATCHED
           for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state):
    """A statement run through the session: a write to a watched table, or one whose table
    cannot be told (text), counts; reads do not."""
    statement = state.statement
    if state.is_select or (isinstance(statement, TextClause)
                           and statement.text.lstrip()[:6].upper() == "SELECT"):
        return
    table = getattr(getattr(statement, "table", None), "name", None)
    if table is None or table in _WATCHED:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _count_commit(session):
    """A session commit of this process that wrote a watched table (Flask-SQLAlchemy's
    session included; a savepoint's release is not the commit). Writes made without a session
    (Connection.commit) are not counted: their news arrives like another process's."""
    if session.in_nested_transaction() or not session.info.pop(_WROTE, False):
        return
    with _commits_lock:
        _commits[0] += 1


class LiveMirror:
    """The copy of one process, shared by its threads and kept by its listener thread."""

    def __init__(self, engine, seconds: float):
        self.engine = engine
        self.seconds = seconds
        self.pid = os.getpid()
        self.changed = threading.Condition()  # guards everything below; notified per change
        self.listening = False
        self.heard_at = 0.0  # when the listener last heard from the server
        self.version = None
        self.version_at = 0.0
        self.values: dict[int, tuple[object, float]] = {}
        self.epoch = 0  # changes seen so far: a read during which it moved is not kept
        self.markers: set[str] = set()  # markers sent and not yet back
        self.commits_seen = _commits[0]
        self.stopped = False
        self.backend_pid = None  # the listening connection's server process (tests, logs)
        self.thread = threading.Thread(target=self._listen, name="shop-live-mirror", daemon=True)
        self.thread.start()

    # ------------------------------------------------------------ hits

    def known(self, connection, ids):
        """(content version, {id: value}) when every value of `ids` is known and fresh; else
        None (the caller reads them and `remember`s what it read). `connection` is the hit's
        own (autocommit): a marker is sent on it after this process committed."""
        if not self._trusted():
            return None
        commits = _commits[0]
        if commits > self.commits_seen:
            if not self._barrier(connection):
                return None  # still owed: the next hit tries again
            with self.changed:
                self.commits_seen = max(self.commits_seen, commits)
        now = time.monotonic()
        with self.changed:
            if not self._trusted():
                return None
            if self.version is None or now - self.version_at > self.seconds:
                return None
            values = {}
            for product_id in ids:
                entry = self.values.get(product_id)
                if entry is None or now - entry[1] > self.seconds:
                    return None
                values[product_id] = entry[0]
            return self.version, values

    def _trusted(self) -> bool:
        """Listening, and heard from lately (a connection that stopped answering without
        closing, after a failover say, leaves `listening` set)."""
        return self.listening and time.monotonic() - self.heard_at <= HEARD_SECONDS

    def epoch_now(self) -> int:
        with self.changed:
            return self.epoch

    def remember(self, version, values, epoch) -> None:
        """Keep what was read, unless a change arrived since `epoch` (taken before the read)."""
        now = time.monotonic()
        with self.changed:
            if epoch != self.epoch or not self._trusted():
                return
            self.version, self.version_at = version, now
            for product_id, value in values.items():
                self.values[product_id] = (value, now)

    def _barrier(self, connection) -> bool:
        """Send a marker and wait until the listener has it: every change committed before it
        (this process's own included) has then been applied. False when that cannot be known
        (no marker back within a second, or it could not be sent): the hit reads."""
        marker = f"{SYNC_PREFIX}{secrets.token_hex(8)}"
        with self.changed:
            self.markers.add(marker)
        try:
            connection.execute(_NOTIFY, {"channel": CHANNEL, "payload": marker})
            with self.changed:
                self.changed.wait_for(lambda: marker not in self.markers or not self.listening,
                                      SYNC_WAIT_SECONDS)
                return marker not in self.markers and self.listening
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise  # the hit's connection is gone: the caller opens another
            log.warning("live copy: no marker sent (%s); reading instead", exc)
            return False
        finally:
            with self.changed:
                self.markers.discard(marker)

    # ------------------------------------------------------------ the listener thread

    def _apply(self, payload: str) -> None:
        with self.changed:
            if payload.startswith(SYNC_PREFIX):
                self.markers.discard(payload)  # ours, or another process's (not in the set)
            else:
                self.epoch += 1
                if payload == VERSION_PAYLOAD:
                    self.version = None
                else:
                    try:
                        self.values.pop(int(payload), None)
                    except ValueError:  # not ours: forget everything rather than guess
                        self._forget()
            self.changed.notify_all()

    def _forget(self) -> None:
        self.epoch += 1
        self.version = None
        self.values.clear()

    def _set_listening(self, listening: bool) -> None:
        with self.changed:
            self.listening = listening
            self.heard_at = time.monotonic()
            self._forget()
            self.changed.notify_all()

    def _heard(self) -> None:
        with self.changed:
            self.heard_at = time.monotonic()

    def _listen(self) -> None:
        while not self.stopped:
            connection = None
            try:
                connection = self.engine.connect()
                connection.detach()  # it LISTENs: never handed to anyone else
                driver = connection.connection.dbapi_connection  # psycopg
                driver.autocommit = True
                driver.execute(f"LISTEN {CHANNEL}")
                self.backend_pid = driver.info.backend_pid
                self._set_listening(True)
                while not self.stopped:
                    for notify in driver.notifies(timeout=PING_SECONDS):
                        self._apply(notify.payload)
                    driver.execute("SELECT 1")  # is the server still there?
                    self._heard()
            except Exception:  # noqa: BLE001 - the copy is off until the listener is back
                if not self.stopped:
                    log.warning("live copy: the listening connection failed; retrying",
                                exc_info=True)
            finally:
                self._set_listening(False)  # at once: nothing is trusted from here on
                if connection is not None:
                    with suppress(Exception):  # already broken: nothing to close
                        connection.close()
            if not self.stopped:
                time.sleep(RETRY_SECONDS)

    def stop(self) -> None:
        """Stop listening (tests; a process that exits needs nothing: the thread is a
        daemon)."""
        self.stopped = True
        self.thread.join(timeout=PING_SECONDS + 2)


_MIRROR: dict = {}  # "mirror": this process's LiveMirror


def mirror_for(engine, config):
    """This process's copy, started on first use (after gunicorn forked the worker); None when
    it is off (CATALOG_LIVE_NOTIFY) or the database cannot notify (not PostgreSQL)."""
    if engine.dialect.name != "postgresql" or not config.get("CATALOG_LIVE_NOTIFY"):
        return None
    mirror = _MIRROR.get("mirror")
    if mirror is not None and mirror.pid == os.getpid() and mirror.engine is engine:
        return mirror
    with _mirror_lock:  # a threaded worker's first requests come together: one listener
        mirror = _MIRROR.get("mirror")
        if mirror is None or mirror.pid != os.getpid() or mirror.engine is not engine:
            if mirror is not None and mirror.pid == os.getpid():
                mirror.stop()  # another app's engine (tests)
            mirror = _MIRROR["mirror"] = LiveMirror(engine,
                                                    config.get("CATALOG_LIVE_SECONDS", 5))
        return mirror


def stop_mirror() -> None:
    with _mirror_lock:
        mirror = _MIRROR.pop("mirror", None)
    if mirror is not None and mirror.pid == os.getpid():
        mirror.stop()

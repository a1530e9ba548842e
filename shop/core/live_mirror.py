"""This process's copy of the catalogue's content version and live values (stock), kept by
PostgreSQL's notifications, so a page-cache hit needs no round trip to the database.

Triggers (migration c4f1a8e2d6b7) notify channel `shop_live` when a transaction commits: a
product's id when its stock changed, `v` when the catalogue's content version moved. Each
process listens on the connection its cache hits read on (shop.core.cache) and, before a hit,
reads what has arrived (a non-blocking socket read): a changed product's value is forgotten, a
new content version forgets the version. A hit whose values are all known is answered from this
copy; anything unknown is read from the database (one statement, as without the copy) and kept.

Exactness:
- a notification is sent at the writer's commit, before the writer hears that it committed; a
  hit in another process reads it from its socket when it starts. What is left is the time
  the database takes to pass it on (well under a millisecond), the same order as the
  time a page spends on the wire;
- this process's own commits are waited for: after one, the next hit sends a marker
  notification and reads until the marker arrives (notifications arrive in commit order, so
  everything committed before it has arrived too);
- a value read while a change arrived is not kept (it may be older than the change);
- nothing is trusted for longer than CATALOG_LIVE_SECONDS (5): should notifications stop
  without the connection failing, values are read again after that;
- a dropped connection forgets everything (notifications may have been missed).

SQLite has no notifications: every hit reads (CATALOG_LIVE_NOTIFY applies to PostgreSQL).
"""

import itertools
import os
import select
import socket
import threading
import time

from psycopg import OperationalError
from psycopg.pq import ConnStatus
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

CHANNEL = "shop_live"
VERSION_PAYLOAD = "v"
SYNC_PREFIX = "sync:"
SYNC_WAIT_SECONDS = 1.0
_NOTIFY = text("SELECT pg_notify(:channel, :payload)")
_commits = itertools.count()
_committed = [0]  # commits by any connection of this process (a counter: races are harmless)


@event.listens_for(Engine, "commit")
def _count_commit(_connection):
    _committed[0] = next(_commits) + 1


def _at_end(fd: int) -> bool:
    """Readable with nothing to read after libpq took what was there: the server has closed
    the connection (libpq notices that only when it next sends something)."""
    if not select.select([fd], [], [], 0)[0]:
        return False
    with socket.socket(fileno=os.dup(fd)) as sock:
        try:
            return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True


class LiveMirror:
    """The copy kept on one connection (a thread's, in a threaded worker)."""

    def __init__(self, connection, seconds: float):
        self.connection = connection  # SQLAlchemy, AUTOCOMMIT, LISTENing on CHANNEL
        self.driver = connection.connection.dbapi_connection  # psycopg (detached: no pool)
        self.seconds = seconds
        self.version = None
        self.version_at = 0.0
        self.values: dict[int, tuple[object, float]] = {}
        self.epoch = 0  # changes seen so far: a read during which it moved is not kept
        self.waiting = None  # the marker notification a barrier waits for
        self.commits_seen = _committed[0]
        self._markers = itertools.count(1)
        # Notifications that arrive with a statement's answer are handed over by psycopg.
        self.driver.add_notify_handler(lambda notify: self._apply(notify.payload))

    @classmethod
    def listen(cls, connection, seconds: float) -> "LiveMirror":
        connection.exec_driver_sql(f"LISTEN {CHANNEL}")
        return cls(connection, seconds)

    def known(self, ids):
        """(content version, {id: value}) when every value of `ids` is known and fresh; else
        None (the caller reads them and `remember`s what it read)."""
        if self.commits_seen != _committed[0]:  # this process committed: wait for its news
            self.commits_seen = _committed[0]
            self._barrier()
        else:
            self._drain()
        now = time.monotonic()
        if self.version is None or now - self.version_at > self.seconds:
            return None
        values = {}
        for product_id in ids:
            entry = self.values.get(product_id)
            if entry is None or now - entry[1] > self.seconds:
                return None
            values[product_id] = entry[0]
        return self.version, values

    def remember(self, version, values, epoch) -> None:
        """Keep what was read, unless a change arrived since `epoch` (taken before the read)."""
        if epoch != self.epoch:
            return
        now = time.monotonic()
        self.version, self.version_at = version, now
        for product_id, value in values.items():
            self.values[product_id] = (value, now)

    def _apply(self, payload: str) -> None:
        if payload.startswith(SYNC_PREFIX):
            if payload == self.waiting:
                self.waiting = None
            return  # another process's marker
        self.epoch += 1
        if payload == VERSION_PAYLOAD:
            self.version = None
            return
        for part in payload.split(","):
            try:
                self.values.pop(int(part), None)
            except ValueError:  # not ours: forget everything rather than guess
                self.forget()
                return

    def forget(self) -> None:
        self.epoch += 1
        self.version = None
        self.values.clear()

    def _drain(self) -> None:
        """Read the notifications that have arrived (never waits). Raises psycopg's
        OperationalError when the connection is gone."""
        pgconn = self.driver.pgconn
        pgconn.consume_input()
        while (notify := pgconn.notifies()) is not None:
            self._apply(notify.extra.decode())
        if pgconn.status != ConnStatus.OK or _at_end(pgconn.socket):  # a restart, a kill
            raise OperationalError("the listening connection was closed by the server")

    def _barrier(self) -> None:
        """Send a marker and read until it is back: every change committed before it (this
        process's own included) has then arrived. No marker within a second: trust nothing."""
        marker = f"{SYNC_PREFIX}{os.getpid()}:{threading.get_ident()}:{next(self._markers)}"
        self.waiting = marker
        self.connection.execute(_NOTIFY, {"channel": CHANNEL, "payload": marker})
        deadline = time.monotonic() + SYNC_WAIT_SECONDS
        while True:
            self._drain()
            left = deadline - time.monotonic()
            if self.waiting is None:
                return
            if left <= 0:
                self.waiting = None
                self.forget()
                return
            select.select([self.driver.pgconn.socket], [], [], left)

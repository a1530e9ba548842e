"""Rendered-page cache for the public catalogue.

Pages are cached per normalised URL and language, tagged with the catalogue *content* version
(names, prices, photos, flags, facilities). The version is a row bumped inside the transaction
of every content change (see `bump_on_catalog_changes`), so a cached page is never older than
the last committed change; CATALOG_CACHE_SECONDS bounds how long an entry lives.

What changes with every order (stock) is not part of the cached body: pages carry "live
fragment" markers that a registered filler (the catalogue's stock slots) fills per request.
A cache hit reads the content version and the live values of the page together, in one SQL
round trip on the process's own autocommit connection (no transaction, no pool checkout); on
PostgreSQL the process also keeps a copy of what its hits read, kept by the database's
notifications, and a hit whose values are all in it makes no round trip at all
(shop.core.live_mirror). An order writes no shared row and leaves every cached page valid.

The store is Flask-Caching: in-process by default, Redis (CACHE_TYPE=RedisCache) where several
hosts should share it. Each process also keeps its own copy of the pages it served last
(CATALOG_LOCAL_PAGES, least recently used first out): a hit checks the content version anyway, so
a local copy of the current version is exactly what the shared store holds, without the shared
store's round trip. A local copy of an older version is dropped and the shared one asked.
"""

import threading
import time
from collections import OrderedDict
from functools import wraps
from urllib.parse import urlencode

from flask import current_app, g, has_request_context, request, session
from flask_caching.backends import NullCache
from sqlalchemy import (
    ARRAY,
    Text,
    any_,
    bindparam,
    cast,
    event,
    literal_column,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from shop.core.database import OWN
from shop.core.i18n import select_locale
from shop.core.live_mirror import mirror_for
from shop.core.models import CacheVersion
from shop.core.time import utcnow
from shop.extensions import cache, db

CATALOG = "catalog"
_CATALOG_MODELS: tuple = ()
_VERSION_SQL = text("SELECT version FROM cache_version WHERE name = :name")
_STATS = {"hit": 0, "miss": 0, "stale": 0}  # per process, for benchmarks (/healthz-free)


class LiveFragments:
    """The interface a higher layer registers to fill per-request values into pages.

    `columns()` names the (key, value) columns the values are read from (integer keys > 0),
    `parse(body)` reads a body once into a page with `ids` (the keys it needs) and
    `fill(values)` (the finished body), and `stale(values)` says whether a stock-sensitive page
    must be rendered again. A cached page is parsed once per process, not per hit."""

    def columns(self):  # pragma: no cover - interface
        raise NotImplementedError

    def parse(self, body: str):
        return _PlainPage(body)

    def fill_once(self, body: str, values: dict) -> str:
        """`body` filled with `values`, for a page served once (not kept): the same result as
        `parse(body).fill(values)`, which a filler may reach without parsing."""
        return self.parse(body).fill(values)

    def stale(self, values: dict) -> bool:  # pragma: no cover - interface
        return False


class _PlainPage:
    """A page without live values (no filler registered)."""

    ids: list = []

    def __init__(self, body):
        self.body = body

    def fill(self, values):
        return self.body


_live: LiveFragments = LiveFragments()


def register_live_fragments(filler: LiveFragments) -> None:
    global _live
    _live = filler


_SERVED_ONCE = "shop.served_once"


def served_once() -> bool:
    """Whether the page this request renders is served once, not kept by the page cache (no
    cache, or a request the cache does not keep): a part may then show a live value read with
    the page in place of its marker, which would only be filled again after the render."""
    return has_request_context() and request.environ.get(_SERVED_ONCE, False)


def bump_version(session, name=CATALOG):
    """Bump inside the caller's transaction (creating the row on first use). Content changes
    only: stock and orders never call this (they would serialise every checkout on one row)."""
    result = session.execute(
        update(CacheVersion).where(CacheVersion.name == name)
        .values(version=CacheVersion.version + 1)
    )
    if result.rowcount == 0:
        session.add(CacheVersion(name=name, version=1))


def register_catalog_models(*models):
    global _CATALOG_MODELS
    _CATALOG_MODELS = tuple(set(_CATALOG_MODELS) | set(models))


@event.listens_for(Session, "before_flush")
def bump_on_catalog_changes(session, flush_context, instances):
    changed = (*session.new, *session.dirty, *session.deleted)
    catalog_changed = any(isinstance(obj, _CATALOG_MODELS) for obj in changed)
    already_bumping = any(isinstance(obj, CacheVersion) for obj in session.new)
    if catalog_changed and not already_bumping:
        bump_version(session)


def stock_sensitive():
    """Called while rendering a page whose *selection* depends on live values (the in-stock
    filter): a cached copy is rendered again when a value it shows went to zero."""
    g.cache_live_sensitive = True


def expire_at(when) -> None:
    """The page being rendered changes by itself at `when` (UTC, naive; e.g. a promotion
    starts or ends): its cached copy lives no longer than that."""
    if when is None:
        return
    current = g.get("cache_expires_at")
    g.cache_expires_at = when if current is None else min(current, when)


def _timeout(seconds):
    when = g.get("cache_expires_at")
    if when is None:
        return seconds
    left = int((when - utcnow()).total_seconds()) + 1
    return max(1, min(seconds, left))


_HIT_STATEMENTS: dict = {}


def _array_literal(ids):
    return "{" + ",".join(map(str, ids)) + "}"


def _hit_statement():
    """The cache hit's one statement (content version + live values of :ids) and how it wants
    the ids, built once per filler and dialect: building it costs more CPU than running it.
    On PostgreSQL the ids are one array literal ('{1,2,3}', `= ANY`: cheaper to send than a
    list, and the text is the same for every page, so it is prepared once); elsewhere an
    expanding IN list."""
    dialect = db.engine.dialect.name
    built = _HIT_STATEMENTS.get((id(_live), dialect))
    if built is None:
        key, value = _live.columns()
        if dialect == "postgresql":
            wanted = key == any_(cast(bindparam("ids", type_=Text), ARRAY(key.type)))
            encode = _array_literal
        else:
            wanted = key.in_(bindparam("ids", expanding=True))
            encode = list
        version_row = select(literal_column("0").label("k"),
                             CacheVersion.version.label("v")).where(CacheVersion.name == CATALOG)
        built = union_all(version_row, select(key, value).where(wanted)), encode
        _HIT_STATEMENTS[(id(_live), dialect)] = built
    return built


def _read(connection, ids):
    """The content version and the live values of `ids` in one round trip."""
    if not ids:
        row = connection.execute(_VERSION_SQL, {"name": CATALOG}).first()
        return (row[0] if row else 0) or 0, {}
    stmt, encode = _hit_statement()
    values = dict(connection.execute(stmt, {"ids": encode(ids)}).all())
    return values.pop(0, 0) or 0, values


def _version_and_live(ids):
    """The content version and the live values of `ids`, read on the process's own
    autocommit connection (shop.core.database.OWN). On PostgreSQL (CATALOG_LIVE_NOTIFY)
    the process keeps a copy of what its hits read, kept by the database's notifications
    (shop.core.live_mirror): when it has them all, no round trip at all; else one."""
    mirror = mirror_for(db.engine, current_app.config)

    def work(connection):
        if mirror is None:
            return _read(connection, ids)
        known = mirror.known(connection, ids)
        if known is not None:
            return known
        epoch = mirror.epoch_now()
        read = _read(connection, ids)
        mirror.remember(*read, epoch)
        return read

    return OWN.run(work)


def content_version() -> int:
    """The catalogue content version this request sees, read once per request: from this
    process's live copy (no round trip on PostgreSQL) or in one read on the hit connection.
    Kept on the request, not on `g`, which an outer application context can share."""
    environ = request.environ
    version = environ.get("shop.content_version")
    if version is None:
        version = environ["shop.content_version"] = _version_and_live(())[0]
    return version


def _rows(stmt, params=None) -> list:
    """A statement's rows on the process's own connection (committed data only)."""
    return OWN.run(lambda connection: connection.execute(stmt, params).all())


class ContentMemo:
    """A value built from committed catalogue content (the facility and category lists, the
    live promotions), kept by this process while the content version stays the same: every
    change to what it is built from bumps the version, so pages rendered without the page
    cache do not read it again.

    `build(read, *key)` returns (value, until). `read(stmt, params)` gives a statement's rows on
    the hit connection: committed content only (never a request's pending changes), read
    after the version, so a value is never older than the version it is kept under. `until`
    (naive UTC, or None) is when the value changes by itself (a promotion starts or ends). A
    value also lives at most CATALOG_LIVE_SECONDS, as the live copy trusts what it heard."""

    _all: list = []

    def __init__(self, build):
        self.build = build
        self.kept: dict = {}
        ContentMemo._all.append(self)

    def get(self, *key):
        if not has_request_context():
            return self.build(_rows, *key)[0]
        version = content_version()
        key = (id(current_app._get_current_object()), *key)
        now = time.monotonic()
        found = self.kept.get(key)
        if found is not None and found[0] == version and now < found[2]:
            return found[1]
        value, until = self.build(_rows, *key[1:])
        expires = now + current_app.config.get("CATALOG_LIVE_SECONDS", 5)
        if until is not None:
            expires = min(expires, now + (until - utcnow()).total_seconds())
        self.kept[key] = (version, value, expires)
        return value

    @classmethod
    def forget_all(cls) -> None:
        """Drop every kept value (a database emptied or restored starts its versions again)."""
        for memo in cls._all:
            memo.kept.clear()


def _finish(page, mimetype, values=None, state=None):
    """The response: `page` (a parsed body) filled with this request's live values."""
    if values is not None:
        g.live_values = {**getattr(g, "live_values", {}), **values}
    response = current_app.response_class(page.fill(getattr(g, "live_values", {})),
                                          mimetype=mimetype)
    if state:
        response.headers["X-Cache"] = state  # HIT / MISS: what benchmarks count
    return response


def _render(view, args, kwargs):
    """Run the view; returns (body, mimetype) for a cacheable result, else (result, None)."""
    result = view(*args, **kwargs)
    if isinstance(result, str):
        return result, "text/html"
    if isinstance(result, dict):
        return current_app.json.dumps(result), "application/json"
    return result, None  # a redirect, an error or a (body, status) tuple: never cached


def _local_size() -> int:
    """How many pages this process keeps its own copy of."""
    return current_app.config.get("CATALOG_LOCAL_PAGES", 0)


def _candidates(key, size):
    """The entries that may answer `key`, each with its parsed body: this process's copy
    first, then the shared one (the local copy is dropped when it did not answer). An entry is
    (content version, body, mimetype, stock-sensitive, expires at: epoch seconds)."""
    if size:
        found = _LOCAL.get(key)
        if found is not None:
            yield *found, True
            _LOCAL.drop(key)
    entry = cache.get(key)
    if entry is not None and len(entry) == 5 and entry[4] > time.time():
        yield entry, _live.parse(entry[1]), False


def path_only():
    """Default cache key arguments: none (query parameters do not change these pages)."""
    return ()


def page_url():
    """The URL a page stands for (its cache key path): links back to it use this."""
    return getattr(g, "canonical_url", None) or request.full_path.rstrip("?")


def cached_page(view=None, *, key_args=path_only):
    """Serve a rendered public page from the cache when the catalogue content has not changed.

    `key_args()` returns the normalised (name, value) pairs that select the page (unknown
    parameters dropped, order irrelevant); raising ValueError means "do not cache this".
    """
    if view is None:
        return lambda v: cached_page(v, key_args=key_args)

    @wraps(view)
    def wrapper(*args, **kwargs):
        seconds = current_app.config.get("CATALOG_CACHE_SECONDS", 0)
        try:
            pairs = sorted(key_args())
        except ValueError:
            pairs = None
        if pairs is not None:
            g.canonical_url = request.path + ("?" + urlencode(pairs) if pairs else "")
        if (not seconds or pairs is None or request.method != "GET"
                or session.get("_flashes") or isinstance(cache.cache, NullCache)):
            request.environ[_SERVED_ONCE] = True
            body, mimetype = _render(view, args, kwargs)
            if mimetype is None:
                return body
            return current_app.response_class(
                _live.fill_once(body, getattr(g, "live_values", {})), mimetype=mimetype)
        key = f"page:{select_locale()}:{g.canonical_url}"
        size = _local_size()
        for entry, page, local in _candidates(key, size):
            version, _body, mimetype, sensitive, _expires = entry
            live_version, values = _version_and_live(page.ids)
            if live_version == version and not (sensitive and _live.stale(values)):
                if not local:
                    _LOCAL.put(key, entry, page, size)
                _STATS["hit"] += 1
                return _finish(page, mimetype, values, "HIT")
            _STATS["stale"] += 1
        _STATS["miss"] += 1
        # The tag: read before rendering (a change meanwhile re-renders), and the version the
        # render's kept lists are looked up with, so the page is never newer-tagged than what
        # it shows (the live copy may lag a commit elsewhere: an older tag only re-renders).
        version = content_version()
        body, mimetype = _render(view, args, kwargs)
        if mimetype is None:
            return body
        timeout = _timeout(seconds)
        entry = (version, body, mimetype, getattr(g, "cache_live_sensitive", False),
                 time.time() + timeout)
        cache.set(key, entry, timeout=timeout)
        page = _live.parse(body)
        _LOCAL.put(key, entry, page, size)
        return _finish(page, mimetype, state="MISS")

    return wrapper


def cache_stats() -> dict:
    return dict(_STATS)


class _LocalPages:
    """This process's copies of cache entries with their parsed bodies, by key, least recently
    used first: key -> (entry, page)."""

    def __init__(self):
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()  # (threaded workers share it)

    def get(self, key):
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            if found[0][4] <= time.time():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return found

    def put(self, key, entry, page, size):
        if size <= 0:
            return
        entry = (entry[0], None, *entry[2:])  # the parsed page is the body: not kept twice
        with self.lock:
            self.entries[key] = (entry, page)
            self.entries.move_to_end(key)
            while len(self.entries) > size:
                self.entries.popitem(last=False)

    def drop(self, key):
        with self.lock:
            self.entries.pop(key, None)


_LOCAL = _LocalPages()


def clear_pages() -> None:
    """Forget every cached page and kept content: the shared store's and this process's."""
    cache.clear()
    _LOCAL.entries.clear()
    ContentMemo.forget_all()

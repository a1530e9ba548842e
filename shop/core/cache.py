"""Rendered-page cache for the public catalogue.

Pages are cached per normalised URL and language, tagged with the catalogue *content* version
(names, prices, photos, flags, facilities). The version is a row bumped inside the transaction
of every content change (see `bump_on_catalog_changes`), so a cached page is never older than
the last committed change; CATALOG_CACHE_SECONDS bounds how long an entry lives.

What changes with every order (stock) is not part of the cached body: pages carry "live
fragment" markers that a registered filler (the catalogue's stock slots) fills per request.
A cache hit costs one SQL round trip that reads the content version and the live values of
the page together; an order writes no shared row and leaves every cached page valid.

The store is Flask-Caching: in-process by default, Redis (CACHE_TYPE=RedisCache) where several
hosts should share it.
"""

from functools import wraps
from urllib.parse import urlencode

from flask import current_app, g, request, session
from sqlalchemy import bindparam, event, literal_column, select, text, union_all, update
from sqlalchemy.orm import Session

from shop.core.database import read_rows
from shop.core.i18n import select_locale
from shop.core.models import CacheVersion
from shop.core.time import utcnow
from shop.extensions import cache, db

CATALOG = "catalog"
_CATALOG_MODELS: tuple = ()
_VERSION_SQL = text("SELECT version FROM cache_version WHERE name = :name")
_STATS = {"hit": 0, "miss": 0, "stale": 0}  # per process, for benchmarks (/healthz-free)


class LiveFragments:
    """The interface a higher layer registers to fill per-request values into pages.

    `ids(body)` lists the keys a body needs, `select(ids)` is a statement of (key, value)
    rows (integer keys > 0) for the keys in `ids`, a list or an expanding bind parameter (the
    hit's statement is built once with one), `fill(body, values)` returns the finished body, and
    `stale(values)` says whether a stock-sensitive page must be rendered again."""

    def ids(self, body: str) -> list[int]:  # pragma: no cover - interface
        return []

    def select(self, ids):  # pragma: no cover - interface
        raise NotImplementedError

    def fill(self, body: str, values: dict) -> str:  # pragma: no cover - interface
        return body

    def stale(self, values: dict) -> bool:  # pragma: no cover - interface
        return False


_live: LiveFragments = LiveFragments()


def register_live_fragments(filler: LiveFragments) -> None:
    global _live
    _live = filler


def live_fragments() -> LiveFragments:
    return _live


def current_version(name=CATALOG) -> int:
    """One tiny indexed read (plain SQL: no ORM work on the hot path)."""
    return db.session.execute(_VERSION_SQL, {"name": name}).scalar() or 0


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


def _hit_statement():
    """The cache hit's one statement (content version + live values of :ids), built once per
    filler: building it costs more CPU than running it."""
    stmt = _HIT_STATEMENTS.get(id(_live))
    if stmt is None:
        version_row = select(literal_column("0").label("k"),
                             CacheVersion.version.label("v")).where(CacheVersion.name == CATALOG)
        stmt = union_all(version_row, _live.select(bindparam("ids", expanding=True)))
        _HIT_STATEMENTS[id(_live)] = stmt
    return stmt


def _version_and_live(ids):
    """The content version and the live values of `ids`, in one round trip."""
    if not ids:
        return current_version(), {}
    values = dict(read_rows(_hit_statement(), {"ids": ids}).all())
    return values.pop(0, 0) or 0, values


def _finish(body, mimetype, values=None, state=None):
    if values is not None:
        g.live_values = {**getattr(g, "live_values", {}), **values}
    response = current_app.response_class(_live.fill(body, getattr(g, "live_values", {})),
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
                or session.get("_flashes")):
            body, mimetype = _render(view, args, kwargs)
            return _finish(body, mimetype) if mimetype else body
        key = f"page:{select_locale()}:{g.canonical_url}"
        entry = cache.get(key)
        if entry is not None:
            version, body, mimetype, sensitive = entry
            live_version, values = _version_and_live(_live.ids(body))
            if live_version == version and not (sensitive and _live.stale(values)):
                _STATS["hit"] += 1
                return _finish(body, mimetype, values, "HIT")
            _STATS["stale"] += 1
        _STATS["miss"] += 1
        version = current_version()  # read before rendering: a change meanwhile re-renders
        body, mimetype = _render(view, args, kwargs)
        if mimetype is None:
            return body
        cache.set(key, (version, body, mimetype, getattr(g, "cache_live_sensitive", False)),
                  timeout=_timeout(seconds))
        return _finish(body, mimetype, state="MISS")

    return wrapper


def cache_stats() -> dict:
    return dict(_STATS)

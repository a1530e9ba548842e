"""Rendered-page cache for the public catalogue.

Pages are cached per URL, language and catalogue version. The version is a row bumped inside
the transaction of every catalogue change (see `bump_on_catalog_changes`), so a cached page is
never older than the last committed change; CATALOG_CACHE_SECONDS bounds how long an entry lives.
The store is Flask-Caching: in-process by default, Redis (CACHE_TYPE=RedisCache) where several
hosts should share it.
"""

from functools import wraps

from flask import current_app, request, session
from sqlalchemy import event, text, update
from sqlalchemy.orm import Session

from shop.core.i18n import select_locale
from shop.core.models import CacheVersion
from shop.extensions import cache, db

CATALOG = "catalog"
_CATALOG_MODELS: tuple = ()


_VERSION_SQL = text("SELECT version FROM cache_version WHERE name = :name")


def current_version(name=CATALOG) -> int:
    """One tiny indexed read per cached page (plain SQL: no ORM work on the hot path)."""
    return db.session.execute(_VERSION_SQL, {"name": name}).scalar() or 0


def bump_version(session, name=CATALOG):
    """Bump inside the caller's transaction (creating the row on first use)."""
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


def cached_page(view):
    """Serve a rendered public page from the cache when the catalogue has not changed."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        seconds = current_app.config.get("CATALOG_CACHE_SECONDS", 0)
        if not seconds or request.method != "GET" or session.get("_flashes"):
            return view(*args, **kwargs)
        key = f"page:{select_locale()}:{current_version()}:{request.full_path}"
        entry = cache.get(key)
        if entry is None:
            result = view(*args, **kwargs)
            if isinstance(result, str):
                entry = (result, "text/html")
            elif isinstance(result, dict):
                entry = (current_app.json.dumps(result), "application/json")
            else:  # a redirect, an error or a (body, status) tuple: never cached
                return result
            cache.set(key, entry, timeout=seconds)
        body, mimetype = entry
        return current_app.response_class(body, mimetype=mimetype)

    return wrapper

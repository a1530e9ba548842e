"""Running behind nginx: the client's address and scheme from the proxy headers (only as
many hops as PROXY_FIX_X_FOR says are ours), and static URLs with a content version
(`?v=`), so nginx can cache them for a year and a change is seen at once."""

import hashlib
from functools import lru_cache
from pathlib import Path

from werkzeug.middleware.proxy_fix import ProxyFix


@lru_cache(maxsize=512)
def _version(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def static_version(app, filename: str) -> str | None:
    path = Path(app.static_folder, filename)
    try:
        return _version(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def init_app(app):
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.url_defaults
    def _static_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = static_version(app, values["filename"])
            if version:
                values["v"] = version

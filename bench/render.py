"""Uncached render time of the storefront pages, in-process (issue 14, section 2).

Run from the repository root::

    .venv/bin/python bench/render.py                  # about 30 s
    .venv/bin/python bench/render.py --requests 20 --batches 5

Builds a throw-away instance (SQLite in a temp dir), migrates it and seeds the demo data
(`seed-demo`: ten facilities, 34 products with photos, the demo promotions), then requests
each page through Flask's test client with the page cache off (CACHE_TYPE=NullCache), so every
request renders the page: queries, template and cards. The time is the process's CPU time
(time.process_time) over a batch of requests divided by the batch size, so that other work on
a shared machine does not count; SQLite runs in the process, so its work is included. Prints
min/median of the batches per page, the SQL statements per request and PASS/FAIL against the
targets. Always exits 0: it is a measurement, not a test.
"""

import argparse
import contextlib
import io
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCT = "sambal-roa-original"  # a flagship with a photo, a promo code and three siblings
# (label, path, language, target ms of the min and median CPU time per request, or None)
PAGES = [
    ("/products (24 cards)", "/products", "id", 4.0),
    ("product page", f"/products/{PRODUCT}", "id", 3.0),
    ("/ (home)", "/", "id", None),
    ("/products, English", "/products", "en", None),
    ("product page, English", f"/products/{PRODUCT}", "en", None),
    ("/ (home), English", "/", "en", None),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=7, help="batches per page [7]")
    parser.add_argument("--requests", type=int, default=40, help="requests per batch [40]")
    parser.add_argument("--warmup", type=int, default=10, help="requests before timing [10]")
    return parser.parse_args()


def make_app(tmp: Path):
    """Migrate and seed a fresh SQLite instance in `tmp`; return the app (page cache off)."""
    os.environ.update(SHOP_ENV="development", SHOP_INSTANCE_DIR=str(tmp / "instance"),
                      MEDIA_ROOT=str(tmp / "media"), CACHE_TYPE="NullCache",
                      DATABASE_URL=f"sqlite:///{tmp / 'shop.db'}", DEMO_PASSWORD="render-bench")
    os.environ.pop("CATALOG_CACHE_SECONDS", None)
    (tmp / "instance").mkdir()
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from config import DevelopmentConfig
    from shop import create_app
    from shop.demo.seed import seed_demo

    warnings.filterwarnings("ignore", message="Flask-Caching: CACHE_TYPE is set to NullCache")
    app = create_app(type("RenderBenchConfig", (DevelopmentConfig,), {
        "SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"], "CACHE_TYPE": "NullCache",
        "MEDIA_ROOT": os.environ["MEDIA_ROOT"], "DEMO_PASSWORD": "render-bench",
        "MAIL_SERVER": None}))
    chatter = io.StringIO()  # Alembic's log lines; shown only if something fails
    try:
        with contextlib.redirect_stderr(chatter), app.app_context():
            upgrade()
            seed_demo(echo=lambda *args: None)
    except Exception:
        sys.stderr.write(chatter.getvalue())
        raise
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return app


class StatementCounter:
    def __init__(self, engine):
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        self.count += 1


def measure(client, counter, path, lang, args):
    """(ms per request of each batch, SQL statements per request, the last body)."""
    client.set_cookie("lang", lang)
    body = b""
    for _ in range(args.warmup):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} ({lang}) answered {response.status_code}")
        body = response.data
    counter.count = 0
    client.get(path)
    statements = counter.count
    times = []
    for _ in range(args.batches):
        started = time.process_time()
        for _ in range(args.requests):
            client.get(path)
        times.append((time.process_time() - started) * 1000 / args.requests)
    return times, statements, body


def main():
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        print("Seeding the demo data (SQLite in a temp dir)...", flush=True)
        app = make_app(tmp)
        from shop.extensions import db

        with app.app_context():
            counter = StatementCounter(db.engine)
        client = app.test_client()
        print(f"CPU time per request (time.process_time), {args.batches} batches of "
              f"{args.requests} requests after {args.warmup} warm-up requests; "
              f"CACHE_TYPE=NullCache; {os.cpu_count()} CPUs, 1-min load average "
              f"{os.getloadavg()[0]:.2f}\n")
        print(f"{'page':<24} {'min ms':>8} {'median ms':>10} {'SQL':>4} {'KB':>6}  target")
        results = []
        for label, path, lang, target in PAGES:
            times, statements, body = measure(client, counter, path, lang, args)
            low, median = min(times), statistics.median(times)
            cards = body.count(b'<article class="card"')
            note = f" ({cards} cards)" if path == "/products" else ""
            goal = f"<= {target:g} ms" if target else ""
            print(f"{label:<24} {low:>8.2f} {median:>10.2f} {statements:>4} "
                  f"{len(body) / 1024:>6.1f}  {goal}{note}", flush=True)
            if target:
                results.append((f"{label} in <= {target:g} ms of CPU time "
                                f"(min {low:.2f}, median {median:.2f})", median <= target))
        print("\nTargets (the median of the batches):")
        for text, ok in results:
            print(f"  [{'PASS' if ok else 'FAIL'}] {text}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Catalogue benchmark: the shop's catalogue pages under wrk, next to a bare Flask app.

Run from the repository root (``make bench-catalog`` does exactly this)::

    .venv/bin/python bench/catalog.py
    .venv/bin/python bench/catalog.py --database-url postgresql+psycopg://user@host:5432/db

It builds a throw-away instance (SQLite unless --database-url is given; a PostgreSQL database
has its schema ``public`` dropped and recreated first), migrates it, seeds ten facilities with
5,000 active products, starts gunicorn (2 sync workers) for the shop and for a "hello world"
Flask app, runs wrk against each URL and prints a table with PASS/FAIL per target. It always
exits 0: it is a measurement, not a test.
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK = shutil.which("wrk") or "/usr/bin/wrk"
WRK_THREADS = 2
WRK_CONNECTIONS = 16
SEARCH_WORD = "sambal"
SEARCH_FACILITY = "lpp-ternate"
FLAGSHIP_EVERY = 50  # 2% of products are flagships: 10 per facility with 5,000 products

# Targets
MIN_RATIO = 0.30
MAX_P99_MS = 50.0
MAX_HOME_KB = 60.0
MAX_CSS_KB = 20.0

HELLO_APP = '''\
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
'''

VARIANTS = [
    "Asli", "Spesial", "Premium", "Ekonomis", "Mini", "Jumbo", "Klasik", "Rumahan",
    "Pedas", "Manis", "Halus", "Kasar", "Merah", "Hijau", "Cokelat", "Putih",
]


@dataclass
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    errors: int


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="run against this PostgreSQL database (postgresql+psycopg://...); its schema "
        "'public' is DROPPED and recreated. Default: a fresh SQLite file in a temp dir.",
    )
    parser.add_argument("--products", type=int, default=5000, help="products to seed [5000]")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run [10]")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per URL [2]")
    return parser.parse_args()


# ------------------------------------------------------------------ database


def bench_env(tmp: Path, database_url: str | None) -> dict:
    """Environment for migrations, seeding and gunicorn: a fresh instance dir in `tmp`."""
    env = dict(os.environ)
    env.update(
        SHOP_ENV="development",
        SHOP_INSTANCE_DIR=str(tmp / "instance"),
        MEDIA_ROOT=str(tmp / "media"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("CATALOG_CACHE_SECONDS", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def prepare_database(product_count: int) -> str:
    """Migrate and seed the database named by the environment; return a product's slug.

    Imports the app lazily: config.py reads the environment at import time.
    """
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade
    from sqlalchemy import text

    from shop import create_app
    from shop.core.time import flagship_target_year
    from shop.extensions import db

    app = create_app()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        slug = seed(product_count, flagship_target_year())
        if db.engine.dialect.name == "postgresql":
            # statistics and visibility maps as autovacuum would have them on a live shop (a
            # planner that thinks the fresh tables are empty picks plans no real catalogue
            # gets; without the visibility map an index-only count reads the table anyway).
            # VACUUM runs outside a transaction. Run right after the load, one VACUUM leaves
            # the visibility map empty on PostgreSQL 15 (measured: relallvisible 0, so the
            # count read all 281 pages); the second one fills it, as autovacuum's later passes
            # would.
            db.session.commit()
            with db.engine.connect() as connection:
                autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
                autocommit.exec_driver_sql("VACUUM ANALYZE")
                autocommit.exec_driver_sql("VACUUM")
                pages, visible = autocommit.exec_driver_sql(
                    "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'product'"
                ).one()
            if visible < pages:
                print(f"note: only {visible} of {pages} product pages are all-visible")
        db.session.remove()
        db.engine.dispose()
    return slug


def seed(product_count: int, flagship_year: int) -> str:
    """Ten facilities and the category tree from the demo data (through the services), then
    `product_count` active products without photos in one ORM batch (so the search_text hook
    runs). Product names reuse the demo products' names and descriptions with a variant."""
    from sqlalchemy import func, select

    from shop.catalog.models import Product
    from shop.catalog.services import create_category
    from shop.core.slugs import make_slug
    from shop.core.time import utcnow
    from shop.demo import data
    from shop.extensions import db
    from shop.facilities.models import Facility
    from shop.facilities.services import create_facility

    facilities = [create_facility(**fields) for fields in data.FACILITIES]
    categories = {}
    for position, (slug, name, name_en, children) in enumerate(data.CATEGORIES):
        parent = create_category(name, slug=slug, name_en=name_en, position=position)
        for child_position, (child_slug, child_name, child_en) in enumerate(children):
            categories[child_slug] = create_category(
                child_name, slug=child_slug, name_en=child_en, parent=parent,
                position=child_position,
            )
    templates = [p for products in data.PRODUCTS.values() for p in products]

    rng = random.Random(20251128)
    now = utcnow()
    products = []
    for i in range(product_count):
        tpl = rng.choice(templates)
        name = f"{tpl['name']} {rng.choice(VARIANTS)} {i + 1}"
        flagship = i % FLAGSHIP_EVERY == 0
        products.append(
            Product(
                facility=facilities[i % len(facilities)],
                category=categories[tpl["category"]],
                name=name,
                name_en=f"{tpl['name_en']} {i + 1}" if tpl.get("name_en") else None,
                slug=make_slug(name),  # the running number keeps it unique
                description=tpl["description"],
                description_en=tpl.get("description_en"),
                price=rng.randrange(5_000, 2_000_000, 500),
                unit=tpl["unit"],
                weight_grams=tpl["weight_grams"],
                stock=rng.choice([0, 1, 3, 8, 20, 50, 120]),
                is_flagship=flagship,
                flagship_year=flagship_year if flagship else None,
                is_perishable=tpl["is_perishable"],
                status="active",
                created_at=now - timedelta(minutes=i),
            )
        )
    db.session.add_all(products)
    db.session.commit()

    matches = db.session.scalar(
        select(func.count())
        .select_from(Product)
        .join(Product.facility)
        .where(Product.search_text.like(f"%{SEARCH_WORD}%"), Facility.slug == SEARCH_FACILITY)
    )
    if not matches:
        raise SystemExit(f"seed: no product matches q={SEARCH_WORD} in {SEARCH_FACILITY}")
    counts = db.session.execute(
        select(func.count(), func.count().filter(Product.is_flagship.is_(True))).select_from(
            Product
        )
    ).one()
    print(
        f"Seeded {len(facilities)} facilities, {len(categories)} leaf categories, "
        f"{counts[0]} active products ({counts[1]} flagships, no photos); "
        f"q={SEARCH_WORD}&facility={SEARCH_FACILITY} matches {matches}.",
        flush=True,
    )
    return products[product_count // 2].slug


# ------------------------------------------------------------------ servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    log: Path
    base: str

    def stop(self):
        """Stop the gunicorn master we started (SIGTERM, then SIGKILL to its own group)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def start_gunicorn(name: str, target: str, chdir: Path, env: dict, logdir: Path,
                   workers: int = 2) -> Server:
    """Start gunicorn (`workers` sync workers, 2 unless told) in its own session and wait until
    it answers."""
    port = free_port()
    log = logdir / f"{name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn",
                "--workers", str(workers), "--worker-class", "sync",
                "--bind", f"127.0.0.1:{port}",
                "--no-control-socket",
                "--chdir", str(chdir),
                target,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, proc, log, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name}: gunicorn exited\n{log.read_text()}")
        try:
            with urllib.request.urlopen(server.base + "/", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name}: no answer on {server.base} after 30 s\n{log.read_text()}")


# ------------------------------------------------------------------ measuring


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value).groups()
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}[unit]
    return float(number) * factor


def parse_wrk(output: str) -> WrkResult:
    def find(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        return match.groups() if match else None

    rps = find(r"^Requests/sec:\s+([\d.]+)")
    p50 = find(r"^\s+50%\s+(\S+)")
    p99 = find(r"^\s+99%\s+(\S+)")
    if not (rps and p50 and p99):
        raise RuntimeError(f"cannot parse wrk output:\n{output}")
    non_2xx = find(r"Non-2xx or 3xx responses:\s+(\d+)")
    sockets = find(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
    return WrkResult(
        requests_per_s=float(rps[0]),
        p50_ms=to_ms(p50[0]),
        p99_ms=to_ms(p99[0]),
        non_2xx=int(non_2xx[0]) if non_2xx else 0,
        errors=sum(int(n) for n in sockets) if sockets else 0,
    )


def wrk(url: str, seconds: int, latency=True) -> str:
    command = [WRK, f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s"]
    if latency:
        command.append("--latency")
    done = subprocess.run(command + [url], capture_output=True, text=True, check=True)
    return done.stdout


def measure(url: str, duration: int, warmup: int) -> WrkResult:
    if warmup:
        wrk(url, warmup, latency=False)
    return parse_wrk(wrk(url, duration))


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# ------------------------------------------------------------------ report


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_report(rows, hello, home_kb, css_kb):
    header = ("URL", "req/s", "p50 ms", "p99 ms", "ratio", "non-2xx", "errors")
    lines = [
        (path, f"{r.requests_per_s:.1f}", f"{r.p50_ms:.2f}", f"{r.p99_ms:.2f}",
         f"{r.requests_per_s / hello.requests_per_s:.3f}", str(r.non_2xx), str(r.errors))
        for path, r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]

    def fmt(cells):
        return " | ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(
                zip(cells, widths, strict=True))
        )

    print()
    print(f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} --latency; ratio = req/s / hello world req/s")
    print(fmt(header))
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))

    print()
    print("Targets (1 KB = 1024 bytes):")
    results = []
    for path, r in rows[1:]:
        ratio = r.requests_per_s / hello.requests_per_s
        clean = r.non_2xx == 0 and r.errors == 0
        results += [
            (f"{path}: throughput >= {MIN_RATIO:.0%} of hello world ({ratio:.1%})",
             ratio >= MIN_RATIO),
            (f"{path}: p99 < {MAX_P99_MS:.0f} ms at {WRK_CONNECTIONS} connections "
             f"({r.p99_ms:.1f} ms)", r.p99_ms < MAX_P99_MS),
            (f"{path}: no non-2xx responses or socket errors ({r.non_2xx}/{r.errors})", clean),
        ]
    results += [
        (f"home page HTML < {MAX_HOME_KB:.0f} KB ({home_kb:.1f} KB)", home_kb < MAX_HOME_KB),
        (f"static/css/shop.css < {MAX_CSS_KB:.0f} KB ({css_kb:.1f} KB)", css_kb < MAX_CSS_KB),
    ]
    for label, ok in results:
        print(f"  [{verdict(ok)}] {label}")
    failed = sum(not ok for _, ok in results)
    print()
    print(f"Overall: {verdict(not failed)} ({len(results) - failed}/{len(results)} targets met)")


def cpu_busy(seconds: float) -> float | None:
    """Share of all CPUs busy during `seconds` (Linux /proc/stat), before we add any load."""

    def sample():
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:9]]
        return sum(values), values[3] + values[4]  # total, idle + iowait

    try:
        total1, idle1 = sample()
        time.sleep(seconds)
        total2, idle2 = sample()
    except OSError:
        return None
    return 1 - (idle2 - idle1) / max(1, total2 - total1)


def print_conditions(busy_at_start, hello, hello_again):
    """Other work on the machine (tests, a browser) skews every number: say so."""
    drift = hello_again.requests_per_s / hello.requests_per_s - 1
    busy = "unknown" if busy_at_start is None else f"{busy_at_start:.0%}"
    print(
        f"Conditions: {os.cpu_count()} CPUs shared by wrk and gunicorn; CPU {busy} busy "
        f"before the bench started; hello world "
        f"{hello.requests_per_s:.0f} req/s first, {hello_again.requests_per_s:.0f} last "
        f"({drift:+.0%})."
    )
    if abs(drift) > 0.15:
        print("WARNING: the baseline moved by more than 15% during the run; other load on the "
              "machine probably skewed these numbers. Run again on an idle machine.")


# ------------------------------------------------------------------ main


def main():
    args = parse_args()
    started = time.monotonic()
    busy_at_start = cpu_busy(1.0)
    tmp = Path(tempfile.mkdtemp(prefix="bench-catalog-"))
    servers = []
    try:
        env = bench_env(tmp, args.database_url)
        os.environ.pop("DATABASE_URL", None)
        os.environ.update(env)  # config.py reads it when prepare_database imports the app
        (tmp / "instance").mkdir()
        where = "PostgreSQL" if args.database_url else f"SQLite in {tmp / 'instance'}"
        print(f"Preparing the database ({where})...", flush=True)
        detail_slug = prepare_database(args.products)

        (tmp / "hello_app.py").write_text(HELLO_APP)
        hello = start_gunicorn("hello", "hello_app:app", tmp, env, tmp)
        servers.append(hello)
        shop = start_gunicorn("shop", "wsgi:app", ROOT, env, tmp)
        servers.append(shop)

        paths = [
            "/",
            "/products",
            f"/products?q={SEARCH_WORD}&facility={SEARCH_FACILITY}",
            f"/products/{detail_slug}",
            "/api/v1/products",
        ]
        targets = [("/ (hello world)", hello.base + "/")]
        targets += [(path, shop.base + path) for path in paths]
        for label, url in targets:
            status, body = fetch(url)
            print(f"GET {label}: HTTP {status}, {len(body) / 1024:.1f} KB")
        home_kb = len(fetch(shop.base + "/")[1]) / 1024
        css_kb = len(fetch(shop.base + "/static/css/shop.css")[1]) / 1024

        rows = []
        for label, url in targets:
            print(f"wrk {label} ({args.warmup} s warm-up + {args.duration} s)...", flush=True)
            rows.append((label, measure(url, args.duration, args.warmup)))
        print("wrk / (hello world) again, to check the baseline did not drift...", flush=True)
        hello_again = measure(targets[0][1], args.duration, args.warmup)
        print_report(rows, rows[0][1], home_kb, css_kb)
        print_conditions(busy_at_start, rows[0][1], hello_again)
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"\nTotal run time: {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()

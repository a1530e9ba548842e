"""Reports benchmark: the Kanwil dashboard, the yearly sales report (page and CSV), the public
impact page and API, and the close of a month, over 100,000 orders.

Run from the repository root::

    .venv/bin/python bench/reports.py                  # SQLite in a fresh temp dir
    .venv/bin/python bench/reports.py --database-url postgresql+psycopg://postgres@127.0.0.1:54329/shop_test
    # a throw-away PostgreSQL: scripts/with-postgres.sh (see bench/README.md)

It builds a throw-away database (SQLite unless --database-url is given; a PostgreSQL database
has its schema ``public`` DROPPED and recreated first), migrates it, seeds the ten demo
facilities with products through the services, then inserts --orders (100,000) orders spread
over --years (3) years up to now with bulk Core inserts (orders, facility orders, order lines).
It then signs in a Kanwil admin with Flask's test client (in this process: no HTTP server, so
the figures are the application's own time) and requests each page --requests (20) times after
two warm-up requests: the dashboard (/admin/) and, if it exists, the yearly sales report
(/admin/reports/sales?year=<last full year>; skipped when it answers 404). It prints p50/p95,
the queries per request and the slowest statements, then PASS/FAIL against p50 < 500 ms. It
always exits 0 when it could run: it is a measurement, not a test.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_P50_MS = 500.0
BATCH = 5_000
ADMIN_EMAIL = "bench.kanwil@example.org"
ADMIN_PASSWORD = "bench-kanwil-rahasia"

CITIES = [("Kota Ternate", "Ternate Tengah", "Kalumpang", "97712"),
          ("Kota Tidore Kepulauan", "Tidore", "Soasio", "97813"),
          ("Kabupaten Halmahera Utara", "Tobelo", "Gamsungi", "97762"),
          ("Kota Makassar", "Ujung Pandang", "Baru", "90111"),
          ("Kota Surabaya", "Genteng", "Embong Kaliasin", "60271")]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="run against this PostgreSQL database (postgresql+psycopg://...); its schema "
        "'public' is DROPPED and recreated. Default: a fresh SQLite file in a temp dir.",
    )
    parser.add_argument("--orders", type=int, default=100_000, help="orders [100000]")
    parser.add_argument("--years", type=int, default=3, help="years of orders up to now [3]")
    parser.add_argument("--products", type=int, default=30,
                        help="products per facility [30]")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page [20]")
    parser.add_argument("--seed", type=int, default=20251128, help="random seed")
    return parser.parse_args()


# ------------------------------------------------------------------ the database


def bench_env(tmp: Path, database_url: str | None) -> dict:
    env = {
        "SHOP_ENV": "development",
        "SHOP_INSTANCE_DIR": str(tmp / "instance"),
        "MEDIA_ROOT": str(tmp / "media"),
    }
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def make_app():
    """The app with development settings, no CSRF (the test client signs in through the form)
    and no rate limit. Imported late: config.py reads the environment at import time."""
    sys.path.insert(0, str(ROOT))
    from config import DevelopmentConfig
    from shop import create_app

    class BenchConfig(DevelopmentConfig):
        WTF_CSRF_ENABLED = False
        RATELIMIT_ENABLED = False

    return create_app(BenchConfig)


def migrate(db):
    from flask_migrate import upgrade
    from sqlalchemy import text

    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    upgrade()


def seed_catalogue(args, rng, flagship_year):
    """The ten demo facilities with rates, a category, `--products` products per facility
    (some flagships, some low stock) and a Kanwil admin: through the services."""
    from shop.accounts.provisioning import create_admin
    from shop.catalog.services import create_category, create_product
    from shop.demo import data
    from shop.extensions import db
    from shop.facilities.services import create_facility, set_shipping_rate

    facilities = []
    for fields in data.FACILITIES:
        facility = create_facility(**fields)
        for zone, (first_kg, next_kg) in data.SHIPPING_RATES.items():
            set_shipping_rate(facility, zone, first_kg, next_kg)
        facilities.append(facility)
    category = create_category("Kerajinan Uji", slug="kerajinan-uji")
    products = {}
    for f_index, facility in enumerate(facilities):
        flagships = f_index % 3  # 0, 1 or 2 flagships: some meet the target, some do not
        for i in range(args.products):
            product = create_product(
                facility=facility, category=category, name=f"Produk {facility.slug} {i + 1}",
                price=rng.randrange(15_000, 600_000, 500), unit="piece",
                weight_grams=rng.choice([200, 500, 1200]), status="active",
                stock=rng.choice([0, 2, 5, 9, 20, 80, 150]),
                is_flagship=i < flagships, flagship_year=flagship_year if i < flagships else None)
            products.setdefault(facility.id, []).append(
                (product.id, product.slug, product.name, product.price, product.weight_grams))
    db.session.commit()
    create_admin(ADMIN_EMAIL, ADMIN_PASSWORD, "Admin Bench")
    return facilities, products


def _states(age: timedelta, delivery: str, rng) -> tuple[str, str]:
    """(order status, parcel status) for an order paid `age` ago: old ones are done, recent
    ones spread over the desk's states (a few of them stalled)."""
    if rng.random() < 0.03:
        return "cancelled", "cancelled"
    if age > timedelta(days=14):
        return "completed", "delivered" if delivery == "courier" else "picked_up"
    pick = rng.choice(["new", "accepted", "packed", "shipped", "done"])
    if pick == "shipped":
        return ("shipped", "shipped") if delivery == "courier" else ("paid", "ready_for_pickup")
    if pick == "done":
        return "completed", "delivered" if delivery == "courier" else "picked_up"
    return "paid", pick


def insert_orders(args, rng, facilities, products):
    """`--orders` orders over `--years` years up to now, in time order: 80% with one parcel,
    20% with two, each parcel with 1-3 lines; about 5% never paid (expired), about 3% cancelled;
    old parcels are done, recent ones spread over the desk's states. Bulk Core inserts."""
    from sqlalchemy import insert, text

    from shop.core.time import utcnow
    from shop.extensions import db
    from shop.orders.models import FacilityOrder, Order, OrderLine

    now = utcnow()
    span = timedelta(days=365 * args.years).total_seconds()
    facility_ids = [f.id for f in facilities]
    # the split fixed at the sale (issue 11): every paid parcel keeps its facility's percentages
    percents = {f.id: (f.premi_percent, f.pnbp_percent, f.capital_percent) for f in facilities}
    orders, parcels, lines = [], [], []
    counts = {"orders": 0, "parcels": 0, "lines": 0}
    parcel_id = line_id = 0
    engine_conn = db.session.connection()
    if db.engine.dialect.name == "sqlite":
        engine_conn.exec_driver_sql("PRAGMA synchronous=OFF")

    def flush():
        for model, rows in ((Order, orders), (FacilityOrder, parcels), (OrderLine, lines)):
            if rows:
                engine_conn.execute(insert(model.__table__), rows)
                rows.clear()

    # Orders arrive in time order, as in the shop: ids grow with the time of the order.
    moments = sorted(rng.random() * span for _ in range(args.orders))
    for order_id, seconds_ago in zip(range(1, args.orders + 1), reversed(moments), strict=True):
        created = now - timedelta(seconds=seconds_ago)
        paid = rng.random() >= 0.05
        paid_at = created + timedelta(minutes=rng.randrange(1, 30)) if paid else None
        if paid_at and paid_at > now:
            paid_at = now
        city, kecamatan, kelurahan, postal = rng.choice(CITIES)
        number = f"BN-{order_id:07d}"
        chosen = rng.sample(facility_ids, 2 if rng.random() < 0.2 else 1)
        order_status = None
        subtotal_sum = shipping_sum = 0
        for index, facility_id in enumerate(chosen, start=1):
            parcel_id += 1
            delivery = "courier" if rng.random() < 0.7 else "pickup"
            if paid:
                status_o, status_p = _states(now - paid_at, delivery, rng)
                order_status = order_status if order_status not in (None, "cancelled") \
                    else status_o
            else:
                status_o, status_p = "expired", "cancelled"
                order_status = "expired"
            subtotal = weight = 0
            for _ in range(rng.randint(1, 3)):
                product_id, slug, name, price, grams = rng.choice(products[facility_id])
                quantity = rng.randint(1, 4)
                line_id += 1
                lines.append(dict(
                    id=line_id, facility_order_id=parcel_id, product_id=product_id,
                    product_slug=slug, product_name=name, unit="piece", unit_price=price,
                    quantity=quantity, line_total=price * quantity,
                    weight_grams=grams * quantity))
                subtotal += price * quantity
                weight += grams * quantity
            shipping = 0 if delivery == "pickup" else 10_000 + 4_000 * (weight // 1000)
            updated = created if not paid else min(now, paid_at + timedelta(
                hours=rng.randrange(1, 72)))
            parcels.append(dict(
                id=parcel_id, order_id=order_id, facility_id=facility_id,
                number=f"{number}-{index}", status=status_p, delivery=delivery,
                shipping_zone="same_town" if delivery == "courier" else None,
                weight_grams=weight, subtotal=subtotal, shipping=shipping, discount=0,
                total=subtotal + shipping, courier="jne" if status_p in ("shipped", "delivered")
                else None, tracking_number=None, created_at=created, updated_at=updated,
                premi_percent=percents[facility_id][0] if paid else None,
                pnbp_percent=percents[facility_id][1] if paid else None,
                capital_percent=percents[facility_id][2] if paid else None))
            subtotal_sum += subtotal
            shipping_sum += shipping
        orders.append(dict(
            id=order_id, number=number, token_hash="0" * 64, user_id=None, status=order_status,
            contact_name="Pembeli Uji", email=f"pembeli{order_id % 5000}@example.com",
            phone="081234567890", street="Jl. Pahlawan Revolusi No. 12", rt_rw="003/005",
            kelurahan=kelurahan, kecamatan=kecamatan, city=city, province="Maluku Utara",
            postal_code=postal, note="", subtotal=subtotal_sum, shipping_total=shipping_sum,
            discount_total=0, total=subtotal_sum + shipping_sum,
            expires_at=created + timedelta(minutes=30), paid_at=paid_at, created_at=created,
            updated_at=paid_at or created))
        counts["orders"] += 1
        counts["parcels"] += len(chosen)
        if len(orders) >= BATCH:
            flush()
    flush()
    counts["lines"] = line_id
    if db.engine.dialect.name == "postgresql":
        for table in ("customer_order", "facility_order", "order_line"):
            engine_conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"))
        engine_conn.execute(text("ANALYZE"))
    else:
        engine_conn.exec_driver_sql("ANALYZE")
    db.session.commit()
    return counts


# ------------------------------------------------------------------ measuring


def percentile(values, share):
    """Nearest-rank percentile of `values` (share in 0..1)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(len(ordered), rank) - 1]


class Statements:
    """Counts and times the SQL statements of one request."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.engine, self.event = engine, event
        self.rows, self._started = [], {}

    def __enter__(self):
        self.event.listen(self.engine, "before_cursor_execute", self._before)
        self.event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc):
        self.event.remove(self.engine, "before_cursor_execute", self._before)
        self.event.remove(self.engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, *args):
        self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn, cursor, statement, *args):
        started = self._started.pop(id(cursor), None)
        if started is not None:
            self.rows.append(((time.perf_counter() - started) * 1000, statement))


def measure(client, engine, url, count):
    """Two warm-up requests, then `count` timed ones; returns a result dict or None (404)."""
    first = client.get(url)
    if first.status_code == 404:
        return None
    if first.status_code != 200:
        return {"url": url, "status": first.status_code, "times": [], "queries": 0,
                "slowest": [], "bytes": len(first.data)}
    client.get(url)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with Statements(engine) as statements:
        response = client.get(url)
    slowest = sorted(statements.rows, reverse=True)[:4]
    return {"url": url, "status": 200, "times": times, "queries": len(statements.rows),
            "slowest": slowest, "bytes": len(response.data)}


def measure_close(client, app, year, month, count):
    """Close a WIT month through the admin screen (POST, 303) `count` times, reopening it
    through the service in between (not timed); the close reads and stores every figure."""
    from shop.payments import month_close as closing

    url = f"/admin/reports/closing/{year}/{month}/close"
    times, queries, status = [], 0, 303
    for i in range(count + 1):
        started = time.perf_counter()
        with app.app_context():
            from shop.extensions import db

            with Statements(db.engine) as statements:
                response = client.post(url)
        elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code
        if status != 303:
            break
        if i:  # the first one is a warm-up
            times.append(elapsed)
        queries = len(statements.rows)
        with app.app_context():
            closing.reopen_month(year, month, None, "bench: ukur penutupan lagi")
    return {"url": url, "status": 200 if status == 303 else status, "times": times,
            "queries": queries, "slowest": sorted(statements.rows, reverse=True)[:4],
            "bytes": 0}


def report(results, counts, seconds, where):
    print()
    print(f"Data: {counts['orders']:,} orders, {counts['parcels']:,} facility orders, "
          f"{counts['lines']:,} order lines ({where}; inserted in {seconds:.1f} s)")
    print()
    header = ("page", "HTTP", "p50 ms", "p95 ms", "min ms", "max ms", "queries", "KB")
    lines = []
    for label, result in results:
        if result is None:
            lines.append((label, "404", *("-",) * 6))
            continue
        t = result["times"]
        figures = [percentile(t, .5), percentile(t, .95), min(t), max(t)] if t else []
        lines.append((label, str(result["status"]),
                      *([f"{v:.1f}" for v in figures] or ["-"] * 4),
                      str(result["queries"]), f"{result['bytes'] / 1024:.1f}"))
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]

    def fmt(cells):
        return " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                          for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    print(fmt(header))
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))

    for label, result in results:
        if result and result["slowest"]:
            print()
            print(f"Slowest statements of one {label} request:")
            for ms, statement in result["slowest"]:
                print(f"  {ms:7.1f} ms  {' '.join(statement.split())[:150]}")

    print()
    print("Targets:")
    verdicts = []
    for label, result in results:
        if result is None:
            print(f"  [SKIP] {label}: not built yet (404)")
            continue
        ok = result["status"] == 200 and bool(result["times"]) and \
            percentile(result["times"], .5) < MAX_P50_MS
        p50 = f"{percentile(result['times'], .5):.1f} ms" if result["times"] else \
            f"HTTP {result['status']}"
        verdicts.append(ok)
        print(f"  [{'PASS' if ok else 'FAIL'}] {label}: p50 < {MAX_P50_MS:.0f} ms ({p50})")
    print()
    failed = verdicts.count(False)
    print(f"Overall: {'PASS' if not failed else 'FAIL'} "
          f"({len(verdicts) - failed}/{len(verdicts)} targets met)")


# ------------------------------------------------------------------ main


def main():
    args = parse_args()
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        os.environ.update(bench_env(tmp, args.database_url))
        (tmp / "instance").mkdir()
        where = "PostgreSQL" if args.database_url else "SQLite in a temp dir"
        print(f"Preparing the database ({where})...", flush=True)
        app = make_app()
        rng = random.Random(args.seed)
        with app.app_context():
            from shop.core.time import flagship_target_year, to_wit, utcnow
            from shop.extensions import db

            migrate(db)
            facilities, products = seed_catalogue(args, rng, flagship_target_year())
            print(f"Inserting {args.orders:,} orders over {args.years} years...", flush=True)
            load_started = time.monotonic()
            counts = insert_orders(args, rng, facilities, products)
            load_seconds = time.monotonic() - load_started
            db.session.remove()
            report_year = to_wit(utcnow()).year - 1
            engine = db.engine

        client = app.test_client()
        response = client.post("/account/login",
                               data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"admin sign-in failed: HTTP {response.status_code}")
        pages = [("dashboard /admin/", "/admin/"),
                 (f"report /admin/reports/sales?year={report_year}",
                  f"/admin/reports/sales?year={report_year}"),
                 (f"impact /dampak?year={report_year}", f"/dampak?year={report_year}"),
                 (f"impact API /api/v1/impact?year={report_year}",
                  f"/api/v1/impact?year={report_year}"),
                 (f"sales CSV /admin/reports/sales.csv?year={report_year}",
                  f"/admin/reports/sales.csv?year={report_year}")]
        results = []
        with app.app_context():
            for label, url in pages:
                print(f"GET {url} x {args.requests} (after 2 warm-ups)...", flush=True)
                results.append((label, measure(client, engine, url, args.requests)))
            engine.dispose()
        print(f"Closing {report_year}-06 x {args.requests} (after 1 warm-up)...", flush=True)
        results.append((f"close of a month {report_year}-06",
                        measure_close(client, app, report_year, 6, args.requests)))
        report(results, counts, load_seconds, where)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"\nTotal run time: {time.monotonic() - started:.1f} s "
              f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")


if __name__ == "__main__":
    main()

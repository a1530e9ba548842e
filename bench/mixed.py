"""Catalogue under orders: the mixed run and the uncached run of issue 14.

    .venv/bin/python bench/mixed.py [--database-url postgresql+psycopg://...] [--rate 10]

Seeds like bench/catalog.py (5,000 products), starts gunicorn (2 sync workers) for a bare
Flask hello world and for the shop, then measures with wrk (2 threads, 16 connections):
1. hello world (the reference, measured in this run);
2. **mixed**: a spread of 200 distinct catalogue URLs (filters, pages, sorts, product pages,
   API) chosen at random per request, while buyers place orders through the API at a fixed
   rate (`--rate` orders/s, open loop: each order starts on schedule in its own thread).
   Reports throughput, p50/p99 and the page-cache hit ratio (the `X-Cache` header), then
   checks the stock every cached API page of the spread serves against the database's;
3. **uncached**: the shop restarted with CACHE_TYPE=NullCache, `/products` and a product page.
The page cache is Redis (`--cache redis`, the default when `redis-server` is installed: one
cache for both workers, as in production) or each worker's own memory (`--cache simple`).
Every URL is fetched a few times before the measurement so both workers have seen it.
Prints figures; always exits 0 (a measurement, not a test). The machine may be shared: run it
more than once and compare with the hello-world figure of the same run.
"""

import argparse
import json
import os
import random
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import catalog as cat  # noqa: E402  (bench/catalog.py: seeding, gunicorn, wrk parsing)
from leanhttp import LeanHttp  # noqa: E402

WSGI = '''\
from config import DevelopmentConfig
from shop import create_app


class BenchConfig(DevelopmentConfig):
    RATELIMIT_ENABLED = False  # every buyer is 127.0.0.1
    PAYMENT_METHODS = "bank_transfer"  # no gateway in the loop: this measures the catalogue


app = create_app(BenchConfig)
'''

LUA = '''\
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local threads = {}
hits, misses = 0, 0
function setup(thread) table.insert(threads, thread) end
function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function response(status, headers, body)
  local state = headers["X-Cache"] or headers["x-cache"]
  if state == "HIT" then hits = hits + 1 elseif state == "MISS" then misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, m = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); m = m + t:get("misses") end
  io.write(string.format("CACHE hits=%%d misses=%%d\\n", h, m))
end
'''


def get_json(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def spread(base, count=200):
    """200 distinct catalogue paths: product pages, API pages, filtered and paged lists."""
    products = []
    for page in (1, 2, 3):
        products += get_json(f"{base}/api/v1/products?per_page=100&page={page}")["items"]
    facilities = sorted({p["facility"] for p in products})
    rng = random.Random(14)
    paths = [f"/products/{p['slug']}" for p in rng.sample(products, 90)]
    paths += [f"/api/v1/products/{p['slug']}" for p in rng.sample(products, 20)]
    paths += ["/", "/facilities"] + [f"/facilities/{f}" for f in facilities]
    for page in range(1, 21):
        paths.append(f"/products?page={page}")
    for sort in ("price_asc", "price_desc", "name"):
        for page in range(1, 6):
            paths.append(f"/products?sort={sort}&page={page}")
    for facility in facilities:
        paths += [f"/products?facility={facility}", f"/products?facility={facility}&flagship=1",
                  f"/products?facility={facility}&in_stock=1"]
    for word in ("sambal", "kayu", "tas", "kursi", "roa"):
        paths.append(f"/products?q={word}")
    page = 1
    while len(paths) < count:
        paths.append(f"/api/v1/products?page={page}")
        page += 1
    return paths[:count], products


def place_order(base, product, timings, errors):
    """One buyer: cart, one line, checkout (bank transfer). Its HTTP client is lean
    (bench/leanhttp.py): it shares the two cores with what is measured."""
    started = time.perf_counter()
    try:
        http = LeanHttp()
        token = http.post(f"{base}/api/v1/carts", timeout=30).json()["token"]
        http.put(f"{base}/api/v1/carts/{token}/lines/{product['slug']}",
                 json={"quantity": 1}, timeout=30)
        response = http.post(f"{base}/api/v1/carts/{token}/checkout", timeout=30, json={
            "contact": {"name": "Bench", "email": "bench@example.id", "phone": "081234567890"},
            "address": {"street": "Jl. Bench 1", "kelurahan": "Kalumpang",
                        "kecamatan": "Ternate Tengah", "city": "Ternate",
                        "province": "Maluku Utara", "postal_code": "97712"},
            "delivery": {product["facility"]: "pickup"}, "payment_method": "bank_transfer"})
        if response.status_code == 201:
            timings.append((time.perf_counter() - started) * 1000)
        else:
            errors.append(f"{response.status_code} {response.text[:80]}")
    except Exception as exc:  # a measurement: count and go on
        errors.append(type(exc).__name__)


def orders_at_rate(base, products, rate, stop, timings, errors):
    rng = random.Random(7)
    plenty = [p for p in products if p["stock"] > 20] or products
    next_at = time.monotonic()
    while not stop.is_set():
        threading.Thread(target=place_order, daemon=True,
                         args=(base, rng.choice(plenty), timings, errors)).start()
        next_at += 1 / rate
        stop.wait(max(0.0, next_at - time.monotonic()))


def stock_as_served(base, paths, before):
    """After the orders: the stock of every product the spread's API pages show, as served
    (cache hits), against the database's. Returns (products checked, how many of them the
    orders changed (`before`: slug -> stock before), [slugs that differ])."""
    from sqlalchemy import select

    from shop import create_app
    from shop.catalog.models import Product
    from shop.extensions import db

    shown = {}
    for path in paths:
        if path.startswith("/api/v1/products"):
            body = get_json(base + path)
            for item in body.get("items", [body]):
                shown[item["slug"]] = item["stock"]
    with create_app().app_context():
        stock = dict(db.session.execute(
            select(Product.slug, Product.stock).where(Product.slug.in_(shown))).all())
    changed = sum(1 for slug in shown if slug in before and before[slug] != stock.get(slug))
    return (len(shown), changed,
            sorted(slug for slug, n in shown.items() if stock.get(slug) != n))


def wrk_spread(base, paths_file, lua_file, seconds):
    out = cat.subprocess.run(
        [cat.WRK, f"-t{cat.WRK_THREADS}", f"-c{cat.WRK_CONNECTIONS}", f"-d{seconds}s",
         "--latency", "-s", str(lua_file), base], capture_output=True, text=True, check=True,
    ).stdout
    hits, misses = (int(x) for x in cat.re.search(r"CACHE hits=(\d+) misses=(\d+)", out).groups())
    return cat.parse_wrk(out), hits, misses


def start_redis(tmp):
    """A throw-away redis-server on a free port (no persistence); returns (process, url)."""
    port = cat.free_port()
    process = cat.subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", str(tmp)],
        stdout=cat.subprocess.DEVNULL, stderr=cat.subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rate", type=float, default=10, help="orders per second [10]")
    parser.add_argument("--workers", type=int, default=2,
                        help="sync workers of both gunicorns (hello world and the shop) [2]; "
                             "deploy/gunicorn.conf.py runs 2 x cores + 1")
    parser.add_argument("--cache", choices=("redis", "simple"),
                        default="redis" if shutil.which("redis-server") else "simple",
                        help="the page cache: one Redis for both workers, or each worker's "
                             "memory [redis when installed]")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-mixed-"))
    servers, redis = [], None
    try:
        env = cat.bench_env(tmp, args.database_url)
        env["CATALOG_CACHE_SECONDS"] = "60"  # a change still invalidates at once
        if args.cache == "redis":
            redis, env["CACHE_REDIS_URL"] = start_redis(tmp)
            env["CACHE_TYPE"] = "RedisCache"
        os.environ.pop("DATABASE_URL", None)
        os.environ.update(env)
        (tmp / "instance").mkdir()
        print("Preparing the database...", flush=True)
        detail = cat.prepare_database(args.products)
        (tmp / "hello_app.py").write_text(cat.HELLO_APP)
        (cat.ROOT / "bench" / "_mixed_wsgi.py").write_text(WSGI)
        hello = cat.start_gunicorn("hello", "hello_app:app", tmp, env, tmp, args.workers)
        servers.append(hello)
        shop = cat.start_gunicorn("shop", "bench._mixed_wsgi:app", cat.ROOT, env, tmp, args.workers)
        servers.append(shop)
        hello_r = cat.measure(hello.base + "/", args.duration, 2)
        paths, products = spread(shop.base)
        (tmp / "paths.txt").write_text("\n".join(paths) + "\n")
        (tmp / "spread.lua").write_text(LUA % {"paths": tmp / "paths.txt"})
        for _ in range(1 if args.cache == "redis" else 4):  # warm-up: both workers see each URL
            for path in paths:  # (a page lives CATALOG_CACHE_SECONDS)
                cat.fetch(shop.base + path)
        stop, timings, errors = threading.Event(), [], []
        buyer = threading.Thread(target=orders_at_rate, daemon=True,
                                 args=(shop.base, products, args.rate, stop, timings, errors))
        buyer.start()
        mixed, hits, misses = wrk_spread(shop.base, tmp / "paths.txt", tmp / "spread.lua",
                                         args.duration)
        stop.set()
        buyer.join()
        time.sleep(2)  # the last orders finish
        checked, changed, differ = stock_as_served(
            shop.base, paths, {p["slug"]: p["stock"] for p in products})
        shop.stop()
        servers.remove(shop)
        nocache = cat.start_gunicorn("shop-nocache", "bench._mixed_wsgi:app", cat.ROOT,
                                     {**env, "CACHE_TYPE": "NullCache"}, tmp, args.workers)
        servers.append(nocache)
        uncached = [(path, cat.measure(nocache.base + path, args.duration, 2))
                    for path in ("/products", f"/products/{detail}")]
        ratio = hits / max(1, hits + misses)
        timings.sort()
        print(f"\n{args.workers} sync workers each; hello world: {hello_r.requests_per_s:.0f} "
              f"req/s, p99 {hello_r.p99_ms:.1f} ms")
        print(f"mixed (200 URLs, {args.rate:g} orders/s, {args.cache} cache): "
              f"{mixed.requests_per_s:.0f} req/s "
              f"({mixed.requests_per_s / hello_r.requests_per_s:.0%} of hello), p50 "
              f"{mixed.p50_ms:.1f} ms, p99 {mixed.p99_ms:.1f} ms, non-2xx {mixed.non_2xx}, "
              f"cache hit ratio {ratio:.1%} ({hits} hits, {misses} misses)")
        placed = len(timings)
        p99 = timings[int(0.99 * (placed - 1))] if placed else float("nan")
        print(f"  orders placed during it: {placed} ({placed / args.duration:.1f}/s), "
              f"errors {len(errors)}, buyer p50 "
              f"{timings[placed // 2] if placed else float('nan'):.0f} ms, p99 {p99:.0f} ms")
        for error, n in Counter(errors).most_common(3) if errors else ():
            print(f"  order error x{n}: {error}")
        print(f"  stock on cached pages after the orders: {checked} products checked against "
              f"the database ({changed} of them sold during the run), {len(differ)} differ"
              f"{': ' + ', '.join(differ[:5]) if differ else ''}")
        for path, r in uncached:
            print(f"uncached {path}: {r.requests_per_s:.0f} req/s "
                  f"({r.requests_per_s / hello_r.requests_per_s:.1%} of hello), "
                  f"p50 {r.p50_ms:.1f} ms, p99 {r.p99_ms:.1f} ms")
    finally:
        for server in reversed(servers):
            server.stop()
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        (cat.ROOT / "bench" / "_mixed_wsgi.py").unlink(missing_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Checkout benchmark: concurrent buyers run cart -> checkout -> card payment -> webhook.

Run from the repository root::

    .venv/bin/python bench/checkout.py                      # 20 buyers for 30 s
    .venv/bin/python bench/checkout.py --buyers 20 --duration 15
    .venv/bin/python bench/checkout.py --rate 20 --duration 15    # open loop: 20 orders/s
    .venv/bin/python bench/checkout.py --method bank_transfer   # confirmed by the Kanwil API
    .venv/bin/python bench/checkout.py --database-url postgresql+psycopg://postgres@127.0.0.1:54329/shop_test

Without --database-url it re-runs itself under scripts/with-postgres.sh, which starts a
throw-away PostgreSQL and always removes it. A database given with --database-url has its
schema ``public`` DROPPED and recreated first. The script migrates and seeds the database
(ten facilities with shipping rates, plenty-stock products and a few scarce ones), starts a
localstripe on loopback and gunicorn (2 sync workers) pointed at it, registers the webhook,
then runs the buyers and prints orders/s, checkout latency, sold-out answers, webhook
settlement and the oversell check, with PASS/FAIL per target. The buyers are a closed loop
(--buyers threads, each starting its next order when the last is done) or, with --rate, an
open loop (one order journey started every 1/rate s on schedule, bench/openloop.py). It
always exits 0 when it could run: it is a measurement, not a test.
"""

import argparse
import base64
import http.client
import logging
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalog import free_port, start_gunicorn  # noqa: E402 - after the path is set
from bench.checkout_report import report  # noqa: E402
from bench.leanhttp import LeanHttp  # noqa: E402
from bench.openloop import default_pool, run_at_rate  # noqa: E402

WITH_POSTGRES = ROOT / "scripts" / "with-postgres.sh"
UNDER_POSTGRES = "BENCH_CHECKOUT_UNDER_POSTGRES"  # set when re-run by with-postgres.sh
STRIPE_KEY = "sk_test_bench_checkout"
WEBHOOK_SECRET = "whsec_bench_checkout"

CONTACT = {"name": "Pembeli Uji", "email": "pembeli@example.com", "phone": "0812 3456 7890"}
ADDRESS = {"street": "Jl. Pahlawan Revolusi No. 12", "rt_rw": "003/005",
           "kelurahan": "Kalumpang", "kecamatan": "Ternate Tengah", "city": "Kota Ternate",
           "province": "Maluku Utara", "postal_code": "97712"}

BENCH_WSGI = '''\
"""gunicorn entry point for bench/checkout.py: production settings, no per-IP rate limit."""

from config import ProductionConfig
from shop import create_app


class BenchConfig(ProductionConfig):
    # Every buyer comes from 127.0.0.1: the per-IP limit (20 checkouts a minute) would measure
    # the limiter, not the checkout.
    RATELIMIT_ENABLED = False
    PAYMENT_METHODS = "card,bank_transfer"
    TRUSTED_HOSTS = None  # gunicorn on a loopback port
    SHOP_BASE_URL = "http://127.0.0.1"

    @classmethod
    def check(cls):
        """The bench talks to localstripe on loopback with test keys by design."""


app = create_app(BenchConfig)
'''

# localstripe pickles its whole store to /tmp/localstripe.pickle after every write: a cost
# that grows with every PaymentIntent (it would dominate the checkout latency after a few
# hundred orders) and a file every localstripe on the machine shares. The bench's instance
# keeps its state in memory only.
LOCALSTRIPE = '''\
from aiohttp import web
from localstripe import resources
resources.Store.dump_to_disk = lambda self: None
from localstripe.server import app
web.run_app(app, host="127.0.0.1", port={port}, print=None)
'''


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=20, help="concurrent buyers [20]")
    parser.add_argument("--duration", type=float, default=30, help="seconds of buying [30]")
    parser.add_argument("--rate", type=float, default=0,
                        help="open loop: order journeys started per second, on schedule "
                        "(--buyers is then ignored) [closed loop]")
    parser.add_argument("--warmup", type=int, default=10,
                        help="journeys placed one by one before measuring, left unpaid [10]")
    parser.add_argument("--max-inflight", type=int, default=0,
                        help="open loop: most journeys at once (thread pool) "
                        "[max(32, 5 x rate)]")
    parser.add_argument("--products", type=int, default=100,
                        help="products with plenty of stock [100]")
    parser.add_argument("--scarce", type=int, default=5, help="scarce products [5]")
    parser.add_argument("--scarce-stock", type=int, default=8,
                        help="units of each scarce product [8]")
    parser.add_argument("--settle-wait", type=float, default=20,
                        help="seconds to wait at the end for webhooks to settle [20]")
    parser.add_argument("--no-payments", action="store_true",
                        help="do not confirm the PaymentIntents (no webhooks): checkout only")
    parser.add_argument("--seed", type=int, default=20251128, help="random seed")
    parser.add_argument("--method", choices=("card", "bank_transfer"), default="card",
                        help="how buyers pay: card (Stripe, settled by the webhook) or "
                        "bank_transfer (unique code, confirmed by the Kanwil's API) [card]")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL database to use (its schema 'public' is DROPPED and recreated). "
        "Default: a throw-away one started by scripts/with-postgres.sh.",
    )
    return parser.parse_args()


def rerun_under_postgres():
    """Replace this process by scripts/with-postgres.sh running this script again."""
    env = dict(os.environ, **{UNDER_POSTGRES: "1"})
    port = str(free_port())
    argv = [str(WITH_POSTGRES), port, sys.executable, str(Path(__file__).resolve()),
            *sys.argv[1:]]
    print(f"Starting a throw-away PostgreSQL on 127.0.0.1:{port}...", flush=True)
    os.execve(argv[0], argv, env)


# ------------------------------------------------------------------ database


@dataclass
class Goods:
    slug: str
    facility: str
    scarce: bool


def prepare_database(args) -> dict:
    """Migrate and seed; return {product id: Goods} and remember the initial stock."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from shop import create_app
    from shop.extensions import db

    app = create_app(_unchecked_production())
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        upgrade()
        goods = seed(args)
        db.session.remove()
        db.engine.dispose()
    return goods


def seed(args) -> dict:
    from shop.catalog.services import create_category, create_product
    from shop.demo import data
    from shop.extensions import db
    from shop.facilities.services import create_facility, set_shipping_rate

    rng = random.Random(args.seed)
    facilities = []
    for fields in data.FACILITIES:
        facility = create_facility(**fields)
        for zone, (first_kg, next_kg) in data.SHIPPING_RATES.items():
            set_shipping_rate(facility, zone, first_kg, next_kg)
        facilities.append(facility)
    category = create_category("Kerajinan Uji", slug="kerajinan-uji")
    products = []
    for i in range(args.products + args.scarce):
        scarce = i >= args.products
        products.append(create_product(
            facility=facilities[i % len(facilities)], category=category,
            name=f"{'Langka' if scarce else 'Produk'} Uji {i + 1}",
            price=rng.randrange(15_000, 300_000, 500), unit="piece",
            weight_grams=rng.choice([200, 500, 1200]), status="active",
            stock=args.scarce_stock if scarce else 1_000_000,
        ))
    db.session.commit()
    print(f"Seeded {len(facilities)} facilities, {args.products} products with 1,000,000 "
          f"units each and {args.scarce} scarce products with {args.scarce_stock} units each.",
          flush=True)
    return {p.id: Goods(p.slug, p.facility.slug, scarce=i >= args.products)
            for i, p in enumerate(products)}


def stock_by_product() -> dict:
    from sqlalchemy import select

    from shop.catalog.models import Product
    from shop.extensions import db

    return dict(db.session.execute(select(Product.id, Product.stock)).all())


def sold_by_product() -> dict:
    """Units in order lines of orders still holding their stock (not expired)."""
    from sqlalchemy import func, select

    from shop.extensions import db
    from shop.orders.models import FacilityOrder, Order, OrderLine

    return dict(db.session.execute(
        select(OrderLine.product_id, func.sum(OrderLine.quantity))
        .join(FacilityOrder, OrderLine.facility_order_id == FacilityOrder.id)
        .join(Order, FacilityOrder.order_id == Order.id)
        .where(Order.status != "expired")
        .group_by(OrderLine.product_id)
    ).all())


def _unchecked_production():
    """The production settings without the start-up refusals: the bench talks to localstripe
    on loopback with test keys by design."""
    from config import ProductionConfig

    return type("BenchProduction", (ProductionConfig,), {
        "check": classmethod(lambda cls: None), "PAYMENT_METHODS": "card,bank_transfer",
        "TRUSTED_HOSTS": None, "SHOP_BASE_URL": "http://127.0.0.1"})


def kanwil_token() -> str:
    """An admin account and its API token, for confirming transfers."""
    from shop.accounts.provisioning import create_admin
    from shop.accounts.tokens import issue_api_token

    admin = create_admin(f"kanwil-{secrets.token_hex(4)}@bench.example.org", secrets.token_hex(12))
    return issue_api_token(admin, "bench")


def order_counts() -> tuple[Counter, int]:
    """Orders by status, and payment events the webhook settled as paid."""
    from sqlalchemy import func, select

    from shop.extensions import db
    from shop.orders.models import Order
    from shop.payments.models import PaymentEvent

    db.session.rollback()  # a fresh snapshot each poll
    statuses = Counter(dict(db.session.execute(
        select(Order.status, func.count()).group_by(Order.status)).all()))
    paid_events = db.session.scalar(
        select(func.count()).select_from(PaymentEvent).where(PaymentEvent.outcome == "paid"))
    return statuses, paid_events


# ------------------------------------------------------------------ localstripe


def localstripe_call(base, method, path, data=None):
    body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
    request = urllib.request.Request(f"{base}{path}", data=body, method=method)
    token = base64.b64encode(f"{STRIPE_KEY}:".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def start_localstripe(logdir: Path):
    port = free_port()
    with open(logdir / "localstripe.log", "wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", LOCALSTRIPE.format(port=port)],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/v1/customers", timeout=1)
        except urllib.error.HTTPError:
            break  # 401 without a key: it is up
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                stop_process(proc)
                raise RuntimeError("localstripe did not start") from None
            time.sleep(0.1)
        else:
            break
    localstripe_call(base, "DELETE", "/_config/data")
    return proc, base


def stop_process(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------ buyers


@dataclass
class Tally:
    checkout_ms: list = field(default_factory=list)
    other_ms: list = field(default_factory=list)  # cart and line requests to the shop
    pay_ms: list = field(default_factory=list)  # update + confirm at localstripe
    placed_ms: list = field(default_factory=list)  # open loop: planned start -> order placed
    lag_ms: list = field(default_factory=list)  # open loop: planned start -> actual start
    journeys: int = 0
    scheduler_late_ms: float = 0.0  # open loop: the latest submission behind its plan
    placed: int = 0
    confirmed: int = 0
    no_intent: int = 0
    sold_out: Counter = field(default_factory=Counter)  # 409 code -> count
    refused_lines: int = 0  # PUT refused: already sold out when added
    errors: Counter = field(default_factory=Counter)  # "step status" -> count
    samples: list = field(default_factory=list)

    def error(self, step, status, text):
        self.errors[f"{step} {status}"] += 1
        if len(self.samples) < 5:
            self.samples.append(f"{step} {status}: {text[:300]}")


def confirm_transfer(http, shop, admin_token, placed, tally):
    """The Kanwil confirms the transfer through its API with the exact amount due."""
    started = time.perf_counter()
    response = http.post(f"{shop}/api/v1/admin/bank-transfers/{placed['number']}/confirm",
                         json={"amount": placed["payment"]["amount_due"],
                               "reference": f"BENCH-{placed['number']}"},
                         headers={"Authorization": f"Bearer {admin_token}"}, timeout=30)
    if response.status_code == 200:
        tally.confirmed += 1
        tally.pay_ms.append((time.perf_counter() - started) * 1000)
    else:
        tally.error("confirm", response.status_code, response.text)


class Buyer:
    """One customer's connections (shop and localstripe) and its way through one order."""

    def __init__(self, shop, stripe_base, goods, pay=True, method="card", admin_token=None):
        self.shop, self.pay, self.method, self.admin_token = shop, pay, method, admin_token
        self.stripe_base = stripe_base
        self.plenty = [g for g in goods.values() if not g.scarce]
        self.scarce = [g for g in goods.values() if g.scarce]
        self.http = LeanHttp()
        # What Stripe.js sends from the buyer's browser: the publishable key's calls, here
        # made with the test secret key localstripe knows.
        self.stripe = LeanHttp({"Authorization": f"Bearer {STRIPE_KEY}"})

    def journey(self, rng, tally, scheduled=None):
        """cart -> 1-3 lines -> checkout -> payment. With `scheduled` (a perf_counter time:
        the open loop's planned start), the checkout time includes how late the journey
        started, and the time from the planned start to the placed order is kept too."""
        lag_ms = 0.0 if scheduled is None else (time.perf_counter() - scheduled) * 1000
        tally.journeys += 1
        if scheduled is not None:
            tally.lag_ms.append(lag_ms)
        shop, http = self.shop, self.http
        started = time.perf_counter()
        response = http.post(f"{shop}/api/v1/carts", timeout=30)
        tally.other_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 201:
            tally.error("cart", response.status_code, response.text)
            return
        token = response.json()["token"]
        picks = rng.sample(self.plenty, rng.randint(1, 3))
        if self.scarce and rng.random() < 0.3:
            picks[0] = rng.choice(self.scarce)
        facilities = set()
        for item in picks:
            started = time.perf_counter()
            response = http.put(f"{shop}/api/v1/carts/{token}/lines/{item.slug}",
                                json={"quantity": rng.randint(1, 2)}, timeout=30)
            tally.other_ms.append((time.perf_counter() - started) * 1000)
            if response.status_code == 200:
                facilities.add(item.facility)
            elif response.status_code == 422:
                tally.refused_lines += 1
            else:
                tally.error("line", response.status_code, response.text)
        if not facilities:
            return
        body = {"contact": CONTACT, "address": ADDRESS, "payment_method": self.method,
                "delivery": {slug: rng.choice(["courier", "pickup"]) for slug in facilities}}
        started = time.perf_counter()
        response = http.post(f"{shop}/api/v1/carts/{token}/checkout", json=body, timeout=30)
        done = time.perf_counter()
        tally.checkout_ms.append((done - started) * 1000 + lag_ms)
        if response.status_code == 409:
            tally.sold_out[response.json()["error"]["code"]] += 1
            return
        if response.status_code != 201:
            tally.error("checkout", response.status_code, response.text)
            return
        tally.placed += 1
        if scheduled is not None:
            tally.placed_ms.append((done - scheduled) * 1000)
        self.settle(response.json(), tally)

    def settle(self, placed, tally):
        """Pay the placed order: confirm the transfer, or the PaymentIntent at localstripe."""
        if self.method == "bank_transfer":
            if self.pay:
                confirm_transfer(self.http, self.shop, self.admin_token, placed, tally)
            return
        intent = (placed["payment"] or {}).get("payment_intent")
        if intent is None:
            tally.no_intent += 1
            return
        if not self.pay:
            return
        started = time.perf_counter()
        base = f"{self.stripe_base}/v1/payment_intents/{intent}"
        try:
            for url, form in ((base, {"payment_method": "pm_card_visa"}),
                              (f"{base}/confirm", {})):
                response = self.stripe.request("POST", url, form=form)
                if response.status_code != 200:
                    tally.error("confirm", response.status_code, response.text)
                    return
        except (http.client.HTTPException, OSError) as exc:
            tally.error("confirm", type(exc).__name__, str(exc))
        else:
            tally.confirmed += 1
            tally.pay_ms.append((time.perf_counter() - started) * 1000)

    def close(self):
        self.http.close()
        self.stripe.close()


def buyer(number, shop, stripe_base, goods, deadline, seed, pay=True, method="card",
          admin_token=None):
    """One closed-loop customer buying without think time until the deadline; its Tally."""
    rng = random.Random(seed * 1000 + number)
    customer = Buyer(shop, stripe_base, goods, pay, method, admin_token)
    tally = Tally()
    while time.monotonic() < deadline:
        customer.journey(rng, tally)
    customer.close()
    return tally


def warm_up(args, shop, stripe_base, goods, admin_token):
    """--warmup journeys one after another, left unpaid and not counted: the first requests
    of each worker and of the client (imports, connections) are not what is measured. Their
    orders hold stock like any other, so the oversell check counts them."""
    if not args.warmup:
        return
    customer = Buyer(shop, stripe_base, goods, False, args.method, admin_token)
    tally, rng = Tally(), random.Random(args.seed - 1)
    for _ in range(args.warmup):
        customer.journey(rng, tally)
    customer.close()
    print(f"Warm-up: {tally.journeys} journeys, {tally.placed} unpaid orders (not counted).",
          flush=True)


def open_loop(args, shop, stripe_base, goods, admin_token):
    """Order journeys started at a fixed rate (bench/openloop.py); one Buyer per pool thread."""
    inflight = args.max_inflight or default_pool(args.rate)
    print(f"Open loop: {args.rate:g} orders/s for {args.duration:g} s "
          f"(up to {inflight} journeys at once)...", flush=True)
    local, customers = threading.local(), []

    def job(i, scheduled):
        tally = Tally()
        if not hasattr(local, "customer"):
            local.customer = Buyer(shop, stripe_base, goods, not args.no_payments,
                                   args.method, admin_token)
            customers.append(local.customer)
        try:
            local.customer.journey(random.Random(args.seed * 1_000_003 + i), tally, scheduled)
        except Exception as exc:  # a measurement: count it and go on
            tally.error("journey", type(exc).__name__, str(exc))
        return tally

    tallies, elapsed, late_ms = run_at_rate(job, args.rate, args.duration, inflight)
    for customer in customers:
        customer.close()
    tally = merge(tallies)
    tally.scheduler_late_ms = late_ms
    return tally, elapsed


def merge(tallies) -> Tally:
    total = Tally()
    for tally in tallies:
        total.checkout_ms += tally.checkout_ms
        total.other_ms += tally.other_ms
        total.pay_ms += tally.pay_ms
        total.placed_ms += tally.placed_ms
        total.lag_ms += tally.lag_ms
        total.journeys += tally.journeys
        total.placed += tally.placed
        total.confirmed += tally.confirmed
        total.no_intent += tally.no_intent
        total.sold_out += tally.sold_out
        total.refused_lines += tally.refused_lines
        total.errors += tally.errors
        total.samples += tally.samples
    return total


# ------------------------------------------------------------------ main


def run(args, database_url):
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="bench-checkout-"))
    processes, servers = [], []
    try:
        env = dict(os.environ)
        for name in ("MAIL_SERVER", "CATALOG_CACHE_SECONDS", UNDER_POSTGRES):
            env.pop(name, None)
        env.update(
            SHOP_ENV="production", SECRET_KEY=secrets.token_hex(32),
            DATABASE_URL=database_url,
            SHOP_INSTANCE_DIR=str(tmp / "instance"), MEDIA_ROOT=str(tmp / "media"),
            STRIPE_SECRET_KEY=STRIPE_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1",
        )
        (tmp / "instance").mkdir()
        localstripe, stripe_base = start_localstripe(tmp)
        processes.append(localstripe)
        env.update(STRIPE_API_BASE=stripe_base,
                   STRIPE_JS_URL=f"{stripe_base}/js.stripe.com/v3/")
        for name in ("MAIL_SERVER", "CATALOG_CACHE_SECONDS"):
            os.environ.pop(name, None)
        os.environ.update(env)  # config.py reads it when the app is first imported

        print("Preparing the database (PostgreSQL)...", flush=True)
        goods = prepare_database(args)
        (tmp / "bench_wsgi.py").write_text(BENCH_WSGI)
        shop = start_gunicorn("shop", "bench_wsgi:app", tmp, env, tmp)
        servers.append(shop)
        localstripe_call(stripe_base, "POST", "/_config/webhooks/bench", {
            "url": f"{shop.base}/payments/stripe/webhook", "secret": WEBHOOK_SECRET,
            # localstripe wants a list as `events[]=...` (a repeated `events=` gives 400)
            "events[]": ["payment_intent.succeeded", "payment_intent.payment_failed"],
        })
        print(f"gunicorn (2 sync workers) on {shop.base}, localstripe on {stripe_base}, "
              f"webhook registered.", flush=True)

        from shop import create_app
        from shop.extensions import db

        app = create_app(_unchecked_production())
        with app.app_context():
            admin_token = kanwil_token() if args.method == "bank_transfer" else None
            initial = stock_by_product()
            db.session.rollback()
            logging.getLogger("stripe").setLevel(logging.WARNING)  # a line per API call
            warm_up(args, shop.base, stripe_base, goods, admin_token)

            begin = time.monotonic()
            if args.rate:
                tally, elapsed = open_loop(args, shop.base, stripe_base, goods, admin_token)
            else:
                print(f"{args.buyers} buyers for {args.duration:g} s...", flush=True)
                deadline = begin + args.duration
                with ThreadPoolExecutor(max_workers=args.buyers) as pool:
                    futures = [pool.submit(buyer, n, shop.base, stripe_base, goods, deadline,
                                           args.seed, not args.no_payments, args.method,
                                           admin_token)
                               for n in range(args.buyers)]
                    tally = merge(f.result() for f in futures)
                elapsed = time.monotonic() - begin

            settle_until = time.monotonic() + args.settle_wait
            statuses, paid_events = order_counts()
            paid_in_run = statuses["paid"]
            while statuses["paid"] < tally.confirmed and time.monotonic() < settle_until:
                time.sleep(0.5)
                statuses, paid_events = order_counts()
            settled_after = time.monotonic() - begin - elapsed

            final = stock_by_product()
            sold = sold_by_product()
            mismatched = [pid for pid in initial
                          if initial[pid] - final[pid] != sold.get(pid, 0)]
            negative = [pid for pid in final if final[pid] < 0]
            scarce_ids = [pid for pid, g in goods.items() if g.scarce]
            db.session.remove()
            db.engine.dispose()

        server_errors = shop.log.read_text(errors="replace").count("Traceback")
        report(args, tally, elapsed, statuses, paid_events, paid_in_run, settled_after,
               initial, final, sold, mismatched, negative, scarce_ids, goods, server_errors)
    finally:
        for server in reversed(servers):
            server.stop()
        for proc in processes:
            stop_process(proc)
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"\nTotal run time: {time.monotonic() - started:.1f} s")


def main():
    args = parse_args()
    if args.database_url:
        database_url = args.database_url
    elif os.environ.get(UNDER_POSTGRES) == "1" and os.environ.get("DATABASE_URL"):
        database_url = os.environ["DATABASE_URL"]
    else:
        rerun_under_postgres()  # does not return
    run(args, database_url)


if __name__ == "__main__":
    main()

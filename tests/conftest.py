"""Fixtures shared by every test: an app on the database named by DATABASE_URL (a fresh SQLite
file by default), migrated with Alembic once per session and emptied after each test."""

import base64
import io
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest
from PIL import Image
from sqlalchemy import event, text
from werkzeug.serving import make_server

from config import TestingConfig

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")

_tmp = tempfile.mkdtemp(prefix="shop-test-")


class TestConfig(TestingConfig):
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{_tmp}/test.db"
    MEDIA_ROOT = os.path.join(_tmp, "media")
    SERVER_NAME = None
    # Nothing listens here: tests that need Stripe use the `localstripe` fixture.
    STRIPE_API_BASE = "http://127.0.0.1:9"
    STRIPE_SECRET_KEY = "sk_test_etalase"
    STRIPE_WEBHOOK_SECRET = "whsec_test_etalase_binaan"
    MAIL_SERVER = None
    MAIL_OUTBOX_DIR = os.path.join(_tmp, "outbox")


def is_postgres():
    return TestConfig.SQLALCHEMY_DATABASE_URI.startswith("postgresql")


@pytest.fixture(scope="session")
def app():
    from flask import g
    from flask_migrate import upgrade

    from shop import create_app
    from shop.extensions import db

    application = create_app(TestConfig)

    @application.before_request
    def _as_if_fresh_context():
        # Tests hold one app context, which requests reuse: drop what a real request would
        # not have (the cached locale, objects loaded by the test).
        from flask_babel import refresh

        refresh()
        db.session.expire_all()
        g.pop("_login_user", None)  # Flask-Login caches the user in g
    with application.app_context():
        if is_postgres():
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()  # the real migrations, not create_all: they are tested on every run
    yield application


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    """Each test starts with an empty database (rows deleted, schema kept)."""
    from shop.extensions import db

    ctx = app.app_context()
    ctx.push()
    yield
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if is_postgres():
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # category refers to itself
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
    ctx.pop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_session(app):
    from shop.extensions import db

    return db.session


# ---------------------------------------------------------------- factories

_seq = itertools.count(1)


def png_bytes(size=(800, 600), color=(180, 90, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def make_facility(app):
    from shop.extensions import db
    from shop.facilities.services import create_facility

    def make(**fields):
        n = next(_seq)
        values = dict(slug=f"lapas-uji-{n}", name=f"Lapas Uji {n}", kind="lapas",
                      facility_class="IIB", town="Ternate", regency="Kota Ternate")
        values.update(fields)
        facility = create_facility(**values)
        db.session.commit()
        return facility

    return make


@pytest.fixture
def make_category(app):
    from shop.catalog.services import create_category
    from shop.extensions import db

    def make(name=None, **fields):
        category = create_category(name or f"Kategori {next(_seq)}", **fields)
        db.session.commit()
        return category

    return make


@pytest.fixture
def make_product(app, make_facility, make_category):
    from shop.catalog.services import add_product_image, create_product
    from shop.extensions import db

    defaults = {}

    def make(*, facility=None, category=None, image=False, **fields):
        if facility is None:
            facility = defaults.get("facility") or defaults.setdefault("facility", make_facility())
        if category is None:
            category = defaults.get("category") or defaults.setdefault("category", make_category())
        values = dict(name=f"Produk {next(_seq)}", price=10_000, stock=10, status="active",
                      unit="piece", weight_grams=250)
        values.update(fields)
        product = create_product(facility=facility, category=category, **values)
        if image:
            add_product_image(product, png_bytes(), alt_text=f"Foto {product.name}")
        db.session.commit()
        return product

    return make


# ---------------------------------------------------------------- query counting

class QueryCounter:
    def __init__(self):
        self.statements = []

    @property
    def count(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    from shop.extensions import db

    @contextmanager
    def counting():
        counter = QueryCounter()

        def before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
                counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


# ---------------------------------------------------------------- browser

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_name):
    if browser_name != "chromium":
        return browser_type_launch_args
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(app):
    """The app served by a real HTTP server in a thread, on the test database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def base_url(live_server):
    """Replaces pytest-playwright's base_url fixture (its fallback is deprecated by pytest 9.2,
    an error under filterwarnings=error) and points browser contexts at the live server."""
    return live_server


@pytest.fixture(scope="session")
def artifacts_dir():
    os.makedirs(ARTIFACTS, exist_ok=True)
    return ARTIFACTS


# ---------------------------------------------------------------- localstripe

def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_server():
    """A real localstripe (the offline Stripe) on loopback for the whole session."""
    port = _free_port()
    code = ("from aiohttp import web; from localstripe.server import app; "
            f"web.run_app(app, host='127.0.0.1', port={port}, print=None)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/v1/customers", timeout=1)
        except urllib.error.HTTPError:
            break  # it answers (401 without a key): it is up
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("localstripe did not start") from None
            time.sleep(0.1)
        else:
            break
    _localstripe_call(base, "DELETE", "/_config/data")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def _localstripe_call(base, method, path, data=None):
    body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
    request = urllib.request.Request(f"{base}{path}", data=body, method=method)
    token = base64.b64encode(f"{TestConfig.STRIPE_SECRET_KEY}:".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


@pytest.fixture
def localstripe(app, localstripe_server):
    """Points the app at localstripe for one test (webhooks are not delivered: see
    `localstripe_webhooks`)."""
    app.config["STRIPE_API_BASE"] = localstripe_server
    app.config["STRIPE_JS_URL"] = f"{localstripe_server}/js.stripe.com/v3/"
    yield localstripe_server
    app.config["STRIPE_API_BASE"] = TestConfig.STRIPE_API_BASE
    app.config["STRIPE_JS_URL"] = TestConfig.STRIPE_JS_URL


@pytest.fixture
def localstripe_webhooks(localstripe, live_server):
    """localstripe delivers signed webhooks to the live server for this test."""
    _localstripe_call(localstripe, "POST", "/_config/webhooks/shop", {
        "url": f"{live_server}/payments/stripe/webhook",
        "secret": TestConfig.STRIPE_WEBHOOK_SECRET,
        "events[]": ["payment_intent.succeeded", "payment_intent.payment_failed"],
    })
    yield localstripe
    _localstripe_call(localstripe, "POST", "/_config/webhooks/shop", {
        "url": "http://127.0.0.1:9/nowhere", "secret": TestConfig.STRIPE_WEBHOOK_SECRET,
        "events[]": ["payment_intent.canceled"],
    })


# ---------------------------------------------------------------- checkout helpers

CONTACT = {"name": "Budi Santoso", "email": "budi@example.com", "phone": "0812 3456 7890"}
ADDRESS = {"street": "Jl. Pahlawan Revolusi No. 12", "rt_rw": "003/005",
           "kelurahan": "Kalumpang", "kecamatan": "Ternate Tengah", "city": "Kota Ternate",
           "province": "Maluku Utara", "postal_code": "97712"}


def checkout_body(delivery, **overrides):
    body = {"contact": dict(CONTACT), "address": dict(ADDRESS), "delivery": delivery}
    body.update(overrides)
    return body


@pytest.fixture
def with_rates(app):
    """Give a facility the demo shipping rates."""
    from shop.extensions import db
    from shop.facilities.services import set_shipping_rate

    def give(facility, same_town=(10_000, 4_000), north_maluku=(25_000, 10_000),
             indonesia=(55_000, 22_000)):
        for zone, (first, nxt) in (("same_town", same_town), ("north_maluku", north_maluku),
                                   ("indonesia", indonesia)):
            set_shipping_rate(facility, zone, first, nxt)
        db.session.commit()
        return facility

    return give


@pytest.fixture
def place(app, with_rates):
    """Place an order for {product: quantity} through the services; returns (order, token)."""
    from shop.cart.services import create_cart, load_cart, set_quantity
    from shop.checkout.addresses import validate_details
    from shop.checkout.services import place_order
    from shop.extensions import db

    def do(items, delivery=None, user=None, address=None):
        cart = create_cart(user)
        for product, quantity in items.items():
            set_quantity(cart, product.slug, quantity)
        db.session.commit()
        cart = load_cart(cart.id)
        slugs = {product.facility.slug for product in items}
        delivery = delivery or {slug: "pickup" for slug in slugs}
        details, errors = validate_details(CONTACT, address or ADDRESS)
        assert not errors, errors
        return place_order(cart, details, delivery, user=user)

    return do


def wait_for_images(page, timeout=15.0):
    """Wait until every image on the page has loaded. Polls with page.evaluate: the pages'
    CSP forbids eval, which Playwright's wait_for_function relies on while it polls."""
    deadline = time.monotonic() + timeout
    while not page.evaluate("Array.from(document.images).every(img => img.complete)"):
        if time.monotonic() > deadline:
            raise AssertionError(f"images still loading on {page.url}")
        page.wait_for_timeout(50)

"""Fixtures shared by every test: an app on the database named by DATABASE_URL (a fresh SQLite
file by default), migrated with Alembic once per session and emptied after each test."""

import base64
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
from sqlalchemy import event, text
from werkzeug.serving import make_server

from config import TestingConfig

pytest_plugins = ["tests.factories", "tests.payments.midtrans_fake", "tests.payments.kanwil",
                  "tests.payments.paying"]

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
        if db.session.registry.has():  # (a request that needs no session makes none)
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
    """Each test starts with an empty database (rows deleted, schema kept) and a process that
    keeps no content of the previous test (the emptied database counts versions from 0
    again)."""
    from shop.core.cache import ContentMemo
    from shop.core.templating import forget_kept_parts
    from shop.extensions import db

    ctx = app.app_context()
    ctx.push()
    yield
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if is_postgres():
            _empty_postgres(conn, tables)
        else:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # category refers to itself
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
    ContentMemo.forget_all()
    forget_kept_parts(app)  # (a test may change the configuration a kept part shows)
    ctx.pop()


def _empty_postgres(conn, tables):
    """Delete the rows of the tables the test wrote to (dependents first) and restart the
    sequences it drew from. On a test's few rows DELETE costs far less than TRUNCATE, which
    makes new files for every table and index it empties (about 50 ms a test)."""
    quote = conn.dialect.identifier_preparer.quote
    written = set(conn.execute(text(" UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {quote(name)})" for name in tables
    ))).scalars())
    for name in tables:
        if name in written:
            conn.execute(text(f"DELETE FROM {quote(name)}"))
    drawn = conn.execute(text(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences"
        " WHERE last_value IS NOT NULL")).scalars().all()
    for sequence in drawn:
        conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


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


def wait_for_images(page, timeout=45.0):
    """Wait until every image on the page has loaded (photos are derived on first request:
    slow on a loaded machine). Polls with page.evaluate: the pages'
    CSP forbids eval, which Playwright's wait_for_function relies on while it polls."""
    deadline = time.monotonic() + timeout
    while not page.evaluate("Array.from(document.images).every(img => img.complete)"):
        if time.monotonic() > deadline:
            raise AssertionError(f"images still loading on {page.url}")
        page.wait_for_timeout(50)

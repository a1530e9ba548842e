"""The cluster lane (`make test-cluster`): PostgreSQL, Redis, an S3 server (moto), two gunicorn
app hosts with deploy/gunicorn.conf.py and the production settings, nginx in front with the
real site file, all on this machine (separate ports). Runs only when SHOP_CLUSTER=1 and the
database is PostgreSQL (`make test-cluster` sets both).

Scenarios, in order (the last one kills host B):
1. the race for the last units, buyers spread over both hosts
2. the same webhook event delivered to both hosts at once: paid once
3. a photo stored by one process, derived by host A, served by host B and through nginx
4. the page cache shared through Redis (a stale entry is visible on the other host) and
   invalidated for both by one change
5. the rate limit counted across hosts (Redis)
6. PostgreSQL restarted under load: requests fail quickly and cleanly, then succeed again
   without restarting the app
7. host B killed (SIGKILL) in the middle of checkouts: nothing half-written, nginx sends the
   next requests to host A
"""

import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from sqlalchemy import func, select, text

from tests.conftest import TestConfig, is_postgres
from tests.factories import checkout_body
from tests.load.test_concurrency import (
    assert_paid_once,
    call,
    deliver,
    give_intent,
    new_cart,
    put_line,
    run_together,
    succeeded_event,
)
from tests.ops import nginxsite
from tests.ops.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.cluster,
    pytest.mark.skipif(not is_postgres() or os.environ.get("SHOP_CLUSTER") != "1",
                       reason="the cluster lane: make test-cluster (PostgreSQL, SHOP_CLUSTER=1)"),
]
S3_KEYS = {"S3_ACCESS_KEY_ID": "cluster-key", "S3_SECRET_ACCESS_KEY": "cluster-secret",
           "S3_REGION": "us-east-1"}
SECRET = "cluster-" + "0123456789abcdef" * 4


def wait_for(url, proc, what, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.2)


class Host:
    """One app host: gunicorn with deploy/gunicorn.conf.py in its own process group."""

    def __init__(self, name, env, folder):
        self.port = free_port(54740)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"host-{name}.log"
        (folder / f"prometheus-{name}").mkdir()
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "2",
               "GUNICORN_THREADS": "4",
               "PROMETHEUS_MULTIPROC_DIR": str(folder / f"prometheus-{name}")}
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [BIN / "gunicorn", "--config", "deploy/gunicorn.conf.py", "wsgi:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        wait_for(f"{self.base}/healthz", self.proc, f"host {name}")

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="module")
def cluster(app, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    procs, hosts = [], []
    try:
        redis_port = free_port(54740)
        procs.append(subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], cwd=folder, stdout=subprocess.DEVNULL))
        s3_port = free_port(54740)
        procs.append(subprocess.Popen([BIN / "moto_server", "-H", "127.0.0.1", "-p", str(s3_port)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        s3 = f"http://127.0.0.1:{s3_port}"
        wait_for(f"{s3}/moto-api/", procs[-1], "moto_server")
        boto3.client("s3", endpoint_url=s3, aws_access_key_id="cluster-key",
                     aws_secret_access_key="cluster-secret",
                     region_name="us-east-1").create_bucket(Bucket="etalase-cluster")
        redis = f"redis://127.0.0.1:{redis_port}"
        env = {**os.environ, "SHOP_ENV": "production", "SECRET_KEY": SECRET,
               "DATABASE_URL": TestConfig.SQLALCHEMY_DATABASE_URI,
               "SHOP_INSTANCE_DIR": str(folder), "CACHE_TYPE": "RedisCache",
               "CACHE_REDIS_URL": f"{redis}/0", "RATELIMIT_STORAGE_URI": f"{redis}/1",
               "CATALOG_CACHE_SECONDS": "60", "MEDIA_BACKEND": "s3",
               "S3_BUCKET": "etalase-cluster", "S3_ENDPOINT_URL": s3, **S3_KEYS,
               # production refuses test keys and loopback gateways: live-looking keys (no
               # call reaches Stripe here; webhooks are signed by the test), no Midtrans
               "PAYMENT_METHODS": "bank_transfer,card,pay_at_pickup",
               "STRIPE_SECRET_KEY": "sk_live_cluster_lane_not_a_real_key",
               "STRIPE_PUBLISHABLE_KEY": "pk_live_cluster_lane",
               "STRIPE_WEBHOOK_SECRET": TestConfig.STRIPE_WEBHOOK_SECRET,
               "SHOP_BASE_URL": f"https://{nginxsite.HOST}",
               "TRUSTED_HOSTS": f"127.0.0.1,localhost,{nginxsite.HOST}",
               "PROXY_FIX_X_FOR": "1", "LOG_FORMAT": "json"}
        hosts = [Host("a", env, folder), Host("b", env, folder)]
        nginx = nginxsite.tool("nginx")
        http_port, https_port = free_port(54740), free_port(54740)
        (folder / "nginx").mkdir()
        conf = nginxsite.build_site(folder / "nginx", http_port, https_port,
                                    [h.port for h in hosts])
        procs.append(nginxsite.start(nginx, conf, https_port))
        yield {"a": hosts[0], "b": hosts[1], "https_port": https_port, "redis": redis,
               "s3": s3, "folder": folder}
    finally:
        for host in hosts:
            host.stop()
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture
def s3_in_tests(app, cluster):
    """This test process stores files in the cluster's bucket too."""
    saved = {k: app.config.get(k) for k in ("MEDIA_BACKEND", "S3_BUCKET", "S3_ENDPOINT_URL",
                                             *S3_KEYS)}
    app.config.update(MEDIA_BACKEND="s3", S3_BUCKET="etalase-cluster",
                      S3_ENDPOINT_URL=cluster["s3"], **S3_KEYS)
    yield
    app.config.update(saved)


def via_nginx(cluster, method, path, body=None, headers=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", cluster["https_port"], context=context,
                                       timeout=30)
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers={
        "Host": nginxsite.HOST, "Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    try:
        return response.status, json.loads(payload)
    except ValueError:
        return response.status, payload


def as_client(ip):
    """Hosts trust one proxy hop (PROXY_FIX_X_FOR=1): talking to them directly, the last
    X-Forwarded-For entry is the client, so each simulated customer gets its own address."""
    return {"X-Forwarded-For": ip}


@pytest.fixture
def lapas(gen_facility, gen_rates):
    return gen_rates(gen_facility(slug="lapas-ternate", name="Lapas Ternate",
                                    email="lapas-ternate@example.com"))


# ---------------------------------------------------------------- 1. the last units

def test_race_for_the_last_units_across_both_hosts(cluster, gen_product, lapas):
    from shop.catalog.models import Product
    from shop.extensions import db
    from shop.orders.models import OrderLine

    product = gen_product(facility=lapas, price=30_000, stock=3)
    body = checkout_body({lapas.slug: "pickup"})  # (ORM objects stay out of the threads)
    hosts = [cluster["a"].base, cluster["b"].base]
    carts = []
    for i in range(12):
        base = hosts[i % 2]
        token = new_cart(base)
        put_line(base, token, product.slug, 1)
        carts.append((base, token))

    def buyer(i, barrier):
        base, token = carts[i]
        barrier.wait()
        return call("POST", f"{base}/api/v1/carts/{token}/checkout", body,
                    headers=as_client(f"10.9.0.{i}"))

    answers = run_together(12, buyer)
    statuses = sorted(status for status, _ in answers)
    assert statuses.count(201) == 3 and all(s in (201, 409) for s in statuses), answers
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 0
    sold = db.session.scalar(select(func.sum(OrderLine.quantity)).where(
        OrderLine.product_id == product.id))
    assert sold == 3


# ---------------------------------------------------------------- 2. one webhook, two hosts

def test_the_same_webhook_to_both_hosts_pays_once(cluster, gen_product, lapas, gen_order):
    order, _ = gen_order({gen_product(facility=lapas, price=40_000, stock=5): 1})
    give_intent(order)
    payload, header = succeeded_event(order)
    hosts = [cluster["a"].base, cluster["b"].base]

    def deliverer(i, barrier):
        barrier.wait()
        return deliver(hosts[i % 2], payload, header)

    assert_paid_once(order, run_together(8, deliverer))


# ---------------------------------------------------------------- 3. photos in the bucket

def test_a_photo_made_on_host_a_is_served_by_host_b(cluster, s3_in_tests, gen_product):
    from shop.catalog.models import ProductImage
    from shop.extensions import db
    from shop.media.storage import get_storage

    product = gen_product(image=True)
    image = db.session.scalars(select(ProductImage).filter_by(product_id=product.id)).one()
    stem = image.storage_key.rsplit(".", 1)[0]
    storage = get_storage()
    storage.delete(f"derived/{stem}-large.webp")  # host A must make it

    status, made = call("GET", f"{cluster['a'].base}/media/{stem}/large.webp")
    assert status == 200 and storage.exists(f"derived/{stem}-large.webp")
    for url in (f"{cluster['b'].base}/media/{stem}/large.webp",):
        with urllib.request.urlopen(url, timeout=10) as response:
            served_by_b = response.read()
    assert served_by_b[:4] == b"RIFF" and served_by_b == storage.read(f"derived/{stem}-large.webp")
    status, through_nginx = via_nginx(cluster, "GET", f"/media/{stem}/large.webp")
    assert status == 200 and through_nginx == served_by_b


# ---------------------------------------------------------------- 4. the shared page cache

def test_the_page_cache_is_shared_and_invalidated_across_hosts(cluster, gen_product, lapas):
    from shop.catalog.models import Product
    from shop.extensions import db

    product = gen_product(facility=lapas, price=20_000, stock=5)
    url = f"/api/v1/products/{product.slug}"
    assert call("GET", cluster["a"].base + url)[1]["price"] == 20_000  # cached by host A
    # a change that skips the cache version (raw SQL): host B still gets A's cached copy,
    # so the cache is shared, not per host
    db.session.execute(text("UPDATE product SET price = 21000 WHERE id = :id"),
                       {"id": product.id})
    db.session.commit()
    assert call("GET", cluster["b"].base + url)[1]["price"] == 20_000
    # a change through the ORM bumps the version: both hosts see it at once
    db.session.get(Product, product.id).price = 22_000
    db.session.commit()
    assert call("GET", cluster["b"].base + url)[1]["price"] == 22_000
    assert call("GET", cluster["a"].base + url)[1]["price"] == 22_000


# ---------------------------------------------------------------- 5. the shared rate limit

def test_the_rate_limit_is_counted_across_hosts(cluster):
    token = new_cart(cluster["a"].base)
    statuses = []
    for i in range(22):  # checkout is limited to 20 a minute per client
        base = cluster["a" if i % 2 else "b"].base
        status, _ = call("POST", f"{base}/api/v1/carts/{token}/checkout",
                         checkout_body({}), headers=as_client("198.51.100.77"))
        statuses.append(status)
    assert 429 not in statuses[:20] and statuses[20:] == [429, 429], statuses
    # another client is not affected
    status, _ = call("POST", f"{cluster['a'].base}/api/v1/carts/{token}/checkout",
                     checkout_body({}), headers=as_client("198.51.100.78"))
    assert status != 429


# ---------------------------------------------------------------- 6. PostgreSQL restarted

def test_postgresql_restarted_under_load(cluster, db_session):
    data_dir = db_session.execute(text("SHOW data_directory")).scalar()
    db_session.rollback()
    pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
    results, stop = [], threading.Event()

    def load(base):
        while not stop.is_set():
            started = time.monotonic()
            try:
                status, _ = call("GET", f"{base}/healthz", timeout=30)
            except OSError as exc:  # counted as a failure below
                status = repr(exc)
            results.append((status, time.monotonic() - started))

    threads = [threading.Thread(target=load, args=(cluster[h].base,)) for h in ("a", "b")]
    for t in threads:
        t.start()
    time.sleep(0.5)
    restart = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    log = Path(data_dir).parent / "server.log"  # (no pipes: the server would inherit them)
    subprocess.run([*restart, str(pg_ctl), "-D", data_dir, "-l", str(log), "-m", "fast", "-w",
                    "restart"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)
    time.sleep(1.0)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    statuses = {status for status, _ in results}
    assert statuses <= {200, 500, 503}, statuses  # failures are answers, not hangs
    assert max(seconds for _, seconds in results) < 10
    # the same processes recover: every host answers, a write goes through
    for host in ("a", "b"):
        for _ in range(6):  # every worker's pool
            assert call("GET", f"{cluster[host].base}/healthz")[0] == 200
        assert call("POST", f"{cluster[host].base}/api/v1/carts")[0] == 201


# ---------------------------------------------------------------- 7. a host killed

def test_a_host_killed_mid_checkout_leaves_nothing_half_written(cluster, gen_product, lapas):
    from shop.catalog.models import Product
    from shop.extensions import db
    from shop.orders.models import FacilityOrder, Order, OrderLine

    product = gen_product(facility=lapas, price=25_000, stock=100)
    body = checkout_body({lapas.slug: "pickup"})
    carts = []
    for i in range(16):
        base = cluster["a" if i % 2 else "b"].base
        token = new_cart(base)
        put_line(base, token, product.slug, 2)
        carts.append((base, token))

    def buyer(i, barrier):
        base, token = carts[i]
        barrier.wait()
        if i == 0:
            time.sleep(0.05)
            cluster["b"].kill()
            return None
        return _safe_call(f"{base}/api/v1/carts/{token}/checkout", body, i)

    run_together(16, buyer)
    db.session.expire_all()
    orders = db.session.scalars(select(Order)).all()
    for order in orders:  # every order whole: parcels and lines, or not there at all
        parcels = db.session.scalars(select(FacilityOrder).filter_by(order_id=order.id)).all()
        assert parcels, order.number
        lines = db.session.scalars(select(OrderLine).where(
            OrderLine.facility_order_id.in_([p.id for p in parcels]))).all()
        assert sum(line.quantity for line in lines) == 2
    assert db.session.get(Product, product.id).stock == 100 - 2 * len(orders)
    # nginx passes new requests to the host still alive
    for _ in range(4):
        assert via_nginx(cluster, "GET", "/healthz")[0] == 200


def _safe_call(url, body, i):
    try:
        return call("POST", url, body, headers=as_client(f"10.8.0.{i}"), timeout=30)
    except OSError as exc:  # the host died under this request
        return ("dead", str(exc))

"""deploy/gunicorn.conf.py for real: two workers, metrics added up across them (Prometheus
multiprocess mode), JSON access lines with the request id, a graceful reload (HUP)."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.ops.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVER = {}  # the running gunicorn's port


def get(path, headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{SERVER['port']}{path}",
                                     headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


@pytest.fixture
def gunicorn(tmp_path):
    # found free when the test starts, not at import: an outgoing connection of the suite may
    # take a port of this range as its local port meanwhile
    port = SERVER["port"] = free_port(54710)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/shop.db",
           "SHOP_INSTANCE_DIR": str(tmp_path), "MEDIA_ROOT": str(tmp_path / "media"),
           "SHOP_ENV": "testing", "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"), "LOG_FORMAT": "json"}
    (tmp_path / "prometheus").mkdir()
    subprocess.run([BIN / "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115 - open while gunicorn runs
    proc = subprocess.Popen([BIN / "gunicorn", "--config", "deploy/gunicorn.conf.py", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            get("/static/css/shop.css")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(Path(log.name).read_text()) from None
            time.sleep(0.2)
    yield proc, Path(log.name)
    proc.terminate()
    proc.wait(timeout=40)
    log.close()


def healthz_count(text):
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if (sample.name == "shop_requests_total" and sample.labels["endpoint"] == "core.healthz"
                    and sample.labels["status"] == "200"):
                return sample.value
    return 0


def test_two_workers_one_set_of_metrics_and_a_graceful_reload(gunicorn):
    proc, log = gunicorn
    ids = set()
    for _ in range(20):
        status, headers, body = get("/healthz")
        assert status == 200 and json.loads(body)["database"] == "ok"
        ids.add(headers["X-Request-ID"])
    assert len(ids) == 20
    _, _, text = get("/metrics")
    assert healthz_count(text) == 20  # summed over both workers

    proc.send_signal(signal.SIGHUP)  # graceful reload: new workers, old counts kept
    time.sleep(3)
    assert get("/healthz")[0] == 200
    _, _, text = get("/metrics")
    assert healthz_count(text) == 21

    status, headers, _ = get("/healthz", {"X-Request-ID": "req-from-nginx-0001"})
    assert headers["X-Request-ID"] == "req-from-nginx-0001"
    time.sleep(0.5)
    access = [json.loads(line) for line in log.read_text().splitlines()
              if line.startswith("{") and '"gunicorn.access"' in line]
    assert any(a["request_id"] == "req-from-nginx-0001" and a["status"] == 200 for a in access)

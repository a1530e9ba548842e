"""Payments fixtures: scripts/fake-midtrans for the session, and a small HTTP receiver that
catches the notifications it sends."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config import TestingConfig

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAKE_MIDTRANS = os.path.join(ROOT, "scripts", "fake-midtrans")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def fake_midtrans_server():
    """scripts/fake-midtrans on a free loopback port, with the test server key."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, FAKE_MIDTRANS, "--port", str(port), "--server-key",
         TestingConfig.MIDTRANS_SERVER_KEY, "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("fake-midtrans did not start") from None
            time.sleep(0.05)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


class Receiver:
    """Records every POST it gets (path, headers, raw body); answers 200."""

    def __init__(self):
        self.received = []
        self.condition = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.condition:
                    receiver.received.append({"path": self.path, "headers": dict(self.headers),
                                              "body": body})
                    receiver.condition.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/payments/midtrans/notification"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self, order_id=None):
        with self.condition:
            items = [r["body"] for r in self.received]
        return [b for b in items if order_id is None or json.loads(b)["order_id"] == order_id]

    def wait_for(self, predicate, timeout=5):
        """The first received body (bytes) whose JSON satisfies predicate, waiting for it."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                for record in self.received:
                    if predicate(json.loads(record["body"])):
                        return record["body"]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("no matching notification arrived")
                self.condition.wait(remaining)

    def clear(self):
        with self.condition:
            self.received.clear()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def notification_receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def midtrans(app, fake_midtrans_server, notification_receiver):
    """The app pointed at fake-midtrans for one test; yields the fake's base URL."""
    notification_receiver.clear()
    app.config["MIDTRANS_API_BASE"] = fake_midtrans_server
    app.config["MIDTRANS_SNAP_BASE"] = fake_midtrans_server
    yield fake_midtrans_server
    app.config["MIDTRANS_API_BASE"] = TestingConfig.MIDTRANS_API_BASE
    app.config["MIDTRANS_SNAP_BASE"] = TestingConfig.MIDTRANS_SNAP_BASE


def fake_call(base, method, path, data=None, server_key=None, headers=None):
    """(HTTP status, parsed JSON) of one call to fake-midtrans; Basic auth with the key."""
    import base64

    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(base + path, data=body, method=method)
    request.add_header("Content-Type", "application/json")
    key = TestingConfig.MIDTRANS_SERVER_KEY if server_key is None else server_key
    request.add_header("Authorization",
                       "Basic " + base64.b64encode(f"{key}:".encode()).decode())
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())

"""deploy/: the systemd units pass `systemd-analyze verify`, the nginx site passes `nginx -t`
and, run for real in front of a stand-in app, redirects to HTTPS, caches static files and
photos, passes the request id and the client address on, and limits the body size."""

import http.client
import json
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.ops.nginxsite import DEPLOY, HOST, ROOT, build_site, check, start, tool
from tests.ops.ports import free_port


@pytest.fixture
def ports():
    """nginx's HTTP and HTTPS ports and the stand-in app's, found free when the test starts
    (not when the module is imported: an outgoing connection of the suite may take one of them
    as its local port meanwhile)."""
    return {"http": free_port(54720), "https": free_port(54720), "app": free_port(54720)}


# ---------------------------------------------------------------- systemd

def test_systemd_units_verify(tmp_path):
    analyze = tool("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (make test installs it)")
    env_file = tmp_path / "etalase.env"
    env_file.write_text((DEPLOY / "etalase.env.example").read_text())
    units = sorted((DEPLOY / "systemd").iterdir())
    assert {u.name for u in units} >= {"etalase.service", "etalase-jobs.service",
                                       "etalase-jobs.timer", "etalase-backup.service",
                                       "etalase-backup.timer"}
    for unit in units:  # the real paths, pointed at this checkout
        text = unit.read_text().replace("/srv/etalase", str(ROOT)).replace(
            "/etc/etalase/etalase.env", str(env_file))
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run([analyze, "verify", *[u.name for u in units]], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    if "Failed to initialize manager" in result.stderr or "System has not been booted" in (
            result.stderr):
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()[:200]}")
    ours = [line for line in result.stderr.splitlines() if "etalase" in line]
    assert result.returncode == 0 and not ours, result.stderr


# ---------------------------------------------------------------- nginx

class StandIn(BaseHTTPRequestHandler):
    """Answers every request with the headers it got, as JSON."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({"path": self.path, "headers": dict(self.headers)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx_site(tmp_path, ports):
    nginx = tool("nginx")
    if nginx is None:
        pytest.skip("nginx is not installed (make test installs nginx-light)")
    conf = build_site(tmp_path, ports["http"], ports["https"], [ports["app"]])
    result = check(nginx, conf)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr
    return nginx, conf, tmp_path


def test_nginx_config_passes_nginx_t(nginx_site):
    pass  # the fixture ran `nginx -t`


@pytest.fixture
def running(nginx_site, ports):
    nginx, conf, folder = nginx_site
    app = ThreadingHTTPServer(("127.0.0.1", ports["app"]), StandIn)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    proc = start(nginx, conf, ports["https"])
    yield folder
    proc.terminate()
    proc.wait(timeout=10)
    app.shutdown()
    app.server_close()


def https_to(port, method, path, body=None, headers=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def test_nginx_in_front(running, ports):
    def https(*args, **kwargs):
        return https_to(ports["https"], *args, **kwargs)

    conn = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
    conn.request("GET", "/products?q=x", headers={"Host": HOST})
    response = conn.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}:{ports['https']}/products?q=x"

    response, _ = https("GET", "/static/css/shop.css?v=0123456789")
    assert response.status == 200 and "max-age=31536000" in response.getheader("Cache-Control")
    response, _ = https("GET", "/static/css/shop.css")
    assert response.status == 200 and "max-age=86400" in response.getheader("Cache-Control")

    stem = "0123456789abcdef0123"
    (running / "media" / "derived" / f"{stem}-card.webp").write_bytes(b"RIFF....WEBP")
    response, data = https("GET", f"/media/{stem}/card.webp")
    assert response.status == 200 and data == b"RIFF....WEBP"
    assert "immutable" in response.getheader("Cache-Control")
    response, data = https("GET", f"/media/{stem}/large.webp")  # not made yet: the app makes it
    assert response.status == 200 and json.loads(data)["path"] == f"/media/{stem}/large.webp"

    response, data = https("GET", "/cart", headers={"X-Forwarded-For": "198.51.100.7"})
    seen = json.loads(data)["headers"]
    assert seen["X-Forwarded-Proto"] == "https" and seen["X-Real-IP"] == "127.0.0.1"
    # the client's own X-Forwarded-For is kept, nginx's view of the client comes last
    assert seen["X-Forwarded-For"] == "198.51.100.7, 127.0.0.1"
    assert len(seen["X-Request-ID"]) == 32
    assert "max-age=31536000" in response.getheader("Strict-Transport-Security")

    response, _ = https("GET", "/metrics")  # from this host: allowed
    assert response.status == 200

    response, _ = https("POST", "/staff/products/new", body=b"x" * (13 * 1024 * 1024),
                        headers={"Content-Type": "application/octet-stream"})
    assert response.status == 413

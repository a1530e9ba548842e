"""deploy/: the systemd units pass `systemd-analyze verify`, the nginx site passes `nginx -t`
and, run for real in front of a stand-in app, redirects to HTTPS, caches static files and
photos, passes the request id and the client address on, and limits the body size."""

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.ops.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HTTP_PORT, HTTPS_PORT, APP_PORT = free_port(54720), free_port(54720), free_port(54720)
HOST = "toko.example.id"


def _tool(name):
    for folder in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        if os.access(f"{folder}/{name}", os.X_OK):
            return f"{folder}/{name}"
    return shutil.which(name)


# ---------------------------------------------------------------- systemd

def test_systemd_units_verify(tmp_path):
    analyze = _tool("systemd-analyze")
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


def _site(tmp_path):
    """The site and snippet with paths and ports pointed at a scratch folder."""
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={HOST}", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    (tmp_path / "logs").mkdir()
    (tmp_path / "media" / "derived").mkdir(parents=True)
    replacements = {
        f"/etc/letsencrypt/live/{HOST}/": f"{tmp_path}/",
        "/etc/nginx/snippets/etalase-proxy.conf": str(tmp_path / "etalase-proxy.conf"),
        "/var/log/nginx/": f"{tmp_path}/logs/",
        "/srv/etalase/": f"{ROOT}/",
        "/var/lib/etalase/media": str(tmp_path / "media"),
        "/var/www/letsencrypt": str(tmp_path / "acme"),
        "listen 80;": f"listen 127.0.0.1:{HTTP_PORT};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{HTTPS_PORT} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "server 127.0.0.1:8000": f"server 127.0.0.1:{APP_PORT}",
        "return 301 https://$host$request_uri;":
            f"return 301 https://$host:{HTTPS_PORT}$request_uri;",
    }
    site = (DEPLOY / "nginx" / "etalase.conf").read_text()
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    (tmp_path / "etalase.conf").write_text(site)
    shutil.copy(DEPLOY / "nginx" / "etalase-proxy.conf", tmp_path / "etalase-proxy.conf")
    (tmp_path / "nginx.conf").write_text(f"""
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
daemon off;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    access_log off;
    include {tmp_path}/etalase.conf;
}}
""")
    return tmp_path / "nginx.conf"


@pytest.fixture
def nginx_site(tmp_path):
    nginx = _tool("nginx")
    if nginx is None:
        pytest.skip("nginx is not installed (make test installs nginx-light)")
    conf = _site(tmp_path)
    check = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf),
                            "-e", str(tmp_path / "logs" / "error.log")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "syntax is ok" in check.stderr and "test is successful" in check.stderr
    return nginx, conf, tmp_path


def test_nginx_config_passes_nginx_t(nginx_site):
    pass  # the fixture ran `nginx -t`


@pytest.fixture
def running(nginx_site):
    nginx, conf, folder = nginx_site
    app = ThreadingHTTPServer(("127.0.0.1", APP_PORT), StandIn)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    proc = subprocess.Popen([nginx, "-p", str(folder), "-c", str(conf),
                             "-e", str(folder / "logs" / "error.log")])
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", HTTPS_PORT), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "logs" / "error.log").read_text()) from None
            time.sleep(0.1)
    yield folder
    proc.terminate()
    proc.wait(timeout=10)
    app.shutdown()
    app.server_close()


def https(method, path, body=None, headers=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", HTTPS_PORT, context=context, timeout=10)
    conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def test_nginx_in_front(running):
    conn = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=10)
    conn.request("GET", "/products?q=x", headers={"Host": HOST})
    response = conn.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}:{HTTPS_PORT}/products?q=x"

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

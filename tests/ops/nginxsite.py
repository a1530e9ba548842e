"""deploy/nginx/etalase.conf made runnable in a scratch folder: paths, ports and app hosts
replaced, a throwaway certificate, a minimal nginx.conf around it. Used by the deploy tests
and the cluster lane."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HOST = "toko.example.id"


def tool(name):
    for folder in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        if os.access(f"{folder}/{name}", os.X_OK):
            return f"{folder}/{name}"
    return shutil.which(name)


def build_site(folder: Path, http_port: int, https_port: int, app_ports: list[int],
               media_root: Path | None = None) -> Path:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={HOST}", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    (folder / "logs").mkdir(exist_ok=True)
    media_root = media_root or folder / "media"
    (media_root / "derived").mkdir(parents=True, exist_ok=True)
    upstreams = "\n    ".join(f"server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;"
                               for port in app_ports)
    replacements = {
        f"/etc/letsencrypt/live/{HOST}/": f"{folder}/",
        "/etc/nginx/snippets/etalase-proxy.conf": str(folder / "etalase-proxy.conf"),
        "/var/log/nginx/": f"{folder}/logs/",
        "/srv/etalase/": f"{ROOT}/",
        "/var/lib/etalase/media": str(media_root),
        "/var/www/letsencrypt": str(folder / "acme"),
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;": upstreams,
        "return 301 https://$host$request_uri;":
            f"return 301 https://$host:{https_port}$request_uri;",
    }
    site = (DEPLOY / "nginx" / "etalase.conf").read_text()
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    (folder / "etalase.conf").write_text(site)
    shutil.copy(DEPLOY / "nginx" / "etalase-proxy.conf", folder / "etalase-proxy.conf")
    (folder / "nginx.conf").write_text(f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log;
daemon off;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    access_log off;
    include {folder}/etalase.conf;
}}
""")
    return folder / "nginx.conf"


def check(nginx, conf: Path):
    folder = conf.parent
    return subprocess.run([nginx, "-t", "-p", str(folder), "-c", str(conf),
                           "-e", str(folder / "logs" / "error.log")],
                          capture_output=True, text=True)


def start(nginx, conf: Path, https_port: int) -> subprocess.Popen:
    folder = conf.parent
    proc = subprocess.Popen([nginx, "-p", str(folder), "-c", str(conf),
                             "-e", str(folder / "logs" / "error.log")])
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError((folder / "logs" / "error.log").read_text()) from None
            time.sleep(0.1)

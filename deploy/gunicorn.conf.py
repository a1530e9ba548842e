"""gunicorn settings for production: `gunicorn --config deploy/gunicorn.conf.py wsgi:app`.

Every value can be overridden from the environment (the systemd unit reads
/etc/etalase/etalase.env). Graceful reload: `systemctl reload etalase` sends HUP: new
workers start with the new code, the old ones finish their requests (no preload_app).
"""

import glob
import multiprocessing
import os
import tempfile


def _int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# sync workers: 2 x cores + 1 (the app is I/O-light and database-bound)
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)  # a worker silent this long is killed and replaced
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # on reload/stop: time to finish
keepalive = 5  # nginx keeps upstream connections open
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)  # recycle workers now and then
max_requests_jitter = max_requests // 10
preload_app = False  # so that HUP reloads the code
control_socket_disable = True  # the `--no-control-socket` of gunicorn 27
# nginx on the same host (or the load balancer) may set X-Forwarded-Proto
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

# Logs to stdout/stderr (journald). Access lines are JSON with the request id the app echoes.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_ms": %(M)s, "request_id": "%({x-request-id}o)s", "user_agent": "%(a)s"}'
)

# Prometheus multiprocess mode: every worker writes its counters to files in this folder;
# /metrics adds them up. The systemd unit points it at /run/etalase/prometheus.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="etalase-prometheus-")


def on_starting(server):
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for path in glob.glob(os.path.join(folder, "*.db")):  # counters of a previous run
        os.remove(path)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)

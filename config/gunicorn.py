"""gunicorn settings for production, read from the environment (`gunicorn -c config/gunicorn.py`).

WEB_CONCURRENCY   worker processes (default: 2 x CPU cores + 1)
GUNICORN_THREADS  threads per worker (default 4; >1 uses the gthread worker)
GUNICORN_BIND     address to listen on (default 127.0.0.1:8000; the proxy connects there)
GUNICORN_TIMEOUT  seconds before a stuck worker is restarted (default 60)
GUNICORN_MAX_REQUESTS  recycle a worker after this many requests (default 5000, with jitter)
FORWARDED_ALLOW_IPS    proxies whose X-Forwarded-* headers gunicorn trusts (default 127.0.0.1)
GUNICORN_ACCESS_LOG    1 to log every request to stdout
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") == "1" else None
errorlog = "-"
# Each worker opens its own database connections after the fork (never shared across processes).
preload_app = False


def post_worker_init(worker):
    """Import every view (Django builds the URLconf on the first request) before serving.

    The URLconf pulls in NumPy, SciPy and scikit-learn; without this the first request each worker
    answered took 10 to 19 s on a loaded machine (`make serve`, 2026-11-30). No database access.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the import is the point)

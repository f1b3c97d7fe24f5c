#!/usr/bin/env bash
# `make serve`: the production configuration on one machine. gunicorn (config/gunicorn.py), a
# django-tasks worker, whitenoise with the static manifest, the shared database cache, and
# PostgreSQL: DATABASE_URL when set, otherwise a throwaway cluster under /tmp started here (like
# .ci/run) and removed on exit. Ctrl-C stops everything. See docs/production.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

PGTMP=""
cleanup() {
  trap - INT TERM EXIT
  [ -n "${WORKER_PID:-}" ] && kill "$WORKER_PID" 2>/dev/null || true
  [ -n "${WEB_PID:-}" ] && kill "$WEB_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ -n "$PGTMP" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PGTMP"
  fi
}
trap cleanup INT TERM EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$PG_BIN" ]; then
    echo "make serve needs PostgreSQL: set DATABASE_URL, or install it (apt-get install postgresql)." >&2
    exit 1
  fi
  PGTMP=$(mktemp -d /tmp/jipp-serve-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PGTMP"
    as_pg() { runuser -u postgres -- "$@"; }
  else
    as_pg() { "$@"; }
  fi
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  as_pg "$PG_BIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off -c max_connections=200" start >/dev/null
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres jipp
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/jipp"
  echo "Throwaway PostgreSQL on 127.0.0.1:$PGPORT (removed on exit)"
fi

# Production settings, with local defaults that a real deployment sets itself.
export DJANGO_DEBUG=0
export SECRET_KEY=${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}  # no TLS proxy in front on one machine
export GUNICORN_BIND=${GUNICORN_BIND:-$HOST:$PORT}
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-4}

$PY manage.py migrate --verbosity 0
$PY manage.py createcachetable
$PY manage.py load_regions
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py shell --verbosity 0 -c "from jipp.accounts.models import User; import sys; sys.exit(0 if User.objects.exists() else 1)" \
  || $PY manage.py seed_demo --scale small
$PY manage.py demo_accounts

$PY manage.py db_worker --verbosity 0 &
WORKER_PID=$!
.venv/bin/gunicorn -c config/gunicorn.py &
WEB_PID=$!
echo "Serving the production configuration on http://localhost:$PORT/ ($WEB_CONCURRENCY workers; Ctrl-C stops all)"
wait -n "$WORKER_PID" "$WEB_PID"

#!/usr/bin/env bash
# Serve the demo: migrate the SQLite database under var/, load the demo data once, and
# serve with gunicorn on 127.0.0.1:$PORT. Running it again keeps the data.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PORT=${PORT:-8000}
export ATIENDE_DEMO=true
export ATIENDE_BASE_URL=${ATIENDE_BASE_URL:-http://127.0.0.1:$PORT}

"$VENV/bin/atiende" migrate --noinput -v0
"$VENV/bin/atiende" collectstatic --noinput -v0
"$VENV/bin/atiende" load_demo
echo "Atiende is serving on http://127.0.0.1:$PORT  (Ctrl+C stops it)"
exec "$VENV/bin/gunicorn" atiende.wsgi \
  --bind "127.0.0.1:$PORT" --workers "${WEB_CONCURRENCY:-2}" --threads 4 \
  --access-logfile - --error-logfile - --log-level warning

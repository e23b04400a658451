#!/usr/bin/env bash
# Serve the demo: migrate the SQLite database under var/, load the demo data once, and
# serve with gunicorn on 127.0.0.1:$PORT. Running it again keeps the data.
# Beside the web server runs the periodic jobs' runner (mailbox polling, SLA sweeps,
# outbox retries): the demo has no Celery broker, so nothing else needs to be started.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PORT=${PORT:-8000}
export ATIENDE_DEMO=true
export ATIENDE_BASE_URL=${ATIENDE_BASE_URL:-http://127.0.0.1:$PORT}

# Say what is happening: the first run takes a while and should not look stuck.
echo "Preparando la base de datos (migraciones)…"
"$VENV/bin/atiende" migrate --noinput -v0
echo "Copiando los archivos estáticos…"
"$VENV/bin/atiende" collectstatic --noinput -v0
echo "Cargando los datos de demostración (la primera vez tarda un poco)…"
"$VENV/bin/atiende" load_demo

pids=()
stop() {
  trap - INT TERM EXIT
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

"$VENV/bin/atiende" run_periodic &
pids+=($!)
echo "Atiende is serving on http://127.0.0.1:$PORT  (Ctrl+C stops it)"
"$VENV/bin/gunicorn" atiende.wsgi \
  --bind "127.0.0.1:$PORT" --workers "${WEB_CONCURRENCY:-2}" --threads 4 \
  --access-logfile - --error-logfile - --log-level warning &
pids+=($!)
# Whichever stops first (a crash, a signal) stops the other.
wait -n

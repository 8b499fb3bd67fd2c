#!/usr/bin/env bash
# Einstiegspunkt des Produktionsabbilds.
#   web          Migrationen ausführen (abschaltbar mit MIGRATE_ON_START=0), dann gunicorn starten
#   migrate      nur die Migrationen ausführen
#   healthcheck  GET /healthz auf 127.0.0.1:8000 (für den Healthcheck in docker-compose.yml)
#   sonst        den Befehl unverändert ausführen (z. B. celery -A strategie worker -l info)
set -euo pipefail

case "${1:-web}" in
    web)
        if [ "${MIGRATE_ON_START:-1}" = "1" ]; then
            python manage.py migrate --noinput
        fi
        exec gunicorn strategie.wsgi:application \
            --bind 0.0.0.0:8000 \
            --workers "${GUNICORN_WORKERS:-3}" \
            --timeout "${GUNICORN_TIMEOUT:-60}" \
            --access-logfile - \
            --error-logfile -
        ;;
    migrate)
        exec python manage.py migrate --noinput
        ;;
    healthcheck)
        # Host-Kopf aus ALLOWED_HOSTS, damit Django die Anfrage annimmt; X-Forwarded-Proto wie hinter dem Proxy.
        exec python - <<'PY'
import os
import sys
import urllib.request

host = next((h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()), "")
if host in ("", "*"):
    host = "localhost"
anfrage = urllib.request.Request(
    "http://127.0.0.1:8000/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
)
try:
    with urllib.request.urlopen(anfrage, timeout=5) as antwort:  # noqa: S310
        sys.exit(0 if antwort.status == 200 else 1)
except Exception as exc:  # noqa: BLE001
    print(f"healthz nicht erreichbar: {exc}", file=sys.stderr)
    sys.exit(1)
PY
        ;;
    *)
        exec "$@"
        ;;
esac

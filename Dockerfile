# Produktionsabbild des Umsetzungsmonitors: gunicorn + WhiteNoise, Celery-Worker und -Beat aus demselben Abbild.
# Start über docker-compose.yml; dort stehen auch die nötigen Umgebungsvariablen.

# --- Frontend-Pakete (KERN UX) aus npm, ohne Bundler ---------------------------------------------------------
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- Anwendung -------------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=strategie.settings.prod \
    MEDIA_ROOT=/app/media

# Laufzeitbibliotheken für WeasyPrint (Pango, HarfBuzz-Subsetting) und eine Schrift
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Abhängigkeiten zuerst (eigene Schicht, solange pyproject.toml gleich bleibt); ohne dev-Extras
COPY pyproject.toml ./
RUN pip install .

COPY . .
COPY --from=frontend /build/node_modules ./node_modules

# Statische Dateien beim Bauen sammeln; SECRET_KEY, DATABASE_URL und PORTAL_URL sind nur Platzhalter für diesen Schritt.
RUN SECRET_KEY=nur-fuer-collectstatic-beim-bauen DATABASE_URL=sqlite:////tmp/bauen.sqlite3 \
        PORTAL_URL=https://bauen.invalid \
        python manage.py collectstatic --noinput \
    && rm -f /tmp/bauen.sqlite3 \
    && mkdir -p /app/media /var/lib/celery \
    && chown app:app /app/media /var/lib/celery

USER app
EXPOSE 8000
ENTRYPOINT ["bash", "/app/docker/entrypoint.sh"]
CMD ["web"]

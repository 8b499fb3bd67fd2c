# Umsetzungsmonitor: Einrichtung, Start und Tests.
#   make run               Portal lokal starten (http://127.0.0.1:8000, SQLite + Celery eager)
#   make test              alle Prüfungen und Tests (ARGS="-k muster" wird an pytest weitergegeben)
#   make lint              ruff check + ruff format --check
#   make migrations-check  prüft, ob Modelle und Migrationen übereinstimmen
#   make clean             Caches, gesammelte statische Dateien und Testreste entfernen (db.sqlite3 bleibt)
#   make distclean         zusätzlich .venv und node_modules entfernen (nächstes make richtet neu ein)

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help einrichten run test lint format migrations-check clean distclean

help:
	@echo "Ziele: make run | make test [ARGS=...] | make lint | make format | make migrations-check | make clean | make distclean"

einrichten:
	@bash scripts/einrichten.sh

run: einrichten
	$(MANAGE) migrate --noinput
	$(MANAGE) strategien_laden
	$(MANAGE) demo_laden
	@echo "==> Portal läuft auf http://127.0.0.1:8000 (beenden mit Strg+C)"
	@# Served without DEBUG so that users see the German error pages and never a stack trace; --insecure lets
	@# runserver still deliver the static files. Developers who want Django's debug pages: DEBUG=1 manage.py runserver.
	DEBUG=0 $(MANAGE) runserver --insecure 127.0.0.1:8000

test: einrichten
	$(PY) scripts/testlauf.py $(ARGS)

lint: einrichten
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: einrichten
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: einrichten
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	DJANGO_SETTINGS_MODULE=strategie.settings.test DATABASE_URL="sqlite:///$$tmp/migrations-check.sqlite3" \
	$(MANAGE) makemigrations --check --dry-run

clean:
	find . -path ./.venv -prune -o -path ./node_modules -prune -o -name __pycache__ -type d -exec rm -rf {} +
	rm -rf staticfiles test-media .pytest_cache .ruff_cache test-embedded.sqlite3

distclean: clean
	rm -rf $(VENV) node_modules *.egg-info

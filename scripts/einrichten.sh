#!/usr/bin/env bash
# Richtet die Entwicklungsumgebung ein (von `make run` und `make test` aufgerufen):
#   1. fehlende Debian-Pakete (als root installieren, sonst den einen sudo-Befehl nennen und anhalten),
#   2. .venv mit Python 3.11 anlegen und `pip install -e '.[dev]'`, wenn pyproject.toml neuer ist als der Stempel,
#   3. `npm ci` (bzw. `npm install`), wenn package.json/package-lock.json neuer sind als der Stempel.
# Jeder Schritt wird übersprungen, wenn nichts zu tun ist; das Skript kann beliebig oft laufen.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3.11}"
VENV=".venv"
PIP_STEMPEL="$VENV/.einrichten-pip-stempel"
NPM_STEMPEL="node_modules/.einrichten-npm-stempel"

# Laufzeit- und Testpakete: WeasyPrint (Pango, HarfBuzz, Schrift), PDF-Prüfung (poppler-utils),
# Browsertests (chromium), Testserver (postgresql, redis-server), Frontend-Pakete (nodejs, npm).
PAKETE=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils chromium
        postgresql redis-server nodejs npm)
# Nur für die Prüfung der docker-compose.yml; fehlt es ohne root-Rechte, wird der Schritt übersprungen.
OPTIONAL=(docker-compose)

meldung() { printf '==> %s\n' "$*"; }
fehler() { printf 'FEHLER: %s\n' "$*" >&2; }

paket_vorhanden() {
    local paket="$1"
    if [ "$(dpkg-query -W -f='${Status}' "$paket" 2>/dev/null || true)" = "install ok installed" ]; then
        return 0
    fi
    # Ein Programm kann auch aus einer anderen Quelle stammen (z. B. nodejs von NodeSource bringt npm mit
    # und schließt Debians npm-Paket aus): dann gilt es als vorhanden.
    case "$paket" in
        nodejs) command -v node >/dev/null 2>&1 ;;
        npm) command -v npm >/dev/null 2>&1 ;;
        redis-server) command -v redis-server >/dev/null 2>&1 ;;
        postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ;;
        chromium) [ -x /usr/bin/chromium ] ;;
        docker-compose) command -v docker-compose >/dev/null 2>&1 ;;
        *) return 1 ;;
    esac
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    fehler "Dieses Skript erwartet Debian 12 (dpkg-query fehlt). Bitte die Pakete ${PAKETE[*]} von Hand installieren."
    exit 1
fi

fehlend=()
for paket in "${PAKETE[@]}"; do
    paket_vorhanden "$paket" || fehlend+=("$paket")
done

# Python 3.11 mit venv-Modul (Debian trennt venv/ensurepip in python3-venv ab); nur nötig, solange .venv fehlt.
if [ ! -x "$VENV/bin/python" ]; then
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        fehlend+=(python3 python3-venv)
    elif ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        fehlend+=(python3-venv)
    fi
fi

optional_fehlend=()
for paket in "${OPTIONAL[@]}"; do
    paket_vorhanden "$paket" || optional_fehlend+=("$paket")
done

if [ "$(id -u)" -eq 0 ]; then
    zu_installieren=("${fehlend[@]}" "${optional_fehlend[@]}")
    if [ ${#zu_installieren[@]} -gt 0 ]; then
        meldung "Installiere fehlende Debian-Pakete: ${zu_installieren[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q --no-install-recommends "${zu_installieren[@]}"
    fi
elif [ ${#fehlend[@]} -gt 0 ]; then
    fehler "Es fehlen Debian-Pakete: ${fehlend[*]}"
    printf '\nBitte einmal mit Administratorrechten ausführen:\n\n    sudo apt-get install -y %s\n\n' "${fehlend[*]}" >&2
    printf 'Danach den Befehl (make run / make test) erneut starten.\n' >&2
    exit 1
elif [ ${#optional_fehlend[@]} -gt 0 ]; then
    meldung "Hinweis: ${optional_fehlend[*]} fehlt (optional, nur für die Prüfung der docker-compose.yml):" \
        "sudo apt-get install -y ${optional_fehlend[*]}"
fi

# Python-Umgebung
if [ ! -x "$VENV/bin/python" ]; then
    meldung "Lege die Python-Umgebung $VENV an ($PYTHON)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi
if [ ! -f "$PIP_STEMPEL" ] || [ pyproject.toml -nt "$PIP_STEMPEL" ]; then
    meldung "Installiere die Python-Pakete (pip install -e '.[dev]')"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -e '.[dev]'
    touch "$PIP_STEMPEL"
fi

# Frontend-Pakete (KERN UX, axe-core) aus npm, ohne Bundler
if [ ! -f "$NPM_STEMPEL" ] || [ package.json -nt "$NPM_STEMPEL" ] \
    || { [ -f package-lock.json ] && [ package-lock.json -nt "$NPM_STEMPEL" ]; }; then
    if [ -f package-lock.json ]; then
        meldung "Installiere die Frontend-Pakete (npm ci)"
        npm ci --no-audit --no-fund --loglevel=error
    else
        meldung "Installiere die Frontend-Pakete (npm install)"
        npm install --no-audit --no-fund --loglevel=error
    fi
    touch "$NPM_STEMPEL"
fi

meldung "Umgebung ist eingerichtet."

#!/usr/bin/env bash
# The README's first command on a fresh clone: `make run` installs, migrates, seeds and serves with the
# embedded SQLite database and in-process tasks. Wait for /healthz, check the home page, stop it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'kill -- -"${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/ikmportal"
cd "$work/ikmportal"
# Only what a newcomer has: no database or broker settings from this shell.
env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND -u CACHE_URL -u DJANGO_SETTINGS_MODULE \
  setsid make run > "$work/run.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  if curl -fsS http://127.0.0.1:8000/healthz > "$work/health.json" 2>/dev/null; then
    echo "fresh clone: make run serves /healthz: $(cat "$work/health.json")"
    curl -fsS http://127.0.0.1:8000/ | grep -q "ikmportal" && echo "fresh clone: home page served"
    grep -E "demo-ikm|Demo data ready" "$work/run.log" | head -2
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "fresh clone: make run stopped early"; tail -40 "$work/run.log"; exit 1
  fi
  sleep 2
done
echo "fresh clone: no answer from make run after 10 minutes"; tail -40 "$work/run.log"; exit 1

# ikmportal: the two commands a newcomer runs are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint messages seed worker beat clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) -m ikmportal.compile_translations

# Embedded demo: SQLite under var/, tasks run in-process; no PostgreSQL or Redis needed.
run: export DEBUG ?= true
run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Preparing the meeting scheduler (compiled once per install: from a few seconds to half a minute the first time)"
	$(PY) -c "from events.scheduling.annealing import warm_up; warm_up()"
	$(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(PY) -m ruff check .

# Tests run against the real services: PostgreSQL at DATABASE_URL (default: this machine's, as the README
# says) and Redis for the broker tests. Some tests prove PostgreSQL-only behaviour (full-text search, array
# filters), so a run without PostgreSQL stops at once with the reason instead of failing them one by one.
test: export DJANGO_SETTINGS_MODULE = ikmportal.settings_test
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ikmportal
test: install messages
	$(PY) -m ikmportal.check_test_database
	$(PY) -m ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

worker: install
	$(VENV)/bin/celery -A ikmportal worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A ikmportal beat --loglevel=INFO

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles

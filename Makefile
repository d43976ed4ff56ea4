# The two commands: `make run` (portal with the demo world on embedded defaults) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Settings for the test run: production-like (DEBUG off) but over plain HTTP on loopback.
TEST_ENV := SECRET_KEY=test-secret-key-not-for-production-0123456789abcdef \
	FIELD_ENCRYPTION_KEY=test-field-key-not-for-production \
	ALLOWED_HOSTS=127.0.0.1,localhost,testserver SECURE_SSL_REDIRECT=false SECURE_COOKIES=false

# `make run PORT=8123` serves on another port; links in emails, calendar files and
# certificates follow it (SITE_URL), unless SITE_URL is given too.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
RUN_ENV := DEBUG=1 SITE_URL=$(SITE_URL)

.PHONY: setup run test test-sqlite lint worker bench
setup:
	@bin/setup

run: setup
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The suite runs in random order (pytest-randomly; the seed is printed at the top, and
# `PYTEST_ARGS=--randomly-seed=N` runs that order again) on one worker per core (pytest-xdist;
# `PYTEST_WORKERS=0` runs it in this process alone). It ends with its 15 slowest steps.
PYTEST_WORKERS ?= auto
test: lint
	$(TEST_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(TEST_ENV) $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --durations=15 $(PYTEST_ARGS)

# The tests marked `sqlite` (SQLite's own guards), on SQLite whatever DATABASE_URL says: CI's
# main run is on PostgreSQL, where they would be skipped. No tests selected (exit 5) fails.
test-sqlite:
	env -u DATABASE_URL -u DATABASE_RUNTIME_ROLE $(TEST_ENV) $(VENV)/bin/pytest -m sqlite

bench: setup
	bench/run

worker: setup
	$(VENV)/bin/celery -A iomuk worker --beat --loglevel=INFO

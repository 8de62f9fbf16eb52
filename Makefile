# Two commands: `make run` (set up, then serve http://127.0.0.1:8000) and `make test`.
# Everything else here is what those two are made of.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
# PAPER=no leaves the paper's data out (a database for your own catalogue). Otherwise the paper is
# loaded only into an empty database: `load_paper --if-empty` skips one holding any catalogue.
PAPER ?= yes
ifeq ($(PAPER),no)
LOAD_PAPER := @echo "PAPER=no: the paper's data is not loaded."
else
LOAD_PAPER := $(PY) manage.py load_paper --if-empty
endif

.PHONY: setup run test lint lint-openapi load worker beat bench clean prod fuzz validate-html redbot lighthouse

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when a requirements file changes: `make setup` is cheap the second time.
$(VENV)/.requirements: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.requirements

setup: $(VENV)/.requirements
	$(PY) manage.py migrate --noinput
	$(LOAD_PAPER)

# SITE_URL: the address served at, which CASE URIs and the OpenAPI schema's server name.
run: setup
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The suite runs on every core (pytest-xdist; TEST_WORKERS=0 runs it in this one process). Each
# worker process has its own test database and its own Redis database.
# The project is compiled to bytecode first (compileall writes it even under
# PYTHONDONTWRITEBYTECODE, and Python reads it then too): otherwise each worker compiles every
# module it imports, and so does each of the ~150 Python processes the tests start. So are the
# test modules as pytest rewrites their asserts (.ci/rewrite_test_asserts.py): under
# PYTHONDONTWRITEBYTECODE pytest keeps none of them, and each worker rewrote all of them again.
# The tests make databases of their own: the development database that `setup` migrates and
# loads the paper into (18 s and 4 s of CPU, before any test starts) is not one of them.
TEST_WORKERS ?= auto
test: $(VENV)/.requirements-dev
	$(PY) -m compileall -q -j 0 -x '/\.(venv|git)/' .
	$(PY) .ci/rewrite_test_asserts.py
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.requirements-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory lint-openapi

# The served OpenAPI schema through Redocly's recommended rules (pinned; npx caches it after the
# first run). Needs Node 20+ and the npm registry once.
REDOCLY_CLI ?= @redocly/cli@2.77.0
lint-openapi: $(VENV)/.requirements-dev
	@mkdir -p $(VENV)/tmp
	$(PY) manage.py spectacular --format openapi-json --validate --fail-on-warn \
		--file $(VENV)/tmp/openapi.json
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		npx --yes $(REDOCLY_CLI) lint --config .ci/redocly.yaml $(VENV)/tmp/openapi.json

# The W3C Nu HTML Checker (vnu, pinned) over every page the markup sweep renders
# (competency_site/tests/test_markup_sweep.py, which writes them to VALIDATE_HTML_DIR, each
# file's page named in index.jsonl). Fails on any error .ci/vnu-filter.txt does not leave out
# (Django's, django-import-export's).
# Needs Java 11+ and, the first time, npm and its registry (the jar comes in vnu-jar's package;
# its install script, which would fetch a Java runtime, is not run).
VNU_JAR_VERSION ?= 26.9.27
VNU_DIR ?= $(VENV)/tmp/vnu
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar
VALIDATE_HTML_DIR ?= $(VENV)/tmp/pages
validate-html: $(VENV)/.requirements-dev
	@command -v java >/dev/null || { echo "validate-html needs Java 11+ (java on PATH)"; exit 1; }
	@test -f $(VNU_JAR) || npm install --prefix $(VNU_DIR) --no-save --no-audit --no-fund \
		--ignore-scripts vnu-jar@$(VNU_JAR_VERSION)
	rm -rf $(VALIDATE_HTML_DIR)
	HTML_PAGES_DIR=$(VALIDATE_HTML_DIR) $(PY) -m pytest -n 0 -q -p no:randomly \
		competency_site/tests/test_markup_sweep.py
	java -jar $(VNU_JAR) --skip-non-html --filterfile .ci/vnu-filter.txt $(VALIDATE_HTML_DIR)

worker: setup
	$(VENV)/bin/celery -A competency_site worker --loglevel=INFO

# Beat's schedule (when each periodic task last ran) under var/, git-ignored, where uploads are
# kept: not the working directory, nor the temporary folder, which a reboot empties (beat then
# forgets the daily upload purge's last run). Beat does not make the folder itself.
BEAT_SCHEDULE ?= var/celerybeat-schedule

beat: setup
	mkdir -p "$(dir $(BEAT_SCHEDULE))"
	$(VENV)/bin/celery -A competency_site beat --loglevel=INFO --schedule "$(BEAT_SCHEDULE)"

# The production configuration on this machine: DEBUG off, PostgreSQL and Redis (local ones unless
# DATABASE_URL / CELERY_BROKER_URL say otherwise), static files through whitenoise, gunicorn, a
# Celery worker and beat. Ctrl-C (or any one process dying) stops all three. Plain HTTP on
# 127.0.0.1, so the HTTPS-only protections are off here unless set in the environment.
# DJANGO_SECRET_KEY: a random one per run when unset (sessions end with the run).
PROD_DATABASE_URL ?= postgres://127.0.0.1:5432/competency
PROD_BROKER_URL ?= redis://127.0.0.1:6379/0
# Shared by gunicorn's workers and Celery: throttling counts and import progress.
PROD_CACHE_URL ?= redis://127.0.0.1:6379/1
WEB_CONCURRENCY ?= 2

prod: SHELL := /bin/bash
prod: $(VENV)/.requirements
	@set -euo pipefail; \
	export DJANGO_DEBUG=false; \
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}"; \
	export DATABASE_URL="$${DATABASE_URL:-$(PROD_DATABASE_URL)}"; \
	export CELERY_BROKER_URL="$${CELERY_BROKER_URL:-$(PROD_BROKER_URL)}"; \
	export CACHE_URL="$${CACHE_URL:-$(PROD_CACHE_URL)}"; \
	export DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"; \
	export SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"; \
	export DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-false}"; \
	export DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-false}"; \
	export DJANGO_SECURE_HSTS_SECONDS="$${DJANGO_SECURE_HSTS_SECONDS:-0}"; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	mkdir -p "$(dir $(BEAT_SCHEDULE))"; \
	$(PY) manage.py migrate --noinput; \
	$(if $(filter no,$(PAPER)),,$(PY) manage.py load_paper --if-empty;) \
	pids=(); \
	trap 'trap - EXIT INT TERM; kill "$${pids[@]}" 2>/dev/null; wait' EXIT INT TERM; \
	$(VENV)/bin/gunicorn competency_site.wsgi --bind 127.0.0.1:$(PORT) \
		--workers $(WEB_CONCURRENCY) --access-logfile - & pids+=($$!); \
	$(VENV)/bin/celery -A competency_site worker --loglevel=INFO & pids+=($$!); \
	$(VENV)/bin/celery -A competency_site beat --loglevel=INFO \
		--schedule "$(BEAT_SCHEDULE)" & pids+=($$!); \
	echo "Serving http://127.0.0.1:$(PORT)/ (gunicorn, celery worker, celery beat); Ctrl-C stops all."; \
	wait -n

# Schemathesis over the live API, not part of `make test` (whose test_fuzz_schema.py fuzzes in
# process): a development server on FUZZ_PORT with a SQLite database of its own under var/fuzz/
# (made afresh each run: staff writes delete records), the paper's data and a staff token; every
# phase (schema examples, boundary values, random inputs, create-then-read chains) for at most
# FUZZ_SECONDS. Any 5xx, undocumented status or content type, or body its schema does not
# describe fails it; FUZZ_SEED repeats a run (it prints its seed).
FUZZ_PORT ?= 8107
FUZZ_SECONDS ?= 200
FUZZ_DIR := var/fuzz

fuzz: SHELL := /bin/bash
fuzz: $(VENV)/.requirements-dev
	@set -euo pipefail; \
	rm -rf $(FUZZ_DIR); mkdir -p $(FUZZ_DIR); \
	export DATABASE_URL="sqlite:///$(CURDIR)/$(FUZZ_DIR)/db.sqlite3"; \
	export DJANGO_MEDIA_ROOT="$(CURDIR)/$(FUZZ_DIR)/media"; \
	export SITE_URL="http://127.0.0.1:$(FUZZ_PORT)"; \
	$(PY) manage.py migrate --noinput --verbosity 0; \
	$(PY) manage.py load_paper --if-empty >/dev/null; \
	DJANGO_SUPERUSER_PASSWORD="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(30))')" \
		$(PY) manage.py createsuperuser --noinput --username fuzz --email fuzz@example.org >/dev/null; \
	token="$$($(PY) manage.py drf_create_token fuzz | awk '{print $$3}')"; \
	$(PY) manage.py runserver 127.0.0.1:$(FUZZ_PORT) --noreload >$(FUZZ_DIR)/server.log 2>&1 & \
	server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server 2>/dev/null || true' EXIT INT TERM; \
	cd $(FUZZ_DIR) && $(CURDIR)/$(VENV)/bin/schemathesis run \
		"http://127.0.0.1:$(FUZZ_PORT)/api/schema/?format=json" --wait-for-schema 60 \
		--checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
		--header "Authorization: Token $$token" \
		--workers 2 --max-time $(FUZZ_SECONDS) --request-timeout 60 \
		--suppress-health-check all --generation-database none \
		$(if $(FUZZ_SEED),--seed $(FUZZ_SEED)) --report junit --report-dir report

# REDbot (Mark Nottingham's HTTP linter) over every kind of address the site serves
# (.ci/redbot_walk.py: pages in both languages, anonymous and signed in, fragments, downloads, the
# API with and without a token, CASE, static files, 404s); not part of `make test` or CI. A
# development server on REDBOT_PORT with a SQLite database of its own under var/redbot/, the
# paper's data, a staff user's token and session. REDBOT_PYTHON: the Python of an environment
# with redbot (`python3 -m venv /tmp/redbot-venv && /tmp/redbot-venv/bin/pip install
# redbot==2.7.1`). Prints each address's warnings; full reports in var/redbot/report/.
REDBOT_PORT ?= 8123
REDBOT_PYTHON ?= /tmp/redbot-venv/bin/python
REDBOT_DIR := var/redbot

redbot: SHELL := /bin/bash
redbot: $(VENV)/.requirements
	@set -euo pipefail; \
	rm -rf $(REDBOT_DIR); mkdir -p $(REDBOT_DIR); \
	export DATABASE_URL="sqlite:///$(CURDIR)/$(REDBOT_DIR)/db.sqlite3"; \
	export DJANGO_MEDIA_ROOT="$(CURDIR)/$(REDBOT_DIR)/media"; \
	export SITE_URL="http://127.0.0.1:$(REDBOT_PORT)"; \
	$(PY) manage.py migrate --noinput --verbosity 0; \
	$(PY) manage.py load_paper --if-empty >/dev/null; \
	DJANGO_SUPERUSER_PASSWORD="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(30))')" \
		$(PY) manage.py createsuperuser --noinput --username redbot --email redbot@example.org >/dev/null; \
	token="$$($(PY) manage.py drf_create_token redbot | awk '{print $$3}')"; \
	session="$$($(PY) manage.py shell -c 'from django.contrib.auth.models import User; \
		from django.test import Client; c = Client(); c.force_login(User.objects.get(username="redbot")); \
		print(c.cookies["sessionid"].value)' | tail -1)"; \
	$(PY) manage.py runserver 127.0.0.1:$(REDBOT_PORT) --noreload >$(REDBOT_DIR)/server.log 2>&1 & \
	server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server 2>/dev/null || true' EXIT INT TERM; \
	for _ in $$(seq 60); do curl -fso /dev/null "$$SITE_URL/health/" && break; sleep 1; done; \
	$(REDBOT_PYTHON) .ci/redbot_walk.py --base "$$SITE_URL" --token "$$token" --session "$$session" \
		--out $(REDBOT_DIR)/report

# Google Lighthouse (accessibility, best practices, SEO, performance) over the site's pages
# (.ci/lighthouse_walk.py: English and Chinese, desktop and mobile, anonymous and signed in); not
# part of `make test` or CI. The production configuration (DEBUG off, collected static files
# through whitenoise, gunicorn) on LIGHTHOUSE_PORT with a SQLite database of its own under
# var/lighthouse/, the paper's data and a staff user's session. Lighthouse (pinned) is installed
# into LIGHTHOUSE_NPM the first time (needs npm and its registry then; Node 22 wanted, see the
# script), and drives Debian's Chromium (CHROME_PATH). Prints each page's scores and every audit
# under 0.9; full reports in var/lighthouse/report/. LIGHTHOUSE_ARGS="--pages home,api --presets
# desktop" narrows the walk (about 15 s a page).
LIGHTHOUSE_PORT ?= 8124
LIGHTHOUSE_VERSION ?= 13.5.0
LIGHTHOUSE_NPM ?= $(VENV)/tmp/lighthouse
LIGHTHOUSE_DIR := var/lighthouse
CHROME_PATH ?= /usr/bin/chromium

lighthouse: SHELL := /bin/bash
lighthouse: $(VENV)/.requirements
	@set -euo pipefail; \
	test -x "$(CHROME_PATH)" || { echo "lighthouse needs Chromium at $(CHROME_PATH)"; exit 1; }; \
	test -d $(LIGHTHOUSE_NPM)/node_modules/lighthouse || npm install --prefix $(LIGHTHOUSE_NPM) \
		--no-save --no-audit --no-fund lighthouse@$(LIGHTHOUSE_VERSION); \
	rm -rf $(LIGHTHOUSE_DIR); mkdir -p $(LIGHTHOUSE_DIR); \
	export DATABASE_URL="sqlite:///$(CURDIR)/$(LIGHTHOUSE_DIR)/db.sqlite3"; \
	export DJANGO_MEDIA_ROOT="$(CURDIR)/$(LIGHTHOUSE_DIR)/media"; \
	export SITE_URL="http://127.0.0.1:$(LIGHTHOUSE_PORT)"; \
	export DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false \
		DJANGO_SECURE_COOKIES=false DJANGO_SECURE_HSTS_SECONDS=0; \
	export DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	$(PY) manage.py migrate --noinput --verbosity 0; \
	$(PY) manage.py load_paper --if-empty >/dev/null; \
	DJANGO_SUPERUSER_PASSWORD="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(30))')" \
		$(PY) manage.py createsuperuser --noinput --username lighthouse --email lh@example.org >/dev/null; \
	session="$$($(PY) manage.py shell -c 'from django.contrib.auth.models import User; \
		from django.test import Client; c = Client(); c.force_login(User.objects.get(username="lighthouse")); \
		print(c.cookies["sessionid"].value)' | tail -1)"; \
	$(VENV)/bin/gunicorn competency_site.wsgi --bind 127.0.0.1:$(LIGHTHOUSE_PORT) --workers 1 \
		>$(LIGHTHOUSE_DIR)/server.log 2>&1 & \
	server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server 2>/dev/null || true' EXIT INT TERM; \
	for _ in $$(seq 60); do curl -fso /dev/null "$$SITE_URL/health/" && break; sleep 1; done; \
	CHROME_PATH=$(CHROME_PATH) $(PY) .ci/lighthouse_walk.py --base "$$SITE_URL" --session "$$session" \
		--lighthouse $(LIGHTHOUSE_NPM)/node_modules/.bin/lighthouse --out $(LIGHTHOUSE_DIR)/report \
		$(LIGHTHOUSE_ARGS)

# Performance figures on PostgreSQL (a database of their own, given the esco catalogue once),
# each beside its bound; writes BENCHMARKS.md. BENCH_DATABASE_URL picks another database.
BENCH_DATABASE_URL ?= postgres://root@127.0.0.1:5432/competency_bench

bench: $(VENV)/.requirements-dev
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) benchmarks/run.py

# Load and faults (issue #15): make prod's processes on PostgreSQL with the esco catalogue, a Redis
# of its own on LOAD_REDIS_PORT (6390), Locust headless on loopback (LOAD_USERS users for
# LOAD_SECONDS), the worker SIGKILLed and Redis restarted during the run; checks no 5xx, no lost
# edit, reports fresh. Writes benchmarks/out/load-*/report.md.
LOAD_DATABASE_URL ?= postgres://root@127.0.0.1:5432/competency_load
LOAD_USERS ?= 50
LOAD_SECONDS ?= 120

load: $(VENV)/.requirements-dev
	LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) benchmarks/load/run.py \
		--users $(LOAD_USERS) --duration $(LOAD_SECONDS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

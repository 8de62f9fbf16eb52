# Two commands: `make run` (set up, then serve http://127.0.0.1:8000) and `make test`.
# Everything else here is what those two are made of.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000

.PHONY: setup run test lint migrate load worker beat bench clean

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
	$(PY) manage.py load_paper --if-empty

run: setup
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup $(VENV)/.requirements-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.requirements-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

worker: setup
	$(VENV)/bin/celery -A competency_site worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A competency_site beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

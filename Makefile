# impactlab: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_DEBUG ?= 1

# Django 6 needs Python 3.12 or newer: take python3.13/python3.12 from PATH, else from pyenv.
PYTHON ?= $(shell for p in python3.13 python3.12; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit; }; \
	done; \
	if command -v pyenv >/dev/null 2>&1; then \
	  v=$$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])(\.|$$)' | sort -V | tail -1); \
	  [ -n "$$v" ] && echo "$$(pyenv root)/versions/$$v/bin/python3"; \
	fi)

.PHONY: run test lint format bench messages check-system check-test-system clean-venv

# requirements.lock is what production installs; requirements-dev.lock adds the test and lint
# tools (pytest, playwright, ruff, import-linter, mypy) to the same pins.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@if [ -z "$(PYTHON)" ]; then \
	  echo "impactlab needs Python 3.12 or newer (Django 6). Install it, e.g.:"; \
	  echo "  sudo apt-get install python3.12 python3.12-venv   (or: pyenv install 3.12)"; \
	  exit 1; fi
	@$(MAKE) --no-print-directory check-system
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# WeasyPrint renders PDFs with Pango, and compilemessages needs gettext's msgfmt: say how to
# get them rather than fail later.
check-system:
	@missing=""; ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || \
	  missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"; \
	  command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	  if [ -n "$$missing" ]; then \
	    echo "impactlab needs:$$missing. Install with:"; \
	    echo "  sudo apt-get install$$missing"; exit 1; fi

locale/nl/LC_MESSAGES/django.mo: locale/nl/LC_MESSAGES/django.po $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v0

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l nl -l en --ignore=.venv --ignore=data --no-obsolete

run: $(VENV)/.installed locale/nl/LC_MESSAGES/django.mo
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	$(PY) manage.py send_mails --schedule
	$(PY) manage.py erase_old_answers --schedule
	@echo "impactlab runs at http://127.0.0.1:$(PORT)/ (background worker for reports included)"
	@trap 'kill 0' EXIT; \
	  nice -n 10 $(PY) manage.py db_worker --interval 1 >/dev/null 2>&1 & \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The browser tests drive Debian's chromium and inject axe-core from npm (never a CDN); the
# W3C Nu checker (vnu-jar from npm) needs a Java runtime.
check-test-system:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	  command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	  if [ -n "$$missing" ]; then \
	    echo "The browser tests need:$$missing. Install with:"; \
	    echo "  sudo apt-get install$$missing"; exit 1; fi

node_modules/.installed: package-lock.json
	@$(MAKE) --no-print-directory check-test-system
	npm ci --no-audit --no-fund --silent
	touch $@

test: $(VENV)/.installed locale/nl/LC_MESSAGES/django.mo node_modules/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

# mypy imports the settings, which need a secret key unless DJANGO_DEBUG is on.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_DEBUG=1 $(VENV)/bin/mypy

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed locale/nl/LC_MESSAGES/django.mo
	$(PY) bench/run.py
	$(PY) bench/latency.py --with-pdf
	$(PY) bench/report_burst.py

clean-venv:
	rm -rf $(VENV)

# Hub JIPP. The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run serve test test-fast test-browser lint bandit format migrations-check messages compilemessages bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

compilemessages: $(VENV)/.installed
	cd jipp && ../$(PY) ../manage.py compilemessages --verbosity 0

messages: $(VENV)/.installed-dev
	cd jipp && ../$(PY) ../manage.py makemessages --locale id --no-obsolete --ignore "*/domain/*" --ignore "*/static/*" --verbosity 0
	$(PY) scripts/check_translations.py

# Install, migrate the SQLite database, load reference data (and demo data when the database
# is empty), then serve with one background worker; Ctrl-C stops both.
run: $(VENV)/.installed compilemessages
	$(MANAGE) migrate --verbosity 0
	$(MANAGE) createcachetable
	$(MANAGE) load_regions
	$(MANAGE) load_hub_history
	$(MANAGE) collectstatic --noinput --verbosity 0
	@$(MANAGE) shell --verbosity 0 -c "from jipp.accounts.models import User; import sys; sys.exit(0 if User.objects.exists() else 1)" \
		|| $(MANAGE) seed_demo --scale small
	@$(MANAGE) demo_accounts
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
		$(MANAGE) db_worker --verbosity 0 & \
		$(MANAGE) runserver $(HOST):$(PORT)

# The production configuration locally: gunicorn, a db_worker, PostgreSQL (DATABASE_URL or a
# throwaway cluster under /tmp), DJANGO_DEBUG=0. See docs/production.md and scripts/serve.sh.
serve: $(VENV)/.installed compilemessages
	HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

# The browser tests run in their own session: their live server shares nothing with the rest.
test: $(VENV)/.installed-dev compilemessages
	$(PY) -m pytest -n 2 -m "not browser"
	$(PY) -m pytest -n 2 -m browser

test-fast: $(VENV)/.installed-dev compilemessages
	$(PY) -m pytest -m "not browser"

test-browser: $(VENV)/.installed-dev compilemessages
	$(PY) -m pytest -m browser

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MAKE) bandit

# Security lint: findings are fixed or justified in place (`# nosec <id> # reason`); config in pyproject.toml.
bandit: $(VENV)/.installed-dev
	$(VENV)/bin/bandit -c pyproject.toml -q -r jipp config

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.installed
	$(MANAGE) makemigrations --check --dry-run

bench: $(VENV)/.installed-dev compilemessages
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

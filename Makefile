# The README's two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
export MINGA_DATA_DIR ?= $(abspath var)
# The legal cases' master key lives outside the data directory, so a copy of the data
# (database, uploads) never carries the key that opens it.
export MINGA_KEYS_DIR ?= $(abspath keys)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint types unit e2e bench install install-dev system-test-deps federation-peer messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-base: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/base.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt $(VENV)/.installed-base
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

# Browser tests drive Debian's Chromium; a fresh machine does not have it yet.
system-test-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The independent ActivityPub server (Fedify on Node.js 22, both pinned in its lock file)
# that the federation interoperability test talks to.
PEER := tests/federation/peer
$(PEER)/node_modules/.package-lock.json: $(PEER)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	cd $(PEER) && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	touch $@
federation-peer: $(PEER)/node_modules/.package-lock.json

$(MINGA_DATA_DIR)/secret_key:
	mkdir -p $(MINGA_DATA_DIR)
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

$(MINGA_KEYS_DIR)/cases.key:
	mkdir -p $(MINGA_KEYS_DIR)
	umask 077 && $(PYTHON) -c 'import base64, secrets; print("k" + secrets.token_hex(4) + ":" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())' > $@

run: install $(MINGA_DATA_DIR)/secret_key $(MINGA_KEYS_DIR)/cases.key
	@export MINGA_SECRET_KEY="$$(cat $(MINGA_DATA_DIR)/secret_key)" MINGA_HTTPS=0 MINGA_DEMO=1 \
		MINGA_CASES_KEY_FILE=$(MINGA_KEYS_DIR)/cases.key \
		MINGA_SITE_URL=http://$(HOST):$(PORT) MINGA_ALLOWED_HOSTS=$(HOST),localhost; \
	set -e; \
	$(BIN)/minga migrate --noinput -v0; \
	$(BIN)/minga collectstatic --noinput -v0; \
	$(BIN)/minga demo --if-empty; \
	$(BIN)/minga reindex --missing --no-progress; \
	$(BIN)/minga ensure_admin; \
	$(BIN)/minga db_worker & worker=$$!; \
	$(BIN)/minga stator & stator=$$!; \
	trap 'kill $$worker $$stator 2>/dev/null' EXIT INT TERM; \
	echo "Minga is at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"; \
	$(BIN)/gunicorn minga.wsgi:application -c python:minga.gunicorn --bind $(HOST):$(PORT) \
		--access-logfile -

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

types: install-dev
	$(BIN)/mypy

unit: install-dev federation-peer
	$(BIN)/pytest -m "not e2e"

e2e: install-dev system-test-deps
	$(BIN)/pytest -m e2e

# The suite runs on every core (pytest-xdist; each worker has its own database and server).
test: install-dev system-test-deps federation-peer lint types
	$(BIN)/pytest -n auto

bench: install-dev
	$(BIN)/python benchmarks/run_all.py

messages: install-dev
	$(BIN)/python src/minga/locale_upstream/build.py
	cd src/minga && ../../$(BIN)/django-admin makemessages --all --no-obsolete --ignore "static/*" && \
		../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

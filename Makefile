# Etalase Binaan: `make run` starts the shop with demo data, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PG_PORT ?= 54329
CHROMIUM ?= /usr/bin/chromium

.PHONY: lint-layers translations-update run test test-sqlite test-postgres deps dev-deps translations chromium axe ops-tools cluster-tools test-cluster lint bench-tools bench-catalog bench clean help

help:
	@echo "make run   - start the shop with demo data on http://$(HOST):$(PORT)"
	@echo "make test  - run every test on SQLite, then on a throwaway PostgreSQL"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes (stamp files).
$(VENV)/.deps: requirements.txt constraints.txt | $(PY)
	$(VENV)/bin/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt requirements.txt constraints.txt | $(PY)
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
translations/%.mo: translations/%.po | $(VENV)/.deps
	$(VENV)/bin/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null
translations: $(MO_FILES)

translations-update: dev-deps
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations -l en

run: deps translations
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed-if-empty
	HOST=$(HOST) PORT=$(PORT) VENV=$(VENV) scripts/run-dev.sh

chromium:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null)

# deploy/ is tested with the real tools: nginx -t (and nginx in front of a stand-in app),
# systemd-analyze verify, openssl for a throwaway certificate.
ops-tools:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null)
	@command -v systemd-analyze >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd >/dev/null)
	@command -v openssl >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null)

cluster-tools: ops-tools
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null)

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@
axe: node_modules/axe-core/axe.min.js

test: dev-deps translations chromium axe ops-tools cluster-tools
	$(MAKE) --no-print-directory lint-layers
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-cluster

test-sqlite:
	@echo "== tests on SQLite =="
	CHROMIUM_PATH=$(CHROMIUM) $(VENV)/bin/pytest -q

test-postgres:
	@echo "== tests on PostgreSQL =="
	CHROMIUM_PATH=$(CHROMIUM) scripts/with-postgres.sh $(PG_PORT) $(VENV)/bin/pytest -q

# Two gunicorn hosts, nginx, PostgreSQL, Redis and an S3 server on this machine (tests/cluster).
CLUSTER_PG_PORT ?= 54339
test-cluster: dev-deps translations cluster-tools
	@echo "== cluster lane: two app hosts behind nginx on PostgreSQL, Redis, S3 =="
	SHOP_CLUSTER=1 scripts/with-postgres.sh $(CLUSTER_PG_PORT) $(VENV)/bin/pytest -q tests/cluster

# The layers of ARCHITECTURE.md (import-linter contract in pyproject.toml), then style and
# complexity (ruff, C901 at most 12).
lint-layers: dev-deps
	$(VENV)/bin/lint-imports

lint: lint-layers
	$(VENV)/bin/ruff check .

# Benchmarks (numbers, never pass/fail). wrk comes from Debian; the checkout and mixed runs
# use a throwaway PostgreSQL on BENCH_PG_PORT.
BENCH_PG_PORT ?= 54361
bench-tools:
	@command -v wrk >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk)

bench-catalog: dev-deps translations bench-tools
	$(PY) bench/catalog.py

bench: dev-deps translations bench-tools
	$(PY) bench/catalog.py
	scripts/with-postgres.sh $(BENCH_PG_PORT) sh -c '$(PY) bench/mixed.py --database-url "$$DATABASE_URL"'
	$(PY) bench/checkout.py --duration 15  # starts its own PostgreSQL
	$(PY) bench/checkout.py --rate 20 --duration 15  # open loop: 20 orders/s on schedule
	$(PY) bench/reports.py
	$(PY) bench/render.py

clean:
	rm -rf $(VENV) node_modules test-artifacts translations/*/LC_MESSAGES/*.mo

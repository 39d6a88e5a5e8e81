# Sagsforløb — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEVSERVICES := $(PY) tools/devservices.py
PYTEST_ARGS ?=

.PHONY: help install install-idp run test test-browser screenshots faults test-deployment test-pgbouncer lint format schema schema-check deploy-check vendor bench clean

help:
	@echo "make run           start everything (embedded PostgreSQL + Redis unless DATABASE_URL/REDIS_URL are set)"
	@echo "make test          the whole test suite against real PostgreSQL and Redis"
	@echo "make test-browser  Playwright tests in Debian's Chromium"
	@echo "make screenshots   the browser tests, regenerating docs/screenshots"
	@echo "make faults        fault-injection tests: killed workers, restarted PostgreSQL, Redis down"
	@echo "make test-deployment  two web nodes + two workers, read replica, SSO against a real OIDC provider, backup/restore"
	@echo "make test-pgbouncer   a representative part of the suite through PgBouncer (transaction pooling)"
	@echo "make lint          ruff format check + lint, import layering, mypy (domain layer), makemigrations --check, OpenAPI schema diff"
	@echo "make deploy-check  manage.py check --deploy under production settings with dummy secrets"
	@echo "make schema        regenerate docs/api/openapi.yaml"
	@echo "make bench         benchmarks at municipality scale (BENCH_ARGS=\"--forloeb N\" or \"--sizes 10000,50000,200000\"), BENCH_DATA_DIR=DIR keeps the server data, see docs/performance.md"

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 is required, found {sys.version.split()[0]}"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(DEVSERVICES) run

test: $(STAMP)
	$(DEVSERVICES) exec --profile test -- $(PY) -m pytest -m "not browser and not faults and not deployment and not pgbouncer" $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(DEVSERVICES) exec --profile test -- $(PY) -m pytest -m browser $(PYTEST_ARGS)

# Regenerate docs/screenshots (the browser tests take them only when asked).
screenshots: $(STAMP)
	SCREENSHOTS=1 $(DEVSERVICES) exec --profile test -- $(PY) -m pytest -m browser $(PYTEST_ARGS)

faults: $(STAMP)
	$(DEVSERVICES) exec --profile test -- $(PY) -m pytest -m faults tests/faults -v $(PYTEST_ARGS)

# The test IdP (node-oidc-provider) for the SSO tests: needs Node.js and npm (Debian: nodejs, npm).
IDP := tests/deployment/idp
$(IDP)/node_modules/.installed: $(IDP)/package.json $(IDP)/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix $(IDP) --no-audit --no-fund --silent && touch $@; \
	 else echo "npm is missing: the SSO tests will be skipped (CI: they fail)"; fi

install-idp: $(IDP)/node_modules/.installed

# Deployment tests (docs/deployment.md): their own embedded PostgreSQL with a streaming replica.
test-deployment: $(STAMP) install-idp
	$(DEVSERVICES) exec --profile test --replica -- $(PY) -m pytest -m deployment tests/deployment $(PYTEST_ARGS)

# A representative part of the suite through Debian's pgbouncer in transaction pooling mode.
PGBOUNCER_TESTS := tests/deployment/test_pgbouncer.py tests/cases/test_forloeb_overgange.py tests/cases/test_concurrency.py \
  tests/cases/test_retention.py tests/cases/test_sweep.py tests/cases/test_celery_roundtrip.py tests/infra tests/dashboard \
  tests/decisions/test_udstedelse_sker_en_gang_og_pdf_aendres_aldrig.py tests/decisions/test_api_afgoerelser.py \
  tests/decisions/test_klager.py tests/rehab/test_api_rehab.py tests/webhooks tests/faults/test_dobbelt_indsendelse.py
test-pgbouncer: $(STAMP)
	$(DEVSERVICES) exec --profile test --pgbouncer -- $(PY) -m pytest --reuse-db -m "pgbouncer or not (browser or faults or deployment)" $(PGBOUNCER_TESTS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -W ignore manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory schema-check

schema: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -W ignore manage.py spectacular --validate --fail-on-warn --file docs/api/openapi.yaml

schema-check: $(STAMP)
	@tmp=$$(mktemp); DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -W ignore manage.py spectacular --validate --fail-on-warn --file $$tmp \
	  && diff -u docs/api/openapi.yaml $$tmp && echo "OpenAPI schema is up to date" \
	  || { echo "docs/api/openapi.yaml is out of date: run 'make schema' and commit it"; rm -f $$tmp; exit 1; }; rm -f $$tmp

deploy-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=ci-dummy-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG \
	ALLOWED_HOSTS=sagsforloeb.example.invalid \
	DATABASE_URL=postgres://sagsforloeb:dummy@db.example.invalid:5432/sagsforloeb \
	REDIS_URL=redis://redis.example.invalid:6379/0 \
	CPR_KEY=ci-dummy-cpr-key-0123456789-abcdefghijklmnop \
	$(PY) manage.py check --deploy --fail-level WARNING

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP)
	$(DEVSERVICES) exec --profile bench $(if $(BENCH_DATA_DIR),--data-dir $(BENCH_DATA_DIR)) -- $(PY) bench/run.py $(BENCH_ARGS)

vendor:
	bash tools/vendor.sh

clean:
	rm -rf .data/tmp .pytest_cache

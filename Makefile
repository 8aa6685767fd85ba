# Quick start: `make run` (the service on SQLite with demo data) and `make test` (everything).
.PHONY: run test lint fmt setup services test-sqlite test-postgres i18n

VENV := .venv/bin
PYTEST_ARGS ?=

setup:
	@scripts/bootstrap.sh

services:
	@scripts/services.sh

run: setup
	AUDIT_AUTO_MIGRATE=true AUDIT_DEMO=true $(VENV)/audit run --host 127.0.0.1 --port 8000

lint: setup
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/mypy

# After adding UI strings: extract them and merge into the catalogue; translate the new
# entries in audit/web/locale/zh_CN/LC_MESSAGES/messages.po (a test fails while any is empty).
i18n: setup
	mkdir -p var
	$(VENV)/pybabel -q extract -F babel.cfg -k N_ -k gettext -k ngettext:1,2 --no-location --sort-output -o var/messages.pot .
	$(VENV)/pybabel -q update -i var/messages.pot -d audit/web/locale -D messages --no-fuzzy-matching --ignore-obsolete
	$(VENV)/pybabel -q compile -d audit/web/locale -D messages

fmt: setup
	$(VENV)/ruff format .
	$(VENV)/ruff check --fix .

test-sqlite: setup
	AUDIT_TEST_DB=sqlite $(VENV)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: setup services
	AUDIT_TEST_DB=postgres $(VENV)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test: setup services lint test-sqlite test-postgres

# MediaNest developer tasks. `make help` lists them; README.md has the two set-up commands.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv/bin
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
REDIS_URL_TEST ?= redis://127.0.0.1:6379/0

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

.PHONY: install
install: ## Create .venv from uv.lock (dev tools included)
	scripts/bootstrap

.PHONY: run
run: ## Run MediaNest on the embedded defaults at http://127.0.0.1:8000
	scripts/run

.PHONY: fmt
fmt: install ## Format and auto-fix lint
	$(VENV)/ruff format . && $(VENV)/ruff check --fix .

.PHONY: lint
lint: install ## Ruff lint and format check, import-linter contracts
	$(VENV)/ruff check . && $(VENV)/ruff format --check . && $(VENV)/lint-imports --no-cache

.PHONY: typecheck
typecheck: install ## mypy --strict
	$(VENV)/mypy

.PHONY: test
test: ## Every check plus the suite on the embedded defaults (the README's test command)
	scripts/test

.PHONY: test-pg
test-pg: install ## The suite against local PostgreSQL and Redis
	TEST_DATABASE_URL=$(PG_URL) TEST_REDIS_URL=$(REDIS_URL_TEST) $(VENV)/pytest

.PHONY: artifacts
artifacts: install ## Regenerate committed artifacts (openapi.json, docs/reference/, .env.example, Postman, API client types)
	$(VENV)/medianest openapi --output openapi.json
	$(VENV)/python scripts/generate_reference.py
	$(VENV)/python scripts/generate_postman.py
	scripts/web api

.PHONY: docs
docs: install ## Serve the documentation site at http://127.0.0.1:8001 (live reload)
	scripts/docs serve --dev-addr 127.0.0.1:8001

.PHONY: docs-build
docs-build: install ## Build the documentation site into site/ (what CI checks)
	scripts/docs build --strict

.PHONY: migration
migration: install ## New Alembic migration from the models: make migration name=add_things
	@test -n "$(name)" || (echo "usage: make migration name=<slug>" && exit 2)
	$(VENV)/python scripts/new_migration.py $(name)

.PHONY: web
web: install ## Build the browser app into src/medianest/web/dist (when its sources changed)
	scripts/web build

.PHONY: screenshots
screenshots: web ## Every page of the demo, desktop and phone, dark and light, into docs/assets/screenshots
	$(VENV)/python scripts/screenshots.py

.PHONY: bench
bench: install ## Load benchmark (see bench/README.md)
	$(VENV)/python bench/load.py

.PHONY: ci
ci: ## What CI runs: both legs, coverage of both
	bash .ci/run

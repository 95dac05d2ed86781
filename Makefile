# Casework: `make run` serves the demo on SQLite; `make test` runs lint and every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test lint format translations update-translations chromium clean-db bench

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## Compile the translation catalogues (English; Indonesian is the source language).
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d casework/translations

## Re-extract UI strings into the English catalogue after changing templates or code.
update-translations: $(VENV)/.dev-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output -o casework/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i casework/translations/messages.pot -d casework/translations

## Set up everything and serve the demo agency on http://127.0.0.1:5000
run: $(VENV)/.installed translations
	$(BIN)/flask db upgrade
	$(BIN)/flask casework load-reference
	$(BIN)/flask casework demo-data
	@echo "Casework is running on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## Lint, then the whole test suite (SQLite unless DATABASE_URL is set), browser tests included.
test: $(VENV)/.dev-installed translations chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Browser tests drive Debian's Chromium; Playwright never downloads a browser.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/region_lookup.py
	$(BIN)/python bench/client_search.py
	$(BIN)/python bench/caseload.py
	$(BIN)/python bench/delivery_api.py
	$(BIN)/python bench/figures.py

clean-db:
	rm -f instance/casework.sqlite instance/casework.sqlite-wal instance/casework.sqlite-shm

# `make run` and `make test` set everything up on a fresh machine; see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCREENSHOTS := test-artifacts/screenshots
# Where `make run` listens: this machine only, unless asked (make run HOST=0.0.0.0 PORT=8080).
HOST ?= 127.0.0.1
PORT ?= 8501
# The dataset `make run` shows and `make curate` codes into (make run DATA=data/my-dataset.xlsx).
DATA ?= data/positions.yaml

.PHONY: run curate test lint format validate schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamp files so a second `make` does not reinstall; they are rebuilt when a requirements file changes.
$(VENV)/.app-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.app-installed

run: $(VENV)/.app-installed
	$(BIN)/streamlit run dashboard.py --server.address $(HOST) --server.port $(PORT) -- --data $(DATA)

# The dashboard with its Curate page, which can write DATA (after a backup): a curator's own
# machine only, so it listens on HOST like `make run`.
curate: $(VENV)/.app-installed
	$(BIN)/streamlit run dashboard.py --server.address $(HOST) --server.port $(PORT) -- --curate --data $(DATA)

test: $(VENV)/.dev-installed
	BIN=$(BIN) bash scripts/ensure-chromium.sh
	bash scripts/ensure-nginx.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SCREENSHOT_DIR=$(SCREENSHOTS) $(BIN)/python -m pytest
	@echo "Screenshots of every page (1280 and 390 px): $(abspath $(SCREENSHOTS))"

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

validate: $(VENV)/.app-installed
	$(BIN)/python -m positions validate data/positions.yaml

schema: $(VENV)/.app-installed
	$(BIN)/python -m positions schema > data/positions.schema.json

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache

# 拆除核查 Demolition Verifier. `make demo` and `make test` work on a fresh Debian 12 or 13 (as root):
# scripts/setup_env.sh installs what is missing first.
SHELL := /bin/bash
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
PY := $(ROOT)/.build/venv/bin/python
QGIS_ENV := QT_QPA_PLATFORM=offscreen PYTHONPATH=$(ROOT)/.build/pydeps
# mypy sees the package by the name QGIS installs it under, whatever the clone's folder is called
MYPY = mkdir -p $(ROOT)/.build/plugins && ln -sfn $(ROOT) $(ROOT)/.build/plugins/demolition_verifier && \
	cd $(ROOT)/.build/plugins && $(ROOT)/.build/venv/bin/mypy --config-file $(ROOT)/mypy.ini \
	demolition_verifier/core demolition_verifier/formats demolition_verifier/qgis_adapter

.PHONY: setup test lint demo package bench translations screenshot screenshot-progress clean

setup:
	@bash scripts/setup_env.sh

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(MYPY)

test: setup translations
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(MYPY)
	$(QGIS_ENV) $(ROOT)/.build/venv/bin/pytest

demo: setup
	@bash scripts/demo.sh

translations: setup
	@bash scripts/translations.sh

package: translations
	@$(PY) scripts/package.py

# docs/screenshot.png: real QGIS under Xvfb, Chinese locale, the sample county verified through the dock
screenshot: setup translations
	@bash scripts/screenshot.sh

# docs/progress.png: the dock's 进度 view over the campaign of `make demo` (run that first)
screenshot-progress: setup translations
	@bash scripts/screenshot.sh docs/progress.png scripts/screenshot_progress.py

bench: setup
	@bash scripts/bench.sh $(BENCH_ARGS)

clean:
	rm -rf .build demo_output demolition_verifier.zip

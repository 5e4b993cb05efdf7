# Two commands for a fresh machine: `make run` starts the app, `make test` runs every check.
.PHONY: setup run check test lint bench bundle screenshots clean

PY := .venv/bin/python

setup:
	bash scripts/setup.sh

run: setup
	$(PY) -m desktop

lint: setup
	$(PY) -m ruff check desktop tests benchmarks scripts
	$(PY) -m ruff format --check desktop tests benchmarks scripts
	$(PY) -m mypy
	.venv/bin/lint-imports

# The fast tier, for the development loop: every check, and every test that loads no model,
# builds no bundle and starts no app process (tests/conftest.py marks those).
check: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not model and not bundle and not e2e" -q

# Everything, the slowest tests named at the end.
test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest --durations=25

bundle: setup
	bash scripts/build_bundle.sh

screenshots: setup
	$(PY) scripts/screenshots.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache

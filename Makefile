# make demo | test | lint | bench | clean. The virtual environment is made on first use and
# reinstalled only when pyproject.toml changes (stamp files .venv/.installed-<extra>).

VENV := .venv
PYTHON := $(VENV)/bin/python
LINT_PATHS := $(wildcard scopeflow tests examples benchmarks tools)

.PHONY: demo test lint bench clean

$(PYTHON):
	python3 -m venv $(VENV)

$(VENV)/.installed-demo: pyproject.toml | $(PYTHON)
	$(VENV)/bin/pip install -q -e '.[demo]'
	touch $@

$(VENV)/.installed-base: pyproject.toml | $(PYTHON)
	$(VENV)/bin/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PYTHON)
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

demo: $(VENV)/.installed-demo
	$(PYTHON) examples/image_filter.py
	$(PYTHON) examples/train_digits.py

test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(PYTHON) -m pytest -n 2 --dist worksteal

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check $(LINT_PATHS)

bench: $(VENV)/.installed-base
	$(PYTHON) benchmarks/import_time.py
	$(PYTHON) benchmarks/build.py
	$(PYTHON) benchmarks/run_overhead.py
	$(PYTHON) benchmarks/image_filter.py
	$(PYTHON) benchmarks/train_mlp.py
	$(PYTHON) benchmarks/train_cnn.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

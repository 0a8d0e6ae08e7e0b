# Two commands on a machine with only Python 3.11+ and make:
#   make demo   builds the docs site into docs/_build/html/{en,fr,zh_CN}
#   make test   runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The demo is served locally (python -m http.server); its hreflang links and sitemap use this.
DEMO_BASEURL ?= http://localhost:8000/

.PHONY: demo test test-sphinx8 test-newest lint lock clean bench catalogs

# Exact versions from the committed lock (`make lock` refreshes it), so a new release of
# a dependency cannot turn a fresh clone's first `make test` red.
LOCK := requirements/lock.txt
LOCK8 := requirements/lock-sphinx8.txt

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gbifnode build docs docs/_build/html -W --keep-going -q -D html_baseurl=$(DEMO_BASEURL)
	@echo "Built docs/_build/html/index.html (en/, fr/ and zh_CN/); serve it with: $(BIN)/python -m http.server -d docs/_build/html 8000"

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on the oldest Sphinx we support (CI runs it after `make test`), locked too.
VENV8 ?= .venv-sphinx8
$(VENV8)/.installed: pyproject.toml $(LOCK8)
	$(PYTHON) -m venv $(VENV8)
	$(VENV8)/bin/python -m pip install --quiet --upgrade pip
	$(VENV8)/bin/python -m pip install --quiet -r $(LOCK8)
	$(VENV8)/bin/python -m pip install --quiet --no-deps -e .
	touch $@

test-sphinx8: $(VENV8)/.installed
	$(VENV8)/bin/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)

# The suite on the newest releases the package allows: what `pip install sphinx-gbifnode`
# gives a user today. A fresh environment every time, so nothing is left from the lock.
VENV_NEW ?= .venv-newest
test-newest:
	rm -rf $(VENV_NEW)
	$(PYTHON) -m venv $(VENV_NEW)
	$(VENV_NEW)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_NEW)/bin/python -m pip install --quiet --upgrade -e ".[test]"
	$(VENV_NEW)/bin/python -m pip list --format=freeze | grep -iE '^(sphinx|myst-parser|docutils|babel|sphinx-intl|pyyaml|requests)==' || true
	$(VENV_NEW)/bin/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)

# Refresh the lock files from pyproject.toml (newest releases that fit the ranges).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --extra lint --universal \
		--python-version 3.11 --custom-compile-command "make lock" -o $(LOCK) $(LOCK_ARGS)
	$(BIN)/uv pip compile pyproject.toml requirements/sphinx8.in --extra test --universal \
		--python-version 3.11 --custom-compile-command "make lock" -o $(LOCK8) $(LOCK_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf docs/_build .pytest_cache

catalogs: $(STAMP)
	$(BIN)/python tools/catalogs.py

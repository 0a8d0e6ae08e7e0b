# Two commands on a machine with only Python 3.11+ and make:
#   make demo   builds the bilingual docs site into docs/_build/html/{en,fr}
#   make test   runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The demo is served locally (python -m http.server); its hreflang links and sitemap use this.
DEMO_BASEURL ?= http://localhost:8000/

.PHONY: demo test test-sphinx8 lint clean bench catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lint]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gbifnode build docs docs/_build/html -W --keep-going -q -D html_baseurl=$(DEMO_BASEURL)
	@echo "Built docs/_build/html/index.html (en/ and fr/); serve it with: $(BIN)/python -m http.server -d docs/_build/html 8000"

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on the oldest Sphinx we support (CI runs it after `make test`).
VENV8 ?= .venv-sphinx8
$(VENV8)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV8)
	$(VENV8)/bin/python -m pip install --quiet --upgrade pip
	$(VENV8)/bin/python -m pip install --quiet -e ".[test]" "sphinx>=8,<9"
	touch $@

test-sphinx8: $(VENV8)/.installed
	$(VENV8)/bin/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf docs/_build .pytest_cache

catalogs: $(STAMP)
	$(BIN)/python tools/catalogs.py

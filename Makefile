# Every target bootstraps what it needs: a fresh machine needs only Python 3.12 or later, git and make.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

PYTHON ?= $(shell tools/find_python)
PYTHON_VERSION = $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
COLLECTIONS := $(CURDIR)/.cache/collections
SANITY_ROOT := $(CURDIR)/.cache/sanity
SANITY_TREE := $(SANITY_ROOT)/ansible_collections/effective/wsl
ANSIBLE_TEST_CACHE := $(HOME)/.ansible/test/cache

# The working tree itself is the collection effective.wsl (a symlink under .cache/collections), so
# ansible and pytest always see the current files, never an installed copy.
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_PYTHON_INTERPRETER := $(BIN)/python
export PATH := $(BIN):$(PATH)

.PHONY: test demo lint sanity unit integration molecule build bench clean

$(VENV)/.installed: requirements-dev.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

$(COLLECTIONS)/.installed: tools/extract_collections.py | $(VENV)/.installed
	rm -rf $(COLLECTIONS)
	$(BIN)/python tools/extract_collections.py $(COLLECTIONS) ansible.windows community.windows
	mkdir -p $(COLLECTIONS)/ansible_collections/effective
	ln -sfn $(CURDIR) $(COLLECTIONS)/ansible_collections/effective/wsl
	touch $@

deps: $(VENV)/.installed $(COLLECTIONS)/.installed
.PHONY: deps

test: lint sanity unit integration molecule build

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/antsibull-changelog lint
	$(BIN)/ansible-lint --offline --profile production

sanity: deps
	mkdir -p $(ANSIBLE_TEST_CACHE)
	for v in 24_2 25_2; do cp tools/get_pip_offline.py $(ANSIBLE_TEST_CACHE)/get_pip_$$v.py; done
	rm -rf $(SANITY_ROOT) && mkdir -p $(SANITY_TREE)
	git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C $(SANITY_TREE)
	cd $(SANITY_TREE) && git init -q && git add -A && \
		$(BIN)/ansible-test sanity --venv --python $(PYTHON_VERSION) --color no

unit: deps
	$(BIN)/python -m pytest -n 2 --junitxml=tests/output/junit/unit.xml tests/unit

integration: deps
	$(BIN)/python -m pytest -n 2 --junitxml=tests/output/junit/integration.xml tests/integration

# Each scenario runs whole inside the WSL simulator (local connection, pinned interpreter, prerun: false).
molecule: deps
	tests/wslsim/wslsim run --mode nat --cwd $(CURDIR) -- molecule test -s distro_nat
	tests/wslsim/wslsim run --mode mirrored --cwd $(CURDIR) -- molecule test -s distro_mirrored

build: deps
	rm -rf .cache/build && mkdir -p .cache/build
	$(BIN)/ansible-galaxy collection build --output-path .cache/build
	$(BIN)/ansible-galaxy collection install --force -p .cache/build/installed .cache/build/effective-wsl-*.tar.gz
	$(BIN)/python tools/check_docs.py .cache/build/installed

# playbooks/site.yml in check + diff mode inside the simulator; no WinRM user is configured, so the Windows play
# runs over WSL interop (effective.wsl.interop, the simulator's powershell.exe) and the Downloads link comes from
# the Windows user's known folder.
demo: deps
	tests/wslsim/wslsim run --mode nat --cwd $(CURDIR) -- \
		ansible-playbook -i playbooks/inventory playbooks/site.yml --check --diff

bench: deps
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .cache tests/output .ansible collections

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
ANSIBLE_TEST_CACHE := $(HOME)/.ansible/test/cache

# The working tree itself is the collection effective.wsl (a symlink under .cache/collections), so
# ansible and pytest always see the current files, never an installed copy.
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_PYTHON_INTERPRETER := $(BIN)/python
export PATH := $(BIN):$(PATH)

.PHONY: test demo lint sanity unit integration molecule build bench clean matrix matrix-releases

# `make matrix`: the older ansible-core releases that meta/runtime.yml admits and users run, each in its own venv
# (.cache/matrix/<core>/venv, from tests/matrix/ansible-core-<core>.txt, whose "# python: X.Y" line names the
# Python). Sanity and unit tests on each; the simulator integration on the oldest. `make test` covers 2.21.
MATRIX := 2.16 2.19 2.20
MATRIX_INTEGRATION := 2.16
matrix_python = $(shell sed -n 's/^# python: *//p' tests/matrix/ansible-core-$(1).txt)

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

# $(call sanity,VENV_BIN,PYTHON_VERSION,ROOT): ansible-test sanity of the tracked and new (not ignored) files,
# copied to ROOT/ansible_collections/effective/wsl (ansible-test needs that path; copies keep .venv and .cache out).
define sanity
	mkdir -p $(ANSIBLE_TEST_CACHE)
	for v in 23_1_2 24_2 25_2; do cp tools/get_pip_offline.py $(ANSIBLE_TEST_CACHE)/get_pip_$$v.py; done
	rm -rf $(3) && mkdir -p $(3)/ansible_collections/effective/wsl
	git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - \
		| tar -xf - -C $(3)/ansible_collections/effective/wsl
	cd $(3)/ansible_collections/effective/wsl && git init -q && git add -A && \
		$(1)/ansible-test sanity --venv --python $(2) --color no
endef

sanity: deps
	$(call sanity,$(BIN),$(PYTHON_VERSION),$(SANITY_ROOT))

unit: deps
	$(BIN)/python -m pytest -n 2 --junitxml=tests/output/junit/unit.xml tests/unit

integration: deps
	$(BIN)/python -m pytest -n 2 --junitxml=tests/output/junit/integration.xml tests/integration

# Each scenario runs whole inside the WSL simulator (local connection, pinned interpreter, prerun: false).
molecule: deps
	tests/wslsim/wslsim run --mode nat --cwd $(CURDIR) -- molecule test -s distro_nat
	tests/wslsim/wslsim run --mode mirrored --cwd $(CURDIR) -- molecule test -s distro_mirrored

# From the tracked files only (an untracked vault.yml or key in the checkout never ships), then the tarball is
# listed against them (tools/build_collection.py).
build: deps
	rm -rf .cache/build && mkdir -p .cache/build
	$(BIN)/python tools/build_collection.py .cache/build
	$(BIN)/ansible-galaxy collection install --force -p .cache/build/installed .cache/build/effective-wsl-*.tar.gz
	$(BIN)/python tools/check_docs.py .cache/build/installed

# playbooks/site.yml in check + diff mode inside the simulator; no WinRM user is configured, so the Windows play
# runs over WSL interop (effective.wsl.interop, the simulator's powershell.exe) and the Downloads link comes from
# the Windows user's known folder.
demo: deps
	tests/wslsim/wslsim run --mode nat --cwd $(CURDIR) -- \
		ansible-playbook -i playbooks/inventory playbooks/site.yml --check --diff

matrix: $(addprefix matrix-,$(MATRIX))

# The releases of the matrix, one leg each (.ci/run runs and times them one by one).
matrix-releases:
	@echo $(MATRIX)

# Kept between runs (make would delete it as an intermediate file and rebuild the venv every time).
.PRECIOUS: .cache/matrix/%/venv/.installed
.cache/matrix/%/venv/.installed: tests/matrix/ansible-core-%.txt
	rm -rf $(@D)
	"$$(tools/find_python $(call matrix_python,$*))" -m venv $(@D)
	$(@D)/bin/pip install -q -U pip
	$(@D)/bin/pip install -q -r $<
	touch $@

# One leg per release: sanity, unit and (on MATRIX_INTEGRATION) the simulator integration, in that order; with
# make -k a failing part does not keep the others from running. Named here, the parts are no intermediate files.
$(foreach core,$(MATRIX),$(eval matrix-$(core): matrix-sanity-$(core) matrix-unit-$(core) matrix-integration-$(core)))

matrix-sanity-%: deps .cache/matrix/%/venv/.installed
	$(call sanity,$(CURDIR)/.cache/matrix/$*/venv/bin,$(call matrix_python,$*),$(CURDIR)/.cache/matrix/$*/sanity)

matrix-unit-%: deps .cache/matrix/%/venv/.installed
	.cache/matrix/$*/venv/bin/python -m pytest -n 2 --junitxml=tests/output/junit-matrix/unit-$*.xml tests/unit

# The integration tests start the simulator from the venv that runs pytest, so ansible-playbook, the controller
# and the target Python are all this leg's.
matrix-integration-%: deps .cache/matrix/%/venv/.installed
	$(if $(filter $*,$(MATRIX_INTEGRATION)),ANSIBLE_PYTHON_INTERPRETER=$(CURDIR)/.cache/matrix/$*/venv/bin/python \
		PATH=$(CURDIR)/.cache/matrix/$*/venv/bin:$$PATH .cache/matrix/$*/venv/bin/python -m pytest -n 2 \
		--junitxml=tests/output/junit-matrix/integration-$*.xml tests/integration)

bench: deps
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .cache tests/output .ansible collections

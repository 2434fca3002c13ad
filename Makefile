# Two commands on a fresh machine with Python 3.11+ and make:  make run  /  make test
#
# crewai needs openai<3 while the newest openai-agents needs openai>=3, so tests use two venvs:
#   .venv     everything, with openai-agents 0.20.x (the newest line beside crewai)
#   .venv-oa  the newest openai-agents, for that adapter's tests only

PYTHON ?= python3
VENV := .venv
VENV_OA := .venv-oa
BIN := $(VENV)/bin
BIN_OA := $(VENV_OA)/bin
SPEEDUPS := core/agentaudit/classifier/_compiled/SOURCE_SHA256
PIP_FLAGS := --quiet --disable-pip-version-check

export CREWAI_DISABLE_TELEMETRY := true
export CREWAI_DISABLE_TRACKING := true
export OTEL_SDK_DISABLED := true
export CREWAI_DISABLE_VERSION_CHECK := true

.PHONY: run test test-setup services lint format venv venv-oa postgres browser bench bench-pg dist clean

run: $(VENV)/.installed $(SPEEDUPS)
	$(BIN)/agentaudit serve

venv: $(VENV)/.installed $(SPEEDUPS)
venv-oa: $(VENV_OA)/.installed

# The classifier compiled with mypyc (1.4x faster); the script compiles _speedups.SOURCES when
# their digest differs from the build's stamp (any classifier module changing makes it check).
# If it cannot be built, the Python classifier runs (same answers) and `make test` fails loudly.
# Wheels carry the same build (setup.py runs the same script): `make dist`.
CLASSIFIER_SOURCES := $(filter-out %/__init__.py %/_speedups.py,$(wildcard core/agentaudit/classifier/_*.py))
$(SPEEDUPS): $(VENV)/.installed $(CLASSIFIER_SOURCES) scripts/build_speedups.py
	$(BIN)/python scripts/build_speedups.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) --upgrade pip
	$(BIN)/pip install $(PIP_FLAGS) -e ".[server,postgres,reports,langchain,crewai,mcp,otel,ner,dev]" "openai-agents>=0.20,<0.21"
	touch $@

$(VENV_OA)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV_OA)
	$(BIN_OA)/pip install $(PIP_FLAGS) --upgrade pip
	$(BIN_OA)/pip install $(PIP_FLAGS) -e ".[server,openai-agents,dev]"
	touch $@

test-setup: $(VENV)/.installed $(VENV_OA)/.installed $(SPEEDUPS) services lint

services:
	bash scripts/ensure-postgres.sh
	bash scripts/install-browser.sh

postgres:
	bash scripts/ensure-postgres.sh

browser:
	bash scripts/install-browser.sh

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite runs on TEST_WORKERS processes (pytest-xdist), a test file to a worker (its module
# fixtures are built once); the slow files start first (tests/conftest.py orders them; xdist's
# own reordering, by tests per file, is off), so no worker is left with one at the end.
# `make test TEST_WORKERS=0` runs it in one process.
# The fifteen slowest tests are listed at the end: CI has an hour on two cores, and the list
# says where the time goes when the suite grows.
TEST_WORKERS ?= 2

# The set-up runs two jobs at a time (the compiled classifier and mypy each keep a core busy
# for minutes on a slow machine; the two venvs install side by side); its output comes a target
# at a time. PostgreSQL and Chromium both use apt, so one recipe runs them in turn.
test:
	$(MAKE) -j2 --output-sync=target test-setup
	AGENTAUDIT_EXPECT_COMPILED=1 $(BIN)/pytest -q -rs -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=15
	$(BIN_OA)/pytest -q -rs -m openai_agents tests/test_openai_agents*.py tests/test_approvals_openai_agents.py tests/test_*_import.py

PG_BENCH_URL ?= postgresql://postgres@127.0.0.1:5432/agentaudit_bench

bench: $(VENV)/.installed $(SPEEDUPS)
	$(BIN)/python benchmarks/classify.py
	$(BIN)/python benchmarks/pii_freetext.py
	$(BIN)/python benchmarks/batch_parts.py
	$(BIN)/python benchmarks/embedded_log.py
	$(BIN)/python benchmarks/client.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/ingest.py --workers 2
	$(BIN)/python benchmarks/adapter_langchain.py
	$(BIN)/python benchmarks/adapter_openai_agents.py
	$(BIN)/python benchmarks/adapter_crewai.py
	$(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/hook.py

bench-pg: $(VENV)/.installed $(SPEEDUPS) postgres
	$(BIN)/python benchmarks/pg_load.py --create --database-url $(PG_BENCH_URL)
	$(BIN)/python benchmarks/pg_query.py --database-url $(PG_BENCH_URL)
	$(BIN)/python benchmarks/pg_append.py --database-url $(PG_BENCH_URL)
	$(BIN)/python benchmarks/ingest.py --database-url $(PG_BENCH_URL)
	$(BIN)/python benchmarks/ingest.py --database-url $(PG_BENCH_URL) --workers 2
	$(BIN)/python benchmarks/scaleout.py

# The sdist and the wheel for this platform (with the compiled classifier), as a release is built.
dist: $(VENV)/.installed
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(VENV) $(VENV_OA) .pytest_cache .ruff_cache .mypy_cache *.egg-info build dist \
		core/agentaudit/classifier/_compiled

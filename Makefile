# The two commands a newcomer needs: `make run` (seed graph, no server) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kg-installed

.PHONY: run test test-unit bench lint neo4j-start neo4j-stop clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "kg needs Python >= 3.11 (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg build seeds -o out/graph.graphml

# The whole suite, against a real Neo4j started from Maven Central jars (scripts/neo4j) and
# stopped afterwards whatever the outcome. The test server has its own empty database
# (.neo4j/test, ephemeral) so tests never touch a server you keep data in; it shares the jars.
# KG_REQUIRE_NEO4J=1 turns a missing server into a failure instead of a skip.
TEST_NEO4J := KG_NEO4J_HOME=$(CURDIR)/.neo4j/test KG_NEO4J_LIB=$(CURDIR)/.neo4j/lib KG_NEO4J_EPHEMERAL=1

test: $(STAMP)
	@started="$$($(TEST_NEO4J) scripts/neo4j start)" || exit 1; \
	export "$$(printf '%s\n' "$$started" | tail -n 1)" KG_REQUIRE_NEO4J=1; \
	status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	$(TEST_NEO4J) scripts/neo4j stop >/dev/null || true; \
	exit $$status

# Benchmark (not part of the tests): N generated abstracts through kg build, against bare spaCy
# tokenisation in the same run, GraphML writing against igraph, and Neo4j load rows/s.
BENCH_N ?= 20000
BENCH_ARGS ?=  # e.g. --no-stream, --json out/bench-200k.json
bench: $(STAMP)
	@started="$$($(TEST_NEO4J) scripts/neo4j start)" || exit 1; \
	export "$$(printf '%s\n' "$$started" | tail -n 1)"; \
	status=0; $(BIN)/python bench/run.py --n $(BENCH_N) $(BENCH_ARGS) || status=$$?; \
	$(TEST_NEO4J) scripts/neo4j stop >/dev/null || true; \
	exit $$status

# Unit tests only: no server needed.
test-unit: $(STAMP)
	$(BIN)/python -m pytest -m 'not neo4j' $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check kg tests bench
	$(BIN)/mypy kg

neo4j-start:
	scripts/neo4j start

neo4j-stop:
	scripts/neo4j stop

clean:
	rm -rf out .pytest_cache .ruff_cache .mypy_cache

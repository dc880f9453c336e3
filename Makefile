# citydiplomacy — two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test migrate demo lint bench messages reliability clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $(STAMP)

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(TEST_STAMP)

install: $(STAMP)
install-test: $(TEST_STAMP)

migrate: install
	DEBUG=$${DEBUG:-1} $(BIN)/citydiplomacy migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/citydiplomacy demo --allow-production-demo

# Served as in production (DEBUG off: the app's own error pages, never Django's technical
# page), on plain http for this machine: a secret key made once and kept in the var directory.
run: demo
	@var="$${CITYDIPLOMACY_VAR_DIR:-var}"; mkdir -p "$$var"; key="$$var/local-secret-key"; \
	test -s "$$key" || (umask 077; $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > "$$key"); \
	DEBUG=$${DEBUG:-0} SECRET_KEY="$${SECRET_KEY:-$$(cat "$$key")}" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} SECURE_COOKIES=$${SECURE_COOKIES:-0} SECURE_HSTS_SECONDS=$${SECURE_HSTS_SECONDS:-0} \
	CITYDIPLOMACY_AUTHORITY_IN_SYSTEM=$${CITYDIPLOMACY_AUTHORITY_IN_SYSTEM:-1} $(BIN)/citydiplomacy serve --host $(HOST) --port $(PORT)

# The suite runs in one pytest process per core (pytest-xdist; each has its own test database);
# PYTEST_WORKERS=0 runs it in this process alone.
PYTEST_WORKERS ?= auto
test: install-test
	DEBUG=1 $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	PYTHONPATH=src $(BIN)/lint-imports

messages: install
	cd src/citydiplomacy && DEBUG=1 ../../$(BIN)/citydiplomacy makemessages -l tr --ignore "static/*" && DEBUG=1 ../../$(BIN)/citydiplomacy compilemessages

bench: install-test
	DEBUG=1 $(BIN)/python benchmarks/run_all.py

# Load, concurrent edits, faults and fuzzing against PostgreSQL + gunicorn started on loopback by
# the script itself (bounded: about 10-15 minutes); writes docs/RELIABILITY.md.
reliability: install-test
	$(BIN)/python reliability/run.py

clean:
	rm -rf $(VENV) var

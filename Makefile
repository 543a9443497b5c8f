# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The site's public address, used in printed and emailed links.
BASE_URL ?= http://127.0.0.1:$(PORT)
export BASE_URL
STAMP := $(VENV)/.installed

.PHONY: run test lint install migrate demo messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(BIN)/python manage.py load_demo

# One ASGI process speaks HTTP and websockets, as the in-memory channel layer needs;
# beside it the background worker (announcements to a poll's electorate), stopped with it.
run: demo
	DEBUG=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving $(BASE_URL)  (Ctrl-C stops)"
	DEBUG=1 $(BIN)/python manage.py db_worker --backend background --verbosity 0 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/daphne --bind 127.0.0.1 --port $(PORT) townhall.asgi:application

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# axe-core for the browser tests' accessibility checks, from npm at the locked version.
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/axe/package-lock.json
	npm ci --prefix tests/browser/axe --no-audit --no-fund --loglevel=error
	touch $@

test: lint $(AXE)
	$(BIN)/python -m pytest

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete \
		--ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'build/*'
	DEBUG=1 $(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv'

clean:
	rm -rf $(VENV) staticfiles

# The vote-burst benchmark (benchmarks/vote_burst/run.py): 30,000 voters through granian,
# PostgreSQL and Redis on 127.0.0.1; installs wrk if absent. BENCH_ARGS="--voters 2000".
.PHONY: bench-votes
bench-votes: install
	$(BIN)/python benchmarks/vote_burst/run.py $(BENCH_ARGS)

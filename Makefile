# Two commands: `make run` (set up, demo data, serve) and `make test` (set up, all tests).
.PHONY: run test test-cluster setup bench lint screenshots
PYTEST_ARGS ?=

setup:
	bash scripts/setup.sh

run:
	bash scripts/setup.sh --demo
	bash scripts/run.sh

test: setup
	.venv/bin/pytest $(PYTEST_ARGS)
	bash scripts/cluster/run.sh

# Two web nodes, two workers, replica, PgBouncer, Sentinel, S3 on this machine, with faults.
test-cluster: setup
	bash scripts/cluster/run.sh

bench: setup
	.venv/bin/python bench/run.py

lint:
	.venv/bin/ruff check .

# Refresh the README's screenshots in docs/screenshots/ (the browser tests take them).
screenshots: setup
	UPDATE_SCREENSHOTS=1 .venv/bin/pytest -q -k browser $(PYTEST_ARGS)

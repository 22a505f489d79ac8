# Atbalsts: `make run` to try it, `make test` to prove it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format messages check-translations bench lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall when the declared dependencies or the pins change.
$(VENV)/.installed: pyproject.toml constraints.txt | $(PY)
	$(PIP) install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(MANAGE) seed_demo
	@echo ""
	@echo "Serving on http://$(HOST):$(PORT)/ (background jobs and the scheduled tick run alongside). Ctrl+C stops all."
	@trap 'kill 0' INT TERM EXIT; \
	  $(MANAGE) db_worker --verbosity 0 & \
	  while true; do $(MANAGE) tick; sleep 60; done & \
	  $(MANAGE) runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist; each worker has its own test database).
# PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
test: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract UI strings into the lv and ru catalogues (and en, which holds only the English
# wording we prefer to allauth's) and compile them (needs GNU gettext).
messages: install
	$(MANAGE) makemessages --locale lv --locale ru --locale en --ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*" --no-obsolete
	$(MANAGE) compilemessages --ignore ".venv/*"

bench: install
	$(PY) scripts/bench.py

lock:
	$(PIP) freeze --exclude-editable | grep -v '^-e' | sed '1i # Pinned versions for CI and users (pip install -c constraints.txt). Regenerate with: make lock' > constraints.txt

clean:
	rm -rf $(VENV) staticfiles

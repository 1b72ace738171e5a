# motcua: two commands do everything on a fresh machine with Python 3.11+ and make.
#   make demo   [PORT=8000]  install, migrate, load demo data, serve with worker and simulators
#   make test                install test tools, lint, run the whole suite (PostgreSQL if DATABASE_URL is set)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# Two workers: the suite runs in about 12 minutes on 2 cores (serially it nears the 30-minute budget).
PYTEST_ARGS ?= -n 2

.PHONY: demo test lint install install-test bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/pip install -q -r requirements-test.lock
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# QR codes and the local VNeID stand-in must point at the port actually served.
demo: export MOTCUA_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
# The helper services (population registry simulator, fake national portal) listen on PORT+10000 and
# PORT+20000; serve_demo tells every process where (motcua/core/demorun.py).
# No phones in a demo: messages to the demo numbers show on /demo/dien-thoai/ (refused in production).
demo: export MOTCUA_DEMO_PHONE ?= 1
# The demo runs as production does: DEBUG off, its own static files (whitenoise), Vietnamese error pages.
demo: export DEBUG ?= 0
# The assistant's Zalo OA replies go to the local fake Zalo server that serve_demo starts (port PORT+5000).
demo: export MOTCUA_ZALO_ADAPTER ?= motcua.assistant.zalo.ZaloOAAdapter
demo: $(VENV)/.installed
	$(BIN)/motcua migrate --noinput -v 0
	$(BIN)/motcua seed_demo
	$(BIN)/motcua serve_demo --port $(PORT)

# ruff (style, annotations, blind excepts, security, naive datetimes, banned APIs); the app-border contracts
# (import-linter, [tool.importlinter] in pyproject.toml); mypy with the Django and DRF stubs, held to
# mypy-baseline.txt, which may only shrink.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check motcua tests bench tools
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tools/mypy_ratchet.py
	$(BIN)/motcua makemigrations --check --dry-run -v 0

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

messages: $(VENV)/.installed
	cd motcua && ../$(BIN)/motcua makemessages -l vi -l en --no-obsolete && ../$(BIN)/motcua compilemessages

clean:
	rm -rf $(VENV) var

# The production layout on this machine: nginx on PORT in front of gunicorn, DEBUG off, against DATABASE_URL
# (docs/deployment.md). Needs nginx (apt-get install nginx).
.PHONY: serve
serve: $(VENV)/.installed
	BIN=$(BIN) PORT=$(PORT) deploy/serve.sh

# The two commands: `make run` serves the demo, `make test` runs the suite.
# Both create .venv when missing and install the pinned dependencies first.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
UV_VERSION := 0.13.9

.PHONY: run test lint typecheck check messages clean browser-deps

$(PY):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: requirements-dev.lock pyproject.toml | $(PY)
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements-dev.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $@

run: $(VENV)/.synced
	PORT=$(PORT) VENV=$(VENV) scripts/run-demo.sh

test: $(VENV)/.synced node_modules/.installed browser-deps
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium; 2FA tests check codes with an independent TOTP
# implementation (oathtool); accessibility checks inject axe-core from npm; IMAP polling
# tests run their own dovecot; monitoring tests their own Alertmanager; document tests
# read PDFs back with poppler-utils.
browser-deps:
	@command -v chromium >/dev/null && command -v oathtool >/dev/null && command -v dovecot >/dev/null && \
	  command -v prometheus-alertmanager >/dev/null && command -v pdftotext >/dev/null || { \
	  apt-get update -qq && apt-get install -y -qq chromium oathtool dovecot-imapd prometheus-alertmanager poppler-utils >/dev/null; }

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.synced
	$(VENV)/bin/mypy atiende tests

check: lint typecheck
	ATIENDE_DEMO=true $(VENV)/bin/atiende makemigrations --check --dry-run

# One pass over the code and the templates: two passes with --no-obsolete each dropped
# the other's translations.
messages: $(VENV)/.synced
	ATIENDE_DEMO=true $(VENV)/bin/atiende makemessages -l es -l en --no-obsolete \
	  -i '.venv/*' -i 'node_modules/*' -i 'bench/*' -i 'tests/*' -i 'var/*'
	ATIENDE_DEMO=true $(VENV)/bin/atiende compilemessages --ignore '.venv/*' --ignore 'node_modules/*'

lock: $(PY)
	$(VENV)/bin/uv pip compile pyproject.toml --quiet -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --quiet -o requirements-dev.lock

clean:
	rm -rf $(VENV) var

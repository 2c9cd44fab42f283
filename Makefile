# MatchHub — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test bench loadtest scan lint translations catalog install clean

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit("MatchHub needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the requirements change.
$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

# Compiled catalogs (.mo) are build output, made from the committed .po files.
translations: install
	@$(BIN)/pybabel -q compile -d matchhub/translations

# Re-extract every string after changing templates or code, then translate the new ones in vi.
catalog: install
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs ".* .venv node_modules" -k _l -k lazy_gettext -k _ln:1,2 -k lazy_ngettext:1,2 --no-location --sort-output \
	  --project MatchHub --copyright-holder "MatchHub contributors" -o matchhub/translations/messages.pot .
	$(BIN)/pybabel update -i matchhub/translations/messages.pot -d matchhub/translations --no-fuzzy-matching

run: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo ""
	@echo "MatchHub is starting on http://127.0.0.1:$(PORT)"
	@echo "Demo logins (password: matchhub-demo):"
	@echo "  province office  admin@demo.vn"
	@echo "  enterprise       enterprise@demo.vn"
	@echo "  college          college@demo.vn"
	@echo "  learner          learner@demo.vn"
	@echo ""
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: translations
	env -u TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on $$TEST_DATABASE_URL =="; \
	  $(BIN)/pytest; \
	else \
	  echo "(set TEST_DATABASE_URL=postgresql+psycopg://… to run the suite on PostgreSQL too)"; \
	fi

bench: translations
	@$(BIN)/python -m bench.run

# On demand (a few minutes): gunicorn on PostgreSQL under locust, see bench/loadtest/run.py.
loadtest: translations
	@$(BIN)/python -m bench.loadtest.run

# wapiti and sqlmap against the production config on loopback (about 15 minutes; Debian's
# wapiti and sqlmap, PostgreSQL on 127.0.0.1): writes the "Scan" section of docs/security.md.
scan: translations
	@scripts/scan.sh

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

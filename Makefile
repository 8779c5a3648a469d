# newsclaims developer commands. `make help` lists them.
#
# Everything runs inside .venv, which is created on first use with a Python >= 3.12
# found on this machine (or the one named by PYTHON=...).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# `make test` runs its steps in order and stops at the first failure, even under -j.
.NOTPARALLEL:

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install -q --disable-pip-version-check
# DEBUG=true: the settings refuse to start without SECRET_KEY otherwise.
MANAGE := DEBUG=true $(PY) manage.py

# Where `make run` serves the site.
ADDR ?= 127.0.0.1:8000
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k search -x".
PYTEST_ARGS ?=
# `env` so that the command can also be handed to scripts/with-postgres. Any non-zero
# pytest status fails the target, including 5 (no tests collected).
PYTEST := env DEBUG=true $(PY) -m pytest $(PYTEST_ARGS)

# Interpreters tried, in order, when creating .venv. Shell globs are expanded when the
# list is used. PYTHON=... replaces the whole list: a named interpreter that is not
# usable is an error rather than a reason to quietly pick another one.
ifdef PYTHON
PYTHON_CANDIDATES = $(PYTHON)
else
PYTHON_CANDIDATES = python3.13 python3.12 python3.14 python3 \
	$${PYENV_ROOT:-$${HOME:-}/.pyenv}/versions/3.1[2-9]*/bin/python3 \
	/root/.pyenv/versions/3.1[2-9]*/bin/python3 \
	/usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]
endif

# Shell code printing the full path of the first candidate that runs and is >= 3.12.
# Each one is actually run: a pyenv shim exists for every version pyenv knows of, but
# fails unless that version is selected.
define find_python
for candidate in $(PYTHON_CANDIDATES); do \
	if command -v "$$candidate" >/dev/null 2>&1 && \
		"$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
		"$$candidate" -c 'import sys; print(sys.executable)'; \
		exit 0; \
	fi; \
done; \
{ \
	echo "error: newsclaims needs Python >= 3.12 and $(if $(PYTHON),PYTHON=$(PYTHON) is not one (missing, failing or too old),none was found among:)"; \
	$(if $(PYTHON),,echo "  $(strip $(PYTHON_CANDIDATES))";) \
	echo "Install one (e.g. 'pyenv install 3.13', or a python3.12/python3.13 package from your"; \
	echo "distribution) and run make again; to pick one: make PYTHON=/path/to/python3.13 ..."; \
} >&2; \
exit 1
endef

.PHONY: help
help: ## List the targets
	@echo "Usage: make TARGET"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk -F':.*## ' '{ printf "  %-17s %s\n", $$1, $$2 }'

# --- environment ----------------------------------------------------------------------

# $(call install_missing,PURPOSE): shell code installing the Debian packages listed in
# the bash array `missing`, if any. Only root (as CI runs) installs; anyone else is told
# what to install.
define install_missing
if (( $${#missing[@]} )); then \
	if (( EUID != 0 )) || ! command -v apt-get >/dev/null; then \
		echo "error: missing Debian packages for $(1): $${missing[*]}" >&2; \
		echo "Install them as root (apt-get install -y $${missing[*]}), then run make again." >&2; \
		exit 1; \
	fi; \
	echo "Installing $${missing[*]} for $(1)"; \
	apt-get update -qq; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$${missing[@]}" >/dev/null; \
fi
endef

# The venv is only created when missing; an existing .venv is reused as it is (to
# switch interpreters: make distclean, then make PYTHON=... venv).
$(PY):
	@python="$$( $(find_python) )"; \
	echo "Creating $(VENV) with $$python ($$("$$python" -V 2>&1))"; \
	"$$python" -m venv $(VENV)

# Stamp files: pip runs again only when a requirements file changes.
$(VENV)/.installed-run: requirements.txt | $(PY)
	$(PIP) -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(PY)
	$(PIP) -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-run

.PHONY: venv venv-dev find-python
venv: $(VENV)/.installed-run ## Create .venv with the runtime requirements
venv-dev: $(VENV)/.installed-dev ## Create .venv with the test and lint requirements too

find-python: ## Show which interpreter a new .venv would be created with
	@$(find_python)

# --- translations ---------------------------------------------------------------------

# The catalogues (locale/*/LC_MESSAGES/django.po) are committed; their compiled .mo files
# are built here, by Babel (a requirement), so no gettext is needed to run or test.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed-run
	$(VENV)/bin/pybabel --quiet compile --input-file $< --output-file $@ --locale $*

.PHONY: messages compile-messages
compile-messages: $(MO_FILES) ## Compile the translation catalogues

# Django's makemessages needs Debian's gettext (xgettext, msgmerge).
messages: $(VENV)/.installed-run ## Collect new strings into the Serbian Cyrillic catalogue, then write the Latin one from it
	@missing=(); command -v xgettext >/dev/null || missing+=(gettext); \
	$(call install_missing,collecting strings)
	DATABASE_URL=sqlite:///:memory: $(MANAGE) makemessages --locale sr --no-obsolete \
		--ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --ignore 'bench/*' \
		--ignore 'scripts/*' --ignore 'staticfiles/*'
	DATABASE_URL=sqlite:///:memory: $(MANAGE) latin_catalogue
	$(MAKE) compile-messages

# --- running the site -----------------------------------------------------------------

.PHONY: run migrate demo
run: demo ## Migrate, load the demo data and serve the site on http://127.0.0.1:8000
	$(MANAGE) runserver $(ADDR)

migrate: $(VENV)/.installed-run $(MO_FILES) ## Apply database migrations
	$(MANAGE) migrate --noinput

demo: migrate ## Load the demo data (safe to repeat)
	$(MANAGE) load_demo

# --- checks ---------------------------------------------------------------------------

.PHONY: test lint format check-migrations test-postgres test-sqlite test-e2e
test: lint check-migrations test-postgres test-sqlite test-e2e ## Lint, check migrations, run the tests on PostgreSQL and SQLite, then the browser tests

lint: $(VENV)/.installed-dev ## Check code style (ruff) and security (bandit: no medium or high findings)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit --quiet --recursive --severity-level medium articles intake newsclaims

format: $(VENV)/.installed-dev ## Fix what ruff can fix and reformat the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# On an in-memory database so that no database (or DATABASE_URL) is touched.
check-migrations: $(VENV)/.installed-dev ## Fail if the models have changes without a migration
	DATABASE_URL=sqlite:///:memory: $(MANAGE) makemigrations --check --dry-run

# $(call on_postgres,COMMAND): run COMMAND on the PostgreSQL database named by
# DATABASE_URL if it is set (the test runner creates and drops a test_ database next to
# it), otherwise on a throwaway cluster (scripts/with-postgres).
define on_postgres
if [[ -n "$${DATABASE_URL:-}" ]]; then \
	case "$$DATABASE_URL" in \
	postgres://* | postgresql://* | pgsql://*) ;; \
	*) echo "error: $@ needs a PostgreSQL DATABASE_URL or none at all" >&2; exit 1 ;; \
	esac; \
	echo "$@: on PostgreSQL from DATABASE_URL"; \
	set -x; $(1); \
else \
	set -x; scripts/with-postgres $(1); \
fi
endef

# Servers the tests start on private sockets: PostgreSQL 15 (unless DATABASE_URL is
# set), and Redis for the shared page cache.
.PHONY: test-system
test-system:
	@missing=(); \
	[[ -n "$${DATABASE_URL:-}" || -x /usr/lib/postgresql/15/bin/initdb ]] || missing+=(postgresql-15); \
	command -v redis-server >/dev/null || missing+=(redis-server); \
	$(call install_missing,the tests)

test-postgres: test-system $(VENV)/.installed-dev $(MO_FILES) ## Run the tests on PostgreSQL (DATABASE_URL, or a throwaway cluster)
	@$(call on_postgres,$(PYTEST))

test-sqlite: test-system $(VENV)/.installed-dev $(MO_FILES) ## Run the tests on SQLite (in memory)
	DATABASE_URL=sqlite:///:memory: $(PYTEST)

# --- browser tests --------------------------------------------------------------------

# tests/e2e: Playwright drives Debian's Chromium (Playwright never downloads a browser of
# its own here) against Django's live server; the Nu HTML checker (vnu-jar, run with the
# machine's Java) and axe-core come from npm (package.json). The pytest runs above leave
# tests/e2e out. Extra pytest arguments: make test-e2e E2E_ARGS="-k keyboard -x".
CHROMIUM ?= /usr/bin/chromium
E2E_ARGS ?=
PYTEST_E2E := env DEBUG=true CHROMIUM=$(CHROMIUM) $(PY) -m pytest tests/e2e $(E2E_ARGS)

# Debian packages, installed only when missing, and only by root (CI runs as root).
.PHONY: e2e-system
e2e-system:
	@missing=(); \
	[[ -x "$(CHROMIUM)" ]] || missing+=(chromium); \
	command -v java >/dev/null || missing+=(default-jre-headless); \
	command -v npm >/dev/null || missing+=(npm); \
	$(call install_missing,the browser tests); \
	[[ -x "$(CHROMIUM)" ]] || { echo "error: still no Chromium at $(CHROMIUM)" >&2; exit 1; }

# npm runs again only when package.json or the lock changes. --ignore-scripts: vnu-jar's
# install script would download a Java runtime; the machine's Java is used instead.
node_modules/.installed: package.json package-lock.json | e2e-system
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# On PostgreSQL like test-postgres: DATABASE_URL if set, otherwise a throwaway cluster.
test-e2e: test-system e2e-system node_modules/.installed $(VENV)/.installed-dev $(MO_FILES) ## Run the browser tests (flows, HTML checker, axe, screenshots) on PostgreSQL
	@$(call on_postgres,$(PYTEST_E2E))

# --- backups (PostgreSQL, through DATABASE_URL) ----------------------------------------

BACKUP_DIR ?= backups
.PHONY: backup restore
backup: $(VENV)/.installed-run ## Back up the DATABASE_URL database (pg_dump custom format) into backups/
	@[[ -n "$${DATABASE_URL:-}" ]] || { echo "error: set DATABASE_URL to the PostgreSQL database to back up" >&2; exit 1; }
	mkdir -p -m 0700 $(BACKUP_DIR)
	$(MANAGE) backup_database $(BACKUP_DIR)/newsclaims-$$(date -u +%Y%m%dT%H%M%SZ).dump

restore: $(VENV)/.installed-run ## Restore FILE=… into a new database TARGET=… on the DATABASE_URL server
	@[[ -n "$${DATABASE_URL:-}" && -n "$(FILE)" && -n "$(TARGET)" ]] || { echo "usage: DATABASE_URL=… make restore FILE=backups/x.dump TARGET=newsclaims_restored" >&2; exit 1; }
	$(MANAGE) restore_database $(FILE) $(TARGET)

# --- benchmark ------------------------------------------------------------------------

# Not part of `make test`. Generates (or reuses) a million claims on PostgreSQL
# (DATABASE_URL, or a cluster kept in bench/data/) and serves them with gunicorn. The
# headline is a mixed workload: ~3,000 URLs drawn from the data, 8 readers for 60 s and an
# editor saving a claim every 10 s (bench/mixed.py); then each page alone with wrk. See
# docs/performance.md. Quicker: make bench BENCH_ARGS="--claims 100000". Only the mixed
# workload: BENCH_ARGS=mixed; admin saves while readers load the site: BENCH_ARGS=edits.
BENCH_ARGS ?=
# make bench-data: a synthetic data set (bench/generate.py) of CLAIMS claims, the same
# for the same SEED, into the DATABASE_URL database (PostgreSQL or SQLite) or, without
# it, the bench's own cluster; migrated first. A database that already has content is
# refused unless APPEND=1, which adds the new rows beside it.
CLAIMS ?= 10000
SEED ?= 1
APPEND ?=
.PHONY: bench bench-data bench-system
bench: bench-system $(VENV)/.installed-run ## Benchmark: mixed readers and an editor, then each page alone with wrk (docs/performance.md)
	$(PY) -m bench.run $(BENCH_ARGS)

# DEBUG=true: the settings want a SECRET_KEY otherwise (nothing is served).
bench-data: BENCH_NEEDS := postgresql
bench-data: bench-system $(VENV)/.installed-run ## Generate CLAIMS=… claims (SEED=…, APPEND=1) into DATABASE_URL, else the bench cluster
	DEBUG=true $(PY) -m bench.generate --migrate --claims $(CLAIMS) --seed $(SEED)$(if $(filter-out 0,$(APPEND)), --append)

# make bench-gdelt: how fast manage.py import_gdelt loads a generated GDELT events file
# of GDELT_LINES lines (bench/gdelt.py), always into a throwaway PostgreSQL cluster, never
# into DATABASE_URL: it writes half a million events.
GDELT_LINES ?= 500000
.PHONY: bench-gdelt
bench-gdelt: BENCH_NEEDS := postgresql
bench-gdelt: bench-system $(VENV)/.installed-run ## Time importing GDELT_LINES=… generated GDELT events lines into PostgreSQL
	scripts/with-postgres env DEBUG=true $(PY) -m bench.gdelt --lines $(GDELT_LINES)

# wrk (for make bench), and PostgreSQL 15's server programs for the bench's own cluster
# (none needed with DATABASE_URL), from Debian when missing.
BENCH_NEEDS ?= postgresql wrk
bench-system:
	@missing=(); \
	$(if $(filter wrk,$(BENCH_NEEDS)),command -v wrk >/dev/null || missing+=(wrk);) \
	[[ -n "$${DATABASE_URL:-}" || -x /usr/lib/postgresql/15/bin/initdb ]] || missing+=(postgresql-15); \
	$(call install_missing,the benchmark)

# --- housekeeping ---------------------------------------------------------------------

.PHONY: clean distclean
clean: ## Remove caches, collected static files and test artifacts
	rm -rf .pytest_cache .ruff_cache staticfiles test-artifacts
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

# db.sqlite3 is left alone: it may hold data entered by hand.
distclean: clean ## Also remove .venv and node_modules
	rm -rf $(VENV) node_modules

# peerdesk: two commands for a fresh machine.
#   make run   creates .venv, installs peerdesk and starts the app on the default data folder
#   make test  creates .venv, installs the test extras, runs ruff, mypy and the whole test suite headless,
#              today and again with the clock faked to days that catch date traps
#              and once more on a throwaway PostgreSQL server
#   make bench runs the benchmarks in benchmarks/ (not part of make test); with
#              PEERDESK_BENCH_DATABASE_URL=postgresql://... the lists and the report on that server too
#   make installer builds dist/peerdesk (PyInstaller) and a .deb, and smoke-tests the bundle

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# PySide6 6.12 on CPython 3.11 aborts the interpreter after a few thousand Qt calls,
# so peerdesk needs 3.12 or newer. Look on PATH first, then in pyenv's versions.
PYTHON ?= $(shell scripts/find-python)

.PHONY: run test lint typecheck pytest pytest-other-days pytest-postgresql bench installer clean

$(PY):
	@test -n "$(PYTHON)" || { echo "peerdesk needs Python 3.12 or newer and none was found. Install it (for example 'pyenv install 3.12' or your system's python3.12 package) and run make again."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The system libraries are checked after pip: the script reads them from the PySide6 just installed.
$(STAMP): $(PY) pyproject.toml scripts/ensure-system-libs
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) scripts/ensure-system-libs
	@touch $(STAMP)

# make run ARGS="--data-dir /some/folder" to open another data folder
run: $(STAMP)
	$(VENV)/bin/peerdesk $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check peerdesk tests benchmarks
	$(VENV)/bin/ruff format --check peerdesk tests benchmarks
	$(VENV)/bin/lint-imports --no-cache

typecheck: $(STAMP)
	$(VENV)/bin/mypy peerdesk

# Two workers (pytest-xdist): the machine CI runs on has two cores, and the suite must finish well
# inside CI's 90 minutes. WORKERS=0 runs it in one process (for a debugger or print statements).
WORKERS ?= 2

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n $(WORKERS) --durations=25

# The whole suite again with the process's clock faked (faketime): the Monday after the spring
# clock change just after midnight, 29 February, New Year's Eve late on a Sunday.
pytest-other-days: $(STAMP)
	QT_QPA_PLATFORM=offscreen scripts/test-on-other-days $(PY) -n $(WORKERS)

# The store-backed tests once more on a throwaway PostgreSQL server (127.0.0.1, a free port), the
# tests about the encrypted file skipped; the server is stopped and removed even when tests fail.
# The window's tests sign in to a data folder's file, so of them only the server sign-in runs here.
pytest-postgresql: $(STAMP)
	QT_QPA_PLATFORM=offscreen scripts/test-on-postgresql $(PY) -n $(WORKERS) tests/test_*.py tests/ui/test_server_sign_in.py

test: lint typecheck pytest pytest-other-days pytest-postgresql

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run_all.py

# A virtualenv of its own, so PyInstaller never lands in the development one. Editable, so the
# smoke test reads the same migrations and version as the bundle it checks.
INSTALLER_VENV := build/installer-venv
INSTALLER_STAMP := $(INSTALLER_VENV)/.installed

$(INSTALLER_STAMP): pyproject.toml installer/build-requirements.txt
	@test -n "$(PYTHON)" || { echo "Building the installer needs Python 3.12 or newer and none was found. Install it and run make again."; exit 1; }
	$(PYTHON) -m venv $(INSTALLER_VENV)
	$(INSTALLER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(INSTALLER_VENV)/bin/python -m pip install --quiet -e . -r installer/build-requirements.txt
	@touch $@

installer: $(INSTALLER_STAMP)
	$(INSTALLER_VENV)/bin/python scripts/ensure-system-libs --installer
	$(INSTALLER_VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller installer/peerdesk.spec
	$(INSTALLER_VENV)/bin/python scripts/ensure-system-libs --installer --bundle dist/peerdesk
	$(INSTALLER_VENV)/bin/python installer/build_deb.py dist/peerdesk dist
	$(INSTALLER_VENV)/bin/python installer/smoke.py dist/peerdesk/peerdesk
	@du -sh dist/peerdesk

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

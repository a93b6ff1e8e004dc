# The two commands a newcomer needs: `make run` and `make test`. `make bench` prints the benchmarks,
# `make serve-api` serves the prediction API on port 8502.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export ANYML_DATA_DIR ?= ./data

.PHONY: run serve-api test bench cluster clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(PY) -m storage.secrets .streamlit/secrets.toml
	ANYML_DB_IDLE_SECONDS=$${ANYML_DB_IDLE_SECONDS:-1} $(PY) -m streamlit run Home.py --server.port 8501 --server.address 0.0.0.0

# Beside `make run` (which closes a data file after 1 s unused, so the API can open it). One worker process:
# a data file is opened by one process at a time, and the rate limit is counted in it.
serve-api: $(VENV)/.installed
	$(PY) -m uvicorn api.app:app --host 0.0.0.0 --port 8502 --workers 1

# One worker per core, spread as workers free up. The Dask cluster tests run in a process of their own: with
# the browser tests in the same run, the LocalCluster's spawned workers still failed to start ("Nanny failed").
test: $(VENV)/.installed-dev
	$(PY) -m pytest -n auto --dist loadgroup --ignore tests/unit/test_cluster.py
	$(PY) -m pytest -q tests/unit/test_cluster.py

bench: $(VENV)/.installed-dev
	$(PY) -m bench

# A Dask scheduler and two workers on this machine, for trying training on a cluster: leave it running,
# then in another terminal `ANYML_DASK_SCHEDULER=tcp://127.0.0.1:8786 make run`. Ctrl-C stops all three.
cluster: $(VENV)/.installed
	trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(PY) -m dask scheduler --host 127.0.0.1 --port 8786 & \
	sleep 3; \
	$(PY) -m dask worker tcp://127.0.0.1:8786 --nworkers 2 --nthreads 1 & \
	wait

clean-venv:
	rm -rf $(VENV)

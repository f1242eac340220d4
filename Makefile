# Trophées ASR — every command a developer or CI needs. `make` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
RUN := $(UV) run --frozen
PORT ?= 8501
CHROMIUM ?= /usr/bin/chromium

.PHONY: help
help: ## Liste les commandes disponibles
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1mmake %-11s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: install
install: ## Installe uv si besoin puis les dépendances figées (uv.lock)
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

.PHONY: chromium
chromium: ## Installe Chromium et la police DejaVu (Debian) : tests navigateur, images, PDF
	@test -x $(CHROMIUM) -a -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

.PHONY: nginx
nginx: ## Installe nginx et openssl (Debian) : test du proxy inverse de production (docs/exploitation.md)
	@test -x /usr/sbin/nginx -a -x /usr/bin/openssl || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light openssl >/dev/null; }

.PHONY: reference
reference: install ## Construit la géographie de référence (data/reference/, mise en cache)
	@$(RUN) trophees reference

.PHONY: demo
demo: reference ## Génère et charge les éditions fictives 2023 et 2024
	@$(RUN) trophees demo

.PHONY: run
run: demo chromium ## Installe, charge les données fictives et lance l'application sur http://localhost:8501
	-@$(RUN) trophees jury demo
	-@$(RUN) trophees comptes demo
	@$(RUN) streamlit run dashboard/server.py --server.port $(PORT)

.PHONY: test
test: install chromium nginx ## Installe puis lance toute la suite de tests
	@$(RUN) pytest

.PHONY: fmt
fmt: install ## Met en forme le code (ruff format + corrections automatiques)
	@$(RUN) ruff format etl dashboard bench tests
	@$(RUN) ruff check --fix etl dashboard bench tests

.PHONY: lint
lint: install ## Vérifie la mise en forme et le style (ruff)
	@$(RUN) ruff format --check etl dashboard bench tests
	@$(RUN) ruff check etl dashboard bench tests

.PHONY: types
types: install ## Vérifie les types (mypy strict)
	@$(RUN) mypy

.PHONY: notebooks-propres
notebooks-propres: install ## Retire sorties et numéros d'exécution des notebooks avant un commit
	@$(RUN) nbstripout notebooks/*.ipynb

.PHONY: check
check: lint types test ## Tout ce que la CI lance : format, style, types, tests

.PHONY: bench
bench: reference chromium ## Mesure les performances et écrit data/bench/latest.json
	@$(RUN) python -m bench

.PHONY: clean
clean: ## Supprime les données dérivées (garde data/raw)
	rm -rf data/reference data/cache data/bench data/warehouse.duckdb

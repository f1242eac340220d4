"""Every path the product reads or writes, derived from the project root.

Environment overrides (used by tests and deployments):
- ``TROPHEES_DATA_DIR``: where ``reference/``, ``raw/``, ``bench/`` and the DuckDB files live;
- ``TROPHEES_CONFIG_DIR``: where ``editions/*.toml`` live.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Root of every generated or loaded data file (git-ignored)."""
    return Path(os.environ.get("TROPHEES_DATA_DIR", ROOT / "data"))


def config_dir() -> Path:
    """Root of the versioned configuration (editions, reference sources)."""
    return Path(os.environ.get("TROPHEES_CONFIG_DIR", ROOT / "config"))


def editions_dir() -> Path:
    """One TOML file per edition of the awards."""
    return config_dir() / "editions"


def reference_dir() -> Path:
    """Built reference geography: parquet tables, GeoJSON layers, metadata."""
    return data_dir() / "reference"


def reference_sources_dir() -> Path:
    """Pinned npm manifest and lock file for the etalab population package."""
    return ROOT / "config" / "reference"


def npm_cache_dir() -> Path:
    """Where the pinned npm package is installed (``npm ci``), outside git."""
    return data_dir() / "cache" / "npm"


def raw_dir() -> Path:
    """Immutable inputs: form exports, one folder per edition (``raw/demo`` for fiction)."""
    return data_dir() / "raw"


def warehouse_path() -> Path:
    """The derived warehouse, rebuilt atomically by the ETL."""
    return data_dir() / "warehouse.duckdb"


def deliberations_path() -> Path:
    """The app-owned store of jury work; never touched by the ETL."""
    return data_dir() / "deliberations.duckdb"


def bench_dir() -> Path:
    """Benchmark results: ``latest.json`` plus a timestamped copy per run."""
    return data_dir() / "bench"

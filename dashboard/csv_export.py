"""Compatibility re-export: CSV downloads now live in :mod:`dashboard.exports.tableurs`.

Kept so that older imports (``from dashboard.csv_export import safe_csv_bytes``) keep
working; new code calls :func:`dashboard.exports.csv_bytes` with the signed-in role.
"""

from __future__ import annotations

import polars as pl

from dashboard.exports.tableurs import DECLENCHEURS_FORMULE, csv_bytes, neutralised

__all__ = ["DECLENCHEURS_FORMULE", "neutralised", "safe_csv_bytes"]


def safe_csv_bytes(frame: pl.DataFrame) -> bytes:
    """``csv_bytes(frame, role=None)``: UTF-8 with BOM, ``;``, formulas neutralised."""
    return csv_bytes(frame, role=None)

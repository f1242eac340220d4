"""CSV downloads a spreadsheet opens safely (pure: frame in, bytes out).

French spreadsheets expect ``;`` between fields and only recognise UTF-8 with a byte-order
mark. A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
as a formula by Excel or LibreOffice (CSV injection: ``=HYPERLINK(…)`` or worse), so such
text cells are prefixed with an apostrophe, which shows the text as typed.
"""

from __future__ import annotations

import polars as pl

DECLENCHEURS_FORMULE = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_PATTERN = r"^[=+\-@\t\r]"


def neutralised(column: pl.Expr) -> pl.Expr:
    """A text column whose cells that would run as formulas start with ``'``."""
    return pl.when(column.str.contains(_PATTERN)).then("'" + column).otherwise(column)


def safe_csv_bytes(frame: pl.DataFrame) -> bytes:
    """The frame as a CSV for spreadsheets: UTF-8 with BOM, ``;``, formulas neutralised.

    Text cells are neutralised; list cells are joined with `` | `` first; numbers, dates
    and booleans are written as they are (they cannot hold a formula).
    """
    text = frame.with_columns(
        pl.col(pl.List(pl.String)).list.join(" | "),
    )
    text = text.with_columns(
        neutralised(pl.col(name)).alias(name)
        for name, dtype in text.schema.items()
        if dtype == pl.String
    )
    return "\ufeff".encode() + text.write_csv(separator=";").encode("utf-8")

"""Python functions over polars columns, run by the calling thread.

``map_elements`` and ``map_batches`` with a Python function run it on polars' worker
threads, which must take the GIL to call it. In the app, several sessions' scripts run
at once in one process: when another thread holds the GIL while it waits for those same
workers (``DataFrame.to_pandas`` does, on Streamlit's way to draw a table), neither can
go on and the whole server hangs — every session, for good. The 10-juror load run met
exactly that (polars 2.1). :func:`apply` calls the function in the calling thread
instead, so polars' workers never need the GIL; ``tests/test_architecture.py`` keeps
``map_elements`` and ``map_batches`` out of ``etl`` and ``dashboard``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl


def apply(
    series: pl.Series,
    function: Callable[[Any], Any],
    dtype: pl.DataType | type[pl.DataType] = pl.String,
) -> pl.Series:
    """``function`` of every non-null value of ``series`` (null stays null), same name."""
    return pl.Series(
        series.name,
        [None if value is None else function(value) for value in series.to_list()],
        dtype,
    )

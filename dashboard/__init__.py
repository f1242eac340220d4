"""Streamlit application over the warehouse.

``etl`` is imported first: it configures polars' allocator, which must be set before
polars is (``etl.ALLOCATOR``), for the app as for the command line.
"""

import etl  # noqa: F401

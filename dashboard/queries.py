"""One function per question the pages ask; cached, no widgets, no layout.

At this stage the app reads the edition configurations and the reference geography; the
warehouse questions arrive with the ETL.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from etl import editions, paths, reference


@st.cache_data(ttl=300, max_entries=4)
def configured_editions() -> list[editions.Edition]:
    """Every edition described under ``config/editions``, most recent first."""
    loaded = editions.load_editions()
    return [loaded[year] for year in sorted(loaded, reverse=True)]


@st.cache_data(ttl=300, max_entries=2)
def reference_metadata() -> dict[str, Any] | None:
    """Sources, vintages, licences and counts of the reference geography, if built."""
    return reference.stored_metadata(paths.reference_dir())


def warehouse_exists() -> bool:
    """Whether the ETL has produced a warehouse yet."""
    return paths.warehouse_path().exists()

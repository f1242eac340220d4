"""One function per question the pages ask; cached, no widgets, no layout.

At this stage the app reads the edition configurations and the reference geography; the
warehouse questions arrive with the ETL.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import db
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
    return db.warehouse_version() is not None


@st.cache_data(ttl=60, max_entries=8)
def _loads_summary(version: int) -> pl.DataFrame:
    return db.frame(
        """
        select edition, bool_or(fictif) as fictif, count(*) as fichiers,
               sum(lignes_lues) as lignes_lues, sum(lignes_chargees) as candidatures,
               sum(lignes_rejetees) as lignes_rejetees, sum(doublons) as doublons
        from chargements group by edition order by edition desc
        """
    )


def loads_summary() -> pl.DataFrame | None:
    """Per edition: files loaded, lines read, candidatures, rejected lines, duplicates."""
    version = db.warehouse_version()
    return None if version is None else _loads_summary(version)


def demo_data() -> bool:
    """Whether the warehouse holds generated (fictitious) data."""
    summary = loads_summary()
    return summary is not None and bool(summary["fictif"].any())

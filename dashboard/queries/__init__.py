"""One function per question the pages ask; cached, no widgets, no layout.

Shared questions live here; each page has its own module beside this one
(``queries.vue_ensemble``, ``queries.carte``…).

Every warehouse value is a bound parameter; cached results are keyed by the warehouse
version (its modification time), so a reload by the ETL is seen on the next rerun.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import db
from dashboard.filters import FilterOptions, Filters
from etl import editions, paths, reference, warehouse
from etl.french import sort_frame_by_name, sorted_by_name
from etl.semantic import key_figures


@st.cache_data(ttl=300, max_entries=4)
def configured_editions() -> list[editions.Edition]:
    """Every edition described under ``config/editions``, most recent first."""
    loaded = editions.load_editions()
    return [loaded[year] for year in sorted(loaded, reverse=True)]


@st.cache_data(ttl=300, max_entries=2)
def reference_metadata() -> dict[str, Any] | None:
    """Sources, vintages, licences and counts of the reference geography, if built."""
    return reference.stored_metadata(paths.reference_dir())


def version() -> int:
    """The version of the warehouse a page is drawn from (pages run only when there is one):
    part of every cache key, so a new load is seen at the next run."""
    current = db.warehouse_version()
    assert current is not None
    return current


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
    """Whether the warehouse holds generated (fictitious) data only (one definition:
    ``etl.warehouse.is_fictitious``; a single real file makes it real)."""
    version = db.warehouse_version()
    return version is not None and _demo_data(version)


@st.cache_resource(ttl=60, max_entries=4)
def _demo_data(version: int) -> bool:
    # every rerun asks (banner): a bool kept as is, not a frame copied out of cache_data
    with db.cursor() as cur:
        return warehouse.is_fictitious(cur)


# cache_resource: asked twice per rerun (sidebar and page); FilterOptions is never modified,
# so it is shared rather than copied out of cache_data each time.
@st.cache_resource(ttl=300, max_entries=4)
def _filter_options(version: int) -> FilterOptions:
    editions_ = db.frame("select distinct edition from candidatures order by edition desc")
    categories: dict[str, str] = {}
    for edition in configured_editions():
        for cat in edition.categories:
            categories.setdefault(cat.code, f"{cat.code} — {cat.libelle}")
    regions = sort_frame_by_name(db.frame("select code, nom from ref_regions"), "nom")
    departements = db.frame("select code, nom from ref_departements order by code")
    structures = db.frame(
        "select distinct structure_type from candidatures where structure_type is not null"
    )
    labels = _structure_labels()
    return FilterOptions(
        editions={int(e): str(e) for e in editions_["edition"]},
        categories=categories,
        regions=dict(zip(regions["code"], regions["nom"], strict=True)),
        departements={
            c: f"{c} — {n}" for c, n in zip(departements["code"], departements["nom"], strict=True)
        },
        structures={
            s: labels.get(s, s)
            for s in sorted_by_name(structures["structure_type"], lambda s: labels.get(s, s))
        },
    )


def filter_options() -> FilterOptions:
    """Choices of every shared filter, from the warehouse and the edition configs (asked
    by the frame and again by most pages: kept for the run, :func:`db.run_memo`)."""
    memo = db.run_memo()
    if memo is not None and "filter_options" in memo:
        options: FilterOptions = memo["filter_options"]
        return options
    version = db.warehouse_version()
    assert version is not None
    options = _filter_options(version)
    if memo is not None:
        memo["filter_options"] = options
    return options


def _structure_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for edition in configured_editions():
        for value in edition.vocabulary("structure_type").valeurs:
            labels.setdefault(value.code, value.libelle)
    return labels


def where(filters: Filters, alias: str = "c") -> tuple[str, list[object]]:
    """SQL condition on the ``candidatures`` view (aliased) and its bound parameters: the
    one definition of the shared filters, shared with the notebooks and the press kit
    (:func:`etl.semantic.key_figures.condition`)."""
    return key_figures.condition(filters, alias)


@st.cache_data(ttl=300, max_entries=64)
def _candidatures(version: int, filters: Filters) -> pl.DataFrame:
    condition, params = where(filters)
    return db.frame(f"select c.* from candidatures c where {condition}", params)  # noqa: S608


def candidatures(filters: Filters) -> pl.DataFrame:
    """Current candidatures matching the shared filters (one row each, no contacts)."""
    version = db.warehouse_version()
    assert version is not None
    return _candidatures(version, filters)


@st.cache_data(ttl=3600, max_entries=1)
def national_figures_table() -> pl.DataFrame:
    """Every context figure shown in the app, with its value in French, year, scope, source."""
    from etl.french import format_hours, format_share
    from etl.semantic.national import national_figures

    figures = list(national_figures().values())
    return pl.DataFrame(
        {
            "Chiffre": [f.libelle for f in figures],
            "Valeur": [
                f"{f.prefixe} {format_hours(int(f.valeur))}".strip()
                if f.unite == "h"
                else format_share(f.valeur)
                for f in figures
            ],
            "Année": [str(f.annee) for f in figures],
            "Portée": [f.portee for f in figures],
            "Source": [f.source for f in figures],
        }
    )

"""Questions of the « Comparer » page: which candidatures can be compared, against which
category, and where each one stands in it (values, category medians, percentile ranks).

The comparison is made within one edition (the one chosen in the shared filters, else the
most recent) and one reference category (the one chosen in the shared filters, else the
first category of that edition). The reference population is every candidature that
applied for that category in that edition, eligible or not, whatever the other filters:
moving the region filter must not move a candidature's rank in its category.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
import streamlit as st

from dashboard import db, queries
from dashboard.filters import Filters
from etl.french import sort_frame_by_name
from etl.semantic import indicators, naming

CODES = tuple(i.code for i in (*indicators.VOLUMES, *indicators.NORMALISES))
"""Every indicator compared on the page (volumes, then normalised)."""

MAX_SELECTION = 6

_COLONNES = ", ".join(
    [f"c.{i.code}" for i in indicators.VOLUMES] + [f"i.{i.code}" for i in indicators.NORMALISES]
)


@dataclass(frozen=True)
class Reference:
    """The edition and category candidatures are compared within."""

    edition: int
    categorie: str
    libelle: str
    choisie: bool
    """Whether the category comes from the shared filter (else: the edition's first)."""


@dataclass(frozen=True)
class Comparaison:
    """Everything the page shows about the selected candidatures.

    ``selection``: one row per selected candidature, in selection order, with ``libelle``,
    ``dans_categorie`` and the indicator columns :data:`CODES`; ``centiles``: one row per
    candidature × indicator (see :func:`etl.semantic.indicators.rangs_centiles`); ``medianes``: one
    row per indicator over the reference population, of size ``effectif``.
    """

    reference: Reference
    selection: pl.DataFrame
    centiles: pl.DataFrame
    medianes: pl.DataFrame
    effectif: int


def libelles(frame: pl.DataFrame) -> list[str]:
    """Labels of the rows of a frame, with their edition (``etl.semantic.naming``)."""
    return naming.candidature_labels(frame)


def reference(filters: Filters) -> Reference | None:
    """The edition and category of the comparison (None when nothing is loaded).

    Without a category in the filters: the edition's first category that at least two
    candidatures matching the filters applied for (else its first category).
    """
    chargees = set(queries.filter_options().editions)
    editions = [e for e in queries.configured_editions() if e.annee in chargees]
    if filters.edition is not None:
        editions = [e for e in editions if e.annee == filters.edition]
    if not editions:
        return None
    avec_categorie = [e for e in editions if filters.categorie in {c.code for c in e.categories}]
    edition = (avec_categorie or editions)[0]
    codes = {c.code: c.libelle for c in edition.categories}
    if filters.categorie in codes:
        return Reference(edition.annee, filters.categorie, codes[filters.categorie], True)
    version = db.warehouse_version()
    assert version is not None
    choix = _options(version, filters, edition.annee)
    effectifs = choix.select(pl.col("categories").explode().value_counts()).unnest("categories")
    compte = dict(zip(effectifs["categories"], effectifs["count"], strict=True))
    code = next((c for c in codes if compte.get(c, 0) >= 2), edition.categories[0].code)
    return Reference(edition.annee, code, codes[code], False)


@st.cache_data(ttl=300, max_entries=32)
def _options(version: int, filters: Filters, edition: int) -> pl.DataFrame:
    condition, params = queries.where(filters)
    frame = db.frame(
        f"""
        select c.candidature_id, c.edition, c.structure_nom, c.projet_titre,
               c.heures_insertion, c.categories
        from candidatures c
        where {condition} and c.edition = ?
        """,  # noqa: S608 - condition built from code, values bound
        [*params, edition],
    )
    frame = sort_frame_by_name(frame, "structure_nom", "projet_titre", then=["candidature_id"])
    return frame.with_columns(pl.Series("libelle", libelles(frame), dtype=pl.String))


def options(filters: Filters, ref: Reference) -> pl.DataFrame:
    """Candidatures that may be selected: the shared filters, in the reference edition.

    Columns ``candidature_id``, ``libelle`` (unique), ``heures_insertion``, ``categories``.
    """
    version = db.warehouse_version()
    assert version is not None
    return _options(version, filters, ref.edition)


def selection_par_defaut(frame: pl.DataFrame, categorie: str) -> list[str]:
    """The candidatures of the category with the most hours, at most six (ids)."""
    dans = frame.filter(pl.col("categories").list.contains(categorie))
    dans = dans.sort("heures_insertion", descending=True, nulls_last=True)
    return dans["candidature_id"].head(MAX_SELECTION).to_list()


@st.cache_data(ttl=300, max_entries=16)
def _population(version: int, edition: int, categorie: str) -> pl.DataFrame:
    return db.frame(
        f"""
        select c.candidature_id, {_COLONNES}
        from candidature_categories k
        join candidatures c using (candidature_id)
        join indicateurs i using (candidature_id)
        where k.edition = ? and k.categorie_code = ?
        """,  # noqa: S608 - columns from code
        [edition, categorie],
    )


def population(edition: int, categorie: str) -> pl.DataFrame:
    """The reference population: every candidature of the category in the edition, with
    ``candidature_id`` and the indicator columns :data:`CODES`."""
    version = db.warehouse_version()
    assert version is not None
    return _population(version, edition, categorie)


@st.cache_data(ttl=300, max_entries=32)
def _selection(version: int, ids: tuple[str, ...]) -> pl.DataFrame:
    frame = db.frame(
        f"""
        select c.candidature_id, c.edition, c.structure_nom, c.projet_titre, c.categories,
               {_COLONNES}
        from candidatures c join indicateurs i using (candidature_id)
        where list_contains(?, c.candidature_id)
        """,  # noqa: S608 - columns from code
        [list(ids)],
    )
    ordre = pl.DataFrame({"candidature_id": list(ids), "_ordre": range(len(ids))})
    frame = frame.join(ordre, on="candidature_id").sort("_ordre").drop("_ordre")
    return frame.with_columns(pl.Series("libelle", libelles(frame), dtype=pl.String))


def comparaison(ids: Sequence[str], ref: Reference) -> Comparaison:
    """Values, category medians and percentile ranks of the selected candidatures."""
    version = db.warehouse_version()
    assert version is not None
    reference_population = population(ref.edition, ref.categorie)
    selection = _selection(version, tuple(ids)).with_columns(
        pl.col("categories").list.contains(ref.categorie).alias("dans_categorie")
    )
    return Comparaison(
        reference=ref,
        selection=selection,
        centiles=indicators.rangs_centiles(selection, reference_population, CODES),
        medianes=indicators.medianes(reference_population, CODES),
        effectif=reference_population.height,
    )

"""Questions of the « Vue d'ensemble » page: key figures, breakdowns, eligibility, context.

:func:`overview` answers them all for one set of shared filters, cached per warehouse
version as one :class:`Overview` (figures included). The key figures come from
``etl.semantic.key_figures`` (one definition for the app, the notebooks and the press kit):
counts of people by public (women, seniors, QPV residents) are only summed over
candidatures that report both that count and the participants, and the result says over
how many candidatures, so a share is never computed on mismatched bases.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

import plotly.graph_objects as go
import polars as pl
import pyarrow as pa
import streamlit as st

from dashboard import charts, db, queries
from dashboard.filters import ELIGIBILITE, FilterOptions, Filters
from etl.french import format_hours, format_integer, format_share
from etl.semantic import key_figures, national

PUBLICS = key_figures.PUBLICS
PublicShare = key_figures.PartPublic
KeyFigures = key_figures.ChiffresCles
"""The key figures are defined once, in ``etl.semantic.key_figures`` (shared with the notebooks
and the press kit); this page runs that query on its cached read-only connection."""


def _key_figures(filters: Filters) -> KeyFigures:
    sql, params = key_figures.requete(filters)
    return key_figures.depuis_ligne(db.frame(sql, params).row(0, named=True))


def _by_category(filters: Filters) -> pl.DataFrame:
    """Per edition × prize: candidatures (a candidature may seek several prizes), eligible
    ones, rural borderline cases and insertion hours, with the prize's label that year."""
    condition, params = queries.where(filters)
    only = ""
    if filters.categorie is not None:
        only = "and kc.categorie_code = ?"
        params = [*params, filters.categorie]
    counts = db.frame(
        f"""
        select kc.edition, kc.categorie_code,
               count(*) as candidatures,
               count(*) filter (where kc.eligible) as eligibles,
               count(*) filter (where kc.cas_limite) as cas_limites,
               coalesce(sum(c.heures_insertion), 0)::bigint as heures
        from candidature_categories kc
        join candidatures c on c.candidature_id = kc.candidature_id
        where {condition} {only}
        group by all
        """,  # noqa: S608 - identifiers from code, values bound
        params,
    )
    prizes = [(e.annee, k) for e in queries.configured_editions() for k in e.categories]
    labels = pl.DataFrame(
        {
            "edition": [annee for annee, _ in prizes],
            "categorie_code": [k.code for _, k in prizes],
            "numero": [k.numero for _, k in prizes],
            "prix": [k.libelle for _, k in prizes],
        },
        schema={
            "edition": pl.Int32,
            "categorie_code": pl.String,
            "numero": pl.Int64,
            "prix": pl.String,
        },
    )
    return (
        counts.with_columns(pl.col("edition").cast(pl.Int32))
        .join(labels, on=["edition", "categorie_code"], how="left")
        .with_columns(
            pl.col("prix").fill_null(pl.col("categorie_code")),
            ("Édition " + pl.col("edition").cast(pl.String)).alias("serie"),
        )
        .sort(["edition", "numero"], descending=[True, False])
    )


def _by_structure_type(filters: Filters) -> pl.DataFrame:
    """Per type of structure (label from the edition vocabulary): candidatures and hours."""
    condition, params = queries.where(filters)
    counts = db.frame(
        f"""
        select coalesce(structure_type, 'non renseigné') as structure_type,
               count(*) as candidatures,
               coalesce(sum(heures_insertion), 0)::bigint as heures
        from candidatures c where {condition}
        group by all order by candidatures desc
        """,  # noqa: S608 - identifiers from code, values bound
        params,
    )
    labels = queries.filter_options().structures
    return counts.with_columns(
        pl.col("structure_type")
        .replace_strict(labels, default=pl.col("structure_type"), return_dtype=pl.String)
        .alias("type")
    )


@dataclass(frozen=True)
class Eligibility:
    """Eligibility verdicts of the candidatures in scope."""

    eligibles: int
    non_eligibles: int
    hors_delai: int
    motifs: pa.Table


def _eligibility(filters: Filters) -> Eligibility:
    condition, params = queries.where(filters)
    row = db.frame(
        f"""
        select count(*) filter (where eligible) as eligibles,
               count(*) filter (where not eligible) as non_eligibles,
               count(*) filter (where hors_delai) as hors_delai
        from candidatures c where {condition}
        """,  # noqa: S608 - identifiers from code, values bound
        params,
    ).row(0, named=True)
    motifs = db.frame(
        f"""
        select motif as "Motif d'inéligibilité", count(*) as "Candidatures"
        from candidatures c, unnest(c.motifs) as m(motif)
        where {condition}
        group by all order by 2 desc, 1
        """,  # noqa: S608 - identifiers from code, values bound
        params,
    )
    return Eligibility(
        eligibles=int(row["eligibles"]),
        non_eligibles=int(row["non_eligibles"]),
        hors_delai=int(row["hors_delai"]),
        motifs=motifs.to_arrow(),
    )


@dataclass(frozen=True)
class Context:
    """Published reference figures: national ones (cards) and the others (a table saying
    their scope) — a regional figure is never shown among the national ones."""

    nationaux: tuple[national.NationalFigure, ...]
    autres: pa.Table


@st.cache_resource(ttl=300, max_entries=1)
def context() -> Context:
    """The reference figures of ``config/references_nationales.toml``, split by scope."""
    figures = list(national.national_figures().values())
    return Context(
        nationaux=tuple(f for f in figures if is_national(f)),
        autres=reference_table([f for f in figures if not is_national(f)]),
    )


def is_national(figure: national.NationalFigure) -> bool:
    """Whether the figure's scope is the whole of France (« France », « France (…) »)."""
    return figure.portee == "France" or figure.portee.startswith("France ")


def reference_value(figure: national.NationalFigure) -> str:
    """The figure as shown on a card: ``plus de 29 000 000 h``, ``18,7 %``."""
    shown = format_hours(int(figure.valeur)) if figure.unite == "h" else format_share(figure.valeur)
    return f"{figure.prefixe} {shown}".strip()


def reference_table(figures: list[national.NationalFigure]) -> pa.Table:
    """Reference figures as a table: indicator, value, scope, year, source."""
    return pl.DataFrame(
        {
            "Indicateur": [f.libelle for f in figures],
            "Valeur": [reference_value(f) for f in figures],
            "Portée": [f.portee for f in figures],
            "Année": [str(f.annee) for f in figures],
            "Source": [f.source for f in figures],
        }
    ).to_arrow()


def reference_caption(figure: national.NationalFigure) -> str:
    """Scope, year and source of a reference figure, in one line."""
    return f"Portée : {figure.portee} · année : {figure.annee} · source : {figure.source}"


def scope_label(filters: Filters, options: FilterOptions) -> str:
    """The filters in force, in French: ``Édition 2024 · Région : Occitanie``."""
    parts = [
        f"Édition {filters.edition}"
        if filters.edition is not None
        else "Toutes éditions (" + ", ".join(str(e) for e in sorted(options.editions)) + ")"
    ]
    named = [
        ("Catégorie", filters.categorie, options.categories),
        ("Région", filters.region, options.regions),
        ("Département", filters.departement, options.departements),
        ("Type de structure", filters.structure, options.structures),
        ("Éligibilité", filters.eligibilite, ELIGIBILITE),
    ]
    for title, value, labels in named:
        if value is not None:
            parts.append(f"{title} : {labels.get(value, value)}")
    return " · ".join(parts)


COMPTES = charts.Measure("candidatures", "Candidatures", format_integer, "candidatures")
HEURES = charts.Measure("heures", "Heures d'insertion", format_hours)
MEASURES = (COMPTES, HEURES)
"""Each breakdown shows how many candidatures and how many insertion hours."""


@dataclass(frozen=True)
class Chart:
    """A figure ready to show and the French sentences that stand in for it."""

    figure: go.Figure
    text_alternative: str


@dataclass(frozen=True)
class Overview:
    """Everything the page shows for one set of filters (tables as Arrow: Streamlit sends
    an Arrow table as is, while a polars frame goes through pandas, ~40 times slower)."""

    scope: str
    key: KeyFigures
    categories: Chart
    structure_types: Chart
    eligibility: Eligibility
    prizes: pa.Table


def _chart(frame: pl.DataFrame, label: str, title: str, scope: str, series: str | None) -> Chart:
    figure = charts.bar_chart(
        frame, label=label, measures=MEASURES, title=title, scope=scope, series=series
    )
    return Chart(
        # frozen: cached and shared, its dict form is built once instead of on every rerun
        charts.FrozenFigure(figure).freeze(),
        charts.bars_text_alternative(frame, label=label, measures=MEASURES, series=series),
    )


# One cache entry per filter set, kept as objects (cache_resource, no copy on read):
# building a Plotly figure validates every property (milliseconds each), and copying
# frames and figures out of cache_data on every rerun cost more than the page itself.
# Nothing here is modified after it is built (polars frames and figures are only read).
@st.cache_resource(ttl=300, max_entries=32)
def _overview(version: int, key: tuple[object, ...]) -> Overview:
    filters = Filters(*key)  # type: ignore[arg-type]
    scope = scope_label(filters, queries.filter_options())
    categories = _by_category(filters)
    series = "serie" if categories["edition"].n_unique() > 1 else None
    return Overview(
        scope=scope,
        key=_key_figures(filters),
        categories=_chart(
            categories, "prix", "Candidatures et heures par catégorie", scope, series
        ),
        structure_types=_chart(
            _by_structure_type(filters),
            "type",
            "Candidatures et heures par type de structure",
            scope,
            None,
        ),
        eligibility=_eligibility(filters),
        prizes=categories.select(
            pl.col("serie").alias("Édition"),
            pl.col("prix").alias("Prix"),
            pl.col("candidatures").alias("Candidatures"),
            pl.col("eligibles").alias("Éligibles"),
            pl.col("cas_limites").alias("Cas limites du test rural"),
        ).to_arrow(),
    )


def overview(filters: Filters) -> Overview:
    """Key figures, breakdowns by prize and by type of structure, and eligibility of the
    candidatures matching the shared filters."""
    return _overview(queries.version(), astuple(filters))

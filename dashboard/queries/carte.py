"""Questions of the « Carte » page: indicators by territory, candidature points, the figure.

Territories are counted from the ``candidatures`` view with the shared filters (bound
parameters); populations come from ``ref_departements`` / ``ref_regions`` (populations
légales, the same vintage as the reference geography). A département or région filter
zooms the map: only its territories are drawn and ranked.

Frames are cached with ``st.cache_data``. The figure and the display layers are cached
with ``st.cache_resource`` instead: unpickling a Plotly figure that carries its GeoJSON
rebuilds and re-validates it (≈ 0.35 s), more than building the frames. They are shared,
read-only objects, and the figure is frozen (``maps.FrozenFigure``): its dict form is
computed once instead of being deep-copied by ``st.plotly_chart`` on every rerun.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

import polars as pl
import pyarrow as pa
import streamlit as st

from dashboard import db, maps, queries
from dashboard.filters import Filters

TERRITOIRES: dict[str, tuple[str, str]] = {
    "departement": ("ref_departements", "departement_code"),
    "region": ("ref_regions", "region_code"),
}
"""Map grain → (reference view, column of ``candidatures`` holding the territory code)."""


@dataclass(frozen=True)
class HorsCarte:
    """Candidatures in scope that the map cannot place: without département, without
    région (absent from the map of that grain), without commune point (no bubble)."""

    total: int
    sans_departement: int
    sans_region: int
    sans_commune: int

    def hors_territoire(self, maille: str) -> int:
        """Candidatures absent from the map of ``maille``."""
        return self.sans_departement if maille == "departement" else self.sans_region

    def sans_bulle(self, maille: str) -> int:
        """Candidatures counted in a territory of ``maille`` but without a bubble."""
        return self.sans_commune - self.hors_territoire(maille)


def _scope_condition(filters: Filters, maille: str) -> tuple[str, list[object]]:
    """Which territories of the grain are drawn: all, or those of the filtered territory."""
    if maille == "departement":
        if filters.departement is not None:
            return "t.code = ?", [filters.departement]
        if filters.region is not None:
            return "t.region_code = ?", [filters.region]
    else:
        if filters.departement is not None:
            return "t.code = (select region_code from ref_departements where code = ?)", [
                filters.departement
            ]
        if filters.region is not None:
            return "t.code = ?", [filters.region]
    return "true", []


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _territoires(version: int, filters: Filters, maille: str) -> pl.DataFrame:
    table, column = TERRITOIRES[maille]
    condition, params = queries.where(filters)
    scope, scope_params = _scope_condition(filters, maille)
    frame = db.frame(
        f"""
        with parts as (
            select c.{column} as code, count(*) as candidatures,
                   coalesce(sum(c.heures_insertion), 0) as heures
            from candidatures c
            where {condition} and c.{column} is not null
            group by 1
        )
        select t.code, t.nom, t.population,
               coalesce(p.candidatures, 0)::bigint as candidatures,
               coalesce(p.heures, 0)::bigint as heures
        from {table} t left join parts p on p.code = t.code
        where {scope}
        order by t.code
        """,  # noqa: S608 - table, column and conditions come from code
        [*params, *scope_params],
    )
    return maps.territory_indicators(frame)


def territoires(filters: Filters, maille: str) -> pl.DataFrame:
    """One row per territory of the grain in scope: ``code``, ``nom``, ``population``,
    ``candidatures``, ``heures`` (insertion hours; unreported count as 0),
    ``candidatures_1000``, ``heures_1000`` (per 1 000 inhabitants)."""
    return _territoires(queries.version(), filters, maille)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _points(version: int, filters: Filters) -> pl.DataFrame:
    condition, params = queries.where(filters)
    return db.frame(
        f"""
        select c.edition, c.structure_nom, c.heures_insertion, c.categories,
               c.commune_code, r.nom as commune_nom, c.departement_code,
               r.carte_longitude, r.carte_latitude
        from candidatures c join ref_communes r on r.code = c.commune_code
        where {condition} and r.carte_longitude is not null
        """,  # noqa: S608 - condition from code, values bound
        params,
    )


def points(filters: Filters) -> pl.DataFrame:
    """Candidatures placed on the map (their commune's point in the map layout), one row
    each: ``edition``, ``structure_nom``, ``heures_insertion``, ``categories``,
    ``commune_code``, ``commune_nom``, ``departement_code``, ``carte_longitude``,
    ``carte_latitude``."""
    return _points(queries.version(), filters)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _hors_carte(version: int, filters: Filters) -> HorsCarte:
    condition, params = queries.where(filters)
    row = db.frame(
        f"""
        select count(*) as total,
               count(*) filter (where c.departement_code is null) as sans_departement,
               count(*) filter (where c.region_code is null) as sans_region,
               count(*) filter (where r.carte_longitude is null) as sans_commune
        from candidatures c left join ref_communes r on r.code = c.commune_code
        where {condition}
        """,  # noqa: S608 - condition from code, values bound
        params,
    ).row(0, named=True)
    return HorsCarte(**{k: int(v) for k, v in row.items()})


def hors_carte(filters: Filters) -> HorsCarte:
    """How many candidatures in scope the map cannot place (see :class:`HorsCarte`)."""
    return _hors_carte(queries.version(), filters)


@st.cache_data(ttl=300, max_entries=4, show_spinner=False)
def _inset_labels(version: int) -> dict[str, str]:
    frame = db.frame("select code, nom from ref_departements where code like '97%'")
    return dict(zip(frame["code"], frame["nom"], strict=True))


@st.cache_resource(ttl=3600, max_entries=16, show_spinner=False)
def _display_layer(maille: str, codes: tuple[str, ...], layer_version: int) -> dict[str, Any]:
    return maps.display_layer(maps.reference_layer(maille), codes=codes)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _commune_points(version: int, filters: Filters) -> pl.DataFrame:
    return maps.commune_points(_points(version, filters), with_edition=filters.edition is None)


def commune_points(filters: Filters) -> pl.DataFrame:
    """The bubbles of the map: one row per commune with candidatures (``maps.commune_points``)."""
    return _commune_points(queries.version(), filters)


@dataclass(frozen=True)
class Carte:
    """Everything the page shows for one (filters, grain, indicator): the map (frozen,
    shared: never modify it), its text alternative, what it leaves out (or None), and the
    leading territories as a French text table (Arrow: ``st.table`` converts a polars
    frame on every rerun, about 0,15 ms)."""

    figure: maps.FrozenFigure
    alternative: str
    absentes: str | None
    classement: pa.Table


@st.cache_resource(ttl=300, max_entries=32, show_spinner=False)
def _carte(
    version: int, key: tuple[object, ...], maille: str, code_indicateur: str, scope: str
) -> Carte:
    filters = Filters(*key)  # type: ignore[arg-type]
    indicateur = maps.INDICATEURS[code_indicateur]
    frame = _territoires(version, filters, maille)
    points = _commune_points(version, filters)
    zoomed = filters.zoomed
    codes = tuple(frame["code"].to_list()) if zoomed else ()
    layer = _display_layer(maille, codes, maps.layer_version(maille))
    metadata = queries.reference_metadata() or {}
    figure = maps.territory_choropleth(
        frame,
        layer,
        points,
        indicateur=indicateur,
        maille=maille,
        scope=scope,
        insets=None if zoomed else metadata.get("insets"),
        inset_labels=_inset_labels(version),
    ).freeze()
    absent = _hors_carte(version, filters)
    return Carte(
        figure=figure,
        alternative=maps.map_text_alternative(frame, indicateur, maille, points),
        absentes=maps.off_map_text(
            maille, absent.total, absent.hors_territoire(maille), absent.sans_bulle(maille)
        ),
        classement=maps.top_territories(frame, indicateur, maille).to_arrow(),
    )


def carte(filters: Filters, maille: str, indicateur: str, scope: str) -> Carte:
    """The map, its text alternative and its table for the page (cached, shared)."""
    # a tuple of plain values hashes faster than the dataclass (measured on every rerun)
    return _carte(queries.version(), astuple(filters), maille, indicateur, scope)

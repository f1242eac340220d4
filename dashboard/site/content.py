"""What the public palmarès site of an edition says, read once (no streamlit, no HTML).

Built on the press kit's :func:`~dashboard.press.kit.prepare`, so the site, the press kit
and the app share one definition of every figure (the semantic layer), one embargo rule and
one list of laureates. Nothing here holds personal data: laureates are
:class:`~dashboard.press.laureates.Laureat` (structure, project, territory, figures), the
map counts candidatures per territory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dashboard.press import kit
from dashboard.press.figures import ChiffreCle
from dashboard.press.laureates import Laureat
from etl import warehouse
from etl.editions.model import Category
from etl.french import fold_accents, format_date


@dataclass(frozen=True)
class Prize:
    """One prize of the edition as the site shows it."""

    categorie: Category
    candidatures: int
    laureats: tuple[Laureat, ...]  # empty under embargo


@dataclass(frozen=True)
class SiteContent:
    """Everything the pages of one edition's site are written from."""

    context: kit.Contexte
    prizes: tuple[Prize, ...]
    territories: pl.DataFrame  # code, nom, population, candidatures, heures (départements)
    regions: pl.DataFrame  # nom, candidatures (régions, most first)

    @property
    def fictif(self) -> bool:
        return self.context.fictif

    @property
    def embargo_lifted(self) -> bool:
        return self.context.embargo.leve

    @property
    def laureates(self) -> list[Laureat]:
        """Laureates the site may name: none before the ceremony."""
        return self.context.laureats_publics

    @property
    def figures(self) -> list[ChiffreCle]:
        return kit.featured_figures(self.context)

    @property
    def ceremony(self) -> str:
        return format_date(self.context.embargo.ceremonie)


def slug(laureat: Laureat) -> str:
    """The file name of a laureate's page: prize code and structure, ASCII, stable across
    builds: ``comm-plie-du-val-de-loire``."""
    text = fold_accents(f"{laureat.categorie_code} {laureat.structure}").lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return "-".join(words)[:80].strip("-") or laureat.candidature_id


def _territories(con: duckdb.DuckDBPyConnection, annee: int) -> pl.DataFrame:
    frame: pl.DataFrame = con.sql(
        """
        with parts as (
            select departement_code as code, count(*) as candidatures,
                   coalesce(sum(heures_insertion), 0) as heures
            from candidatures where edition = ? and departement_code is not null group by 1
        )
        select t.code, t.nom, t.population,
               coalesce(p.candidatures, 0)::bigint as candidatures,
               coalesce(p.heures, 0)::bigint as heures
        from ref_departements t left join parts p on p.code = t.code
        order by t.code
        """,
        params=[annee],
    ).pl()
    return frame


def _regions(con: duckdb.DuckDBPyConnection, annee: int) -> pl.DataFrame:
    frame: pl.DataFrame = con.sql(
        """
        select r.nom, count(c.candidature_id)::bigint as candidatures
        from ref_regions r
        left join candidatures c on c.region_code = r.code and c.edition = ?
        group by r.nom
        having count(c.candidature_id) > 0
        order by candidatures desc, r.nom
        """,
        params=[annee],
    ).pl()
    return frame


def gather(
    annee: int,
    *,
    aujourdhui: date | None = None,
    warehouse_path: Path | None = None,
    store_path: Path | None = None,
    store_con: duckdb.DuckDBPyConnection | None = None,
) -> SiteContent:
    """Read the warehouse and the deliberation store for edition ``annee`` (``store_con``:
    the app's own connection to the store, else a reader is opened)."""
    context = kit.prepare(
        annee,
        aujourdhui=aujourdhui,
        warehouse_path=warehouse_path,
        store_path=store_path,
        store_con=store_con,
    )
    public = context.laureats_publics
    prizes = tuple(
        Prize(
            categorie=c,
            candidatures=context.candidatures_par_prix.get(c.code, 0),
            laureats=tuple(x for x in public if x.categorie_code == c.code),
        )
        for c in context.edition.categories
    )
    con = warehouse.connect(warehouse_path)
    try:
        return SiteContent(
            context=context,
            prizes=prizes,
            territories=_territories(con, annee),
            regions=_regions(con, annee),
        )
    finally:
        con.close()

"""Finding a commune of the reference as the organiser types it: a name (accents and case
ignored, « St » for « Saint »), a postcode, or either with a département code — for the
« fixer le territoire » correction, which shows each candidate's population, département
and the rural verdict it implies."""

from __future__ import annotations

import re

import polars as pl

from etl.frames import apply
from etl.reference import Reference
from etl.rural import RuralThresholds, rural_verdict
from etl.territory.names import ascii_upper

RESULTS = 20


def _key(text: str) -> str:
    upper = ascii_upper(text)
    upper = re.sub(r"\bSTE\b", "SAINTE", re.sub(r"\bST\b", "SAINT", upper))
    return re.sub(r"[^A-Z0-9]+", " ", upper).strip()


def search_communes(
    reference: Reference,
    text: str,
    *,
    rural: RuralThresholds | None = None,
    millesime: str = "populations légales",
    limit: int = RESULTS,
) -> pl.DataFrame:
    """Communes matching ``text``, exact names first then the most populated: ``code``,
    ``nom``, ``codes_postaux``, ``departement_code``, ``departement_nom``, ``population``,
    and with ``rural`` the verdict in French (``rural``)."""
    words = text.strip()
    if not words:
        return pl.DataFrame()
    postcode = re.search(r"\b(\d{5})\b", words)
    departement = re.search(r"\((\d{2,3}|2[AB])\)|\b(\d{2,3}|2[AB])$", words.upper())
    name = _key(re.sub(r"\(.*?\)|\b\d{5}\b|\b\d{2,3}$", " ", words))
    communes = reference.communes.join(
        reference.departements.select(
            pl.col("code").alias("departement_code"),
            pl.col("nom").alias("departement_nom"),
            pl.col("population").alias("departement_population"),
        ),
        on="departement_code",
        how="left",
    )
    found = communes
    if postcode:
        found = found.filter(pl.col("codes_postaux").list.contains(postcode.group(1)))
    if departement:
        code = departement.group(1) or departement.group(2)
        found = found.filter(pl.col("departement_code") == code.zfill(2))
    if name:
        keys = apply(found["nom"], _key)
        found = found.with_columns(keys.alias("cle")).filter(
            pl.col("cle").str.contains(name, literal=True)
        )
        found = found.with_columns((pl.col("cle") == name).alias("exact")).sort(
            ["exact", "population"], descending=True, nulls_last=True
        )
    else:
        found = found.sort("population", descending=True, nulls_last=True)
    found = found.head(limit).select(
        "code",
        "nom",
        "codes_postaux",
        "departement_code",
        "departement_nom",
        "population",
        "departement_population",
    )
    if rural is None:
        return found.drop("departement_population")
    verdicts = [
        rural_verdict(c, d, rural, millesime=millesime).statut
        for c, d in found.select("population", "departement_population").iter_rows()
    ]
    return found.drop("departement_population").with_columns(
        pl.Series("rural", verdicts, dtype=pl.String)
    )

"""What the Carte page shows, as frames: indicators by territory, one bubble per commune,
the table of leading territories and the map's text alternative (pure functions).

Numbers are written the French way (:mod:`etl.french`); text typed by candidates
(structure names) is escaped before it reaches a Plotly tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from dashboard.charts import plain
from etl.french import format_decimal, format_hours, format_integer, plural

MAILLES: dict[str, str] = {"departement": "Départements", "region": "Régions"}
"""Map grain → label of the switch."""

MAILLE_NOMS: dict[str, tuple[str, str]] = {
    "departement": ("département", "départements"),
    "region": ("région", "régions"),
}
"""Map grain → (singular, plural) in running text."""

POPULATION_TAUX = 1_000
"""Rates are per 1 000 inhabitants: the base of every rate of the product (the semantic
layer's ``heures_pour_1000_habitants``, the Vue d'ensemble, the press kit)."""

POUR_MILLE = f"pour {format_integer(POPULATION_TAUX)} habitants"
"""How rates are named, with the French narrow no-break space in « 1 000 »."""

LIGNES_SURVOL = 3
"""Candidatures listed in a bubble's tooltip; the rest are counted (« et 4 autres »)."""

SURVOL_BUDGET = 60_000
"""Characters of candidature lines the tooltips of a map may carry: they travel with the
figure on every rerun. An edition (≤ 150 candidatures) is always listed in full; at
thousands of candidatures, tooltips keep the commune, its count and its hours."""


@dataclass(frozen=True)
class Indicateur:
    """What colours the map: a column of :func:`territory_indicators` and how to write it."""

    code: str
    libelle: str
    legende: str
    colonne: str
    taux: bool

    def format(self, value: float | None) -> str:
        """The value in French (« 12 345 h », « 0,45 »)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        if self.taux:
            return format_taux(value)
        return format_hours(round(value)) if self.code == "heures" else format_integer(round(value))


INDICATEURS: dict[str, Indicateur] = {
    i.code: i
    for i in (
        Indicateur("candidatures", "Nombre de candidatures", "Candidatures", "candidatures", False),
        Indicateur("heures", "Heures d'insertion réalisées", "Heures", "heures", False),
        Indicateur(
            "candidatures_1000",
            f"Candidatures {POUR_MILLE}",
            f"Cand. pour<br>{format_integer(POPULATION_TAUX)} hab.",
            "candidatures_1000",
            True,
        ),
        Indicateur(
            "heures_1000",
            f"Heures d'insertion {POUR_MILLE}",
            f"Heures pour<br>{format_integer(POPULATION_TAUX)} hab.",
            "heures_1000",
            True,
        ),
    )
}
"""Indicators offered by the Carte page, by URL code."""


def format_taux(value: float) -> str:
    """A rate with two significant digits at least: ``0.00384`` → ``0,0038``, ``12.34`` →
    ``12,3``, ``1234.5`` → ``1 235``."""
    if value == 0:
        return "0"
    decimales = min(4, max(0, 1 - math.floor(math.log10(abs(value)))))
    return format_decimal(value, decimales)


def territory_indicators(territoires: pl.DataFrame) -> pl.DataFrame:
    """Add the rates per 1 000 inhabitants to one row per territory.

    In: ``code``, ``nom``, ``population`` (inhabitants), ``candidatures``, ``heures``
    (insertion hours, unreported hours count as 0). Out: the same plus
    ``candidatures_1000`` and ``heures_1000`` (per 1 000 inhabitants; null without
    population).
    """
    per = pl.when(pl.col("population") > 0).then(POPULATION_TAUX / pl.col("population"))
    return territoires.with_columns(
        (pl.col("candidatures") * per).alias("candidatures_1000"),
        (pl.col("heures") * per).alias("heures_1000"),
    )


def _candidature_line(row: Mapping[str, Any], with_edition: bool) -> str:
    heures = row["heures_insertion"]
    parts = [
        plain(str(row["structure_nom"] or "Structure non renseignée")),
        "heures non renseignées" if heures is None else format_hours(int(heures)),
        ", ".join(plain(c) for c in row["categories"] or []) or "sans catégorie",
    ]
    if with_edition:
        parts.append(str(row["edition"]))
    return " · ".join(parts)


def commune_points(candidatures: pl.DataFrame, with_edition: bool) -> pl.DataFrame:
    """One bubble per commune with candidatures, ready to draw.

    In: one row per candidature placed on the map (``commune_code``, ``commune_nom``,
    ``departement_code``, ``carte_longitude``, ``carte_latitude``, ``structure_nom``,
    ``heures_insertion``, ``categories``, ``edition``). Out: ``commune_code``, ``lon``,
    ``lat``, ``candidatures``, ``heures`` (sum, unreported = 0), ``commune_nom``,
    ``departement_code``, and the tooltip's HTML parts: ``titre`` (commune and
    département) and ``detail`` (the largest candidatures with structure, hours and
    categories, each after ``<br>``, within :data:`SURVOL_BUDGET`; candidate text
    escaped). Biggest bubbles first.
    """
    if candidatures.is_empty():
        return pl.DataFrame(
            schema={
                "commune_code": pl.String,
                "commune_nom": pl.String,
                "departement_code": pl.String,
                "lon": pl.Float64,
                "lat": pl.Float64,
                "candidatures": pl.Int64,
                "heures": pl.Int64,
                "titre": pl.String,
                "detail": pl.String,
            }
        )
    ordered = candidatures.sort(
        ["commune_code", "heures_insertion", "structure_nom"],
        descending=[False, True, False],
        nulls_last=True,
    )
    rows: list[dict[str, Any]] = []
    for (code,), group in ordered.group_by(["commune_code"], maintain_order=True):
        first = group.row(0, named=True)
        rows.append(
            {
                "commune_code": code,
                "commune_nom": first["commune_nom"],
                "departement_code": first["departement_code"],
                "lon": first["carte_longitude"],
                "lat": first["carte_latitude"],
                "candidatures": group.height,
                "heures": int(group["heures_insertion"].fill_null(0).sum()),
                "titre": f"<b>{plain(str(first['commune_nom']))}</b> ({first['departement_code']})",
                "lignes": [
                    _candidature_line(r, with_edition)
                    for r in group.head(LIGNES_SURVOL).iter_rows(named=True)
                ],
            }
        )
    detail = _tooltip_detail(rows)
    for row in rows:
        lines = row.pop("lignes")[:detail]
        reste = row["candidatures"] - len(lines)
        if lines and reste:
            lines.append(f"… et {plural(reste, 'autre')}")
        row["detail"] = "".join(f"<br>{line}" for line in lines)
    return pl.DataFrame(rows).sort("heures", descending=True)


def _tooltip_detail(rows: list[dict[str, Any]]) -> int:
    """How many candidatures each tooltip lists: as many as :data:`LIGNES_SURVOL` allows
    within :data:`SURVOL_BUDGET` characters for the whole map, else fewer, else none."""
    for detail in range(LIGNES_SURVOL, 0, -1):
        if sum(len(x) for r in rows for x in r["lignes"][:detail]) <= SURVOL_BUDGET:
            return detail
    return 0


def top_territories(
    frame: pl.DataFrame, indicateur: Indicateur, maille: str, n: int = 10
) -> pl.DataFrame:
    """The ``n`` territories with candidatures that rank highest on the indicator, as French
    text columns for a table: rank, territory, indicator, then candidatures, hours and
    population (less the one the indicator already is)."""
    ranked = (
        frame.filter(pl.col("candidatures") > 0)
        .sort([indicateur.colonne, "code"], descending=[True, False], nulls_last=True)
        .head(n)
    )
    columns: dict[str, list[str]] = {
        "Rang": [str(i) for i in range(1, ranked.height + 1)],
        MAILLE_NOMS[maille][0].capitalize(): [
            f"{c} — {nom}" for c, nom in zip(ranked["code"], ranked["nom"], strict=True)
        ],
        indicateur.libelle: [indicateur.format(v) for v in ranked[indicateur.colonne]],
    }
    if indicateur.colonne != "candidatures":
        columns["Candidatures"] = [format_integer(int(v)) for v in ranked["candidatures"]]
    if indicateur.colonne != "heures":
        columns["Heures d'insertion"] = [format_hours(int(v)) for v in ranked["heures"]]
    columns["Population"] = [format_integer(int(v)) for v in ranked["population"]]
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def map_title(indicateur: Indicateur, maille: str) -> str:
    """« Candidatures pour 1 000 habitants, par département »."""
    return f"{indicateur.libelle}, par {MAILLE_NOMS[maille][0]}"


def map_text_alternative(
    frame: pl.DataFrame, indicateur: Indicateur, maille: str, points: pl.DataFrame
) -> str:
    """One French sentence saying what the map shows: leaders, territories without
    candidatures, bubbles."""
    singulier, pluriel = MAILLE_NOMS[maille]
    with_value = frame.filter(pl.col("candidatures") > 0).sort(
        [indicateur.colonne, "code"], descending=[True, False], nulls_last=True
    )
    if with_value.is_empty():
        return f"Carte par {singulier} : aucune candidature dans ce périmètre."
    leaders = ", ".join(
        f"{r['nom']} ({indicateur.format(r[indicateur.colonne])})"
        for r in with_value.head(3).iter_rows(named=True)
    )
    sans = frame.height - with_value.height
    feminin = maille == "region"
    if sans:
        gris = f"{plural(sans, singulier, pluriel)} sans candidature (en gris)"
    else:
        gris = f"{'aucune' if feminin else 'aucun'} {singulier} sans candidature"
    sentence = (
        f"Carte des {pluriel} {'colorées' if feminin else 'colorés'} selon "
        f"« {indicateur.libelle.lower()} » : en tête {leaders} ; {gris}."
    )
    if not points.is_empty():
        biggest = points.row(0, named=True)
        n = points.height
        sentence += (
            f" {plural(n, 'bulle')} (une par commune, aire "
            f"proportionnelle aux heures) ; la plus grande : {biggest['commune_nom']} "
            f"({biggest['departement_code']}) avec {format_hours(biggest['heures'])}."
        )
    return sentence


def _accord(n: int, singulier: str, pluriel: str) -> str:
    return singulier if n <= 1 else pluriel


def off_map_text(maille: str, total: int, hors_territoire: int, sans_bulle: int) -> str | None:
    """What the map leaves out, in French (None when every candidature is placed).

    ``hors_territoire``: candidatures without a territory of the grain (absent from the
    map); ``sans_bulle``: candidatures counted in their territory but without a commune
    point (no bubble).
    """
    if not hors_territoire and not sans_bulle:
        return None
    singulier = MAILLE_NOMS[maille][0]
    parts = []
    if hors_territoire:
        parts.append(
            f"{format_integer(hors_territoire)} sans {singulier} reconnu"
            f"{'e' if maille == 'region' else ''} "
            + _accord(hors_territoire, "n'apparaît pas", "n'apparaissent pas")
        )
    if sans_bulle:
        parts.append(
            f"{format_integer(sans_bulle)} sans commune reconnue "
            + _accord(sans_bulle, "compte", "comptent")
            + " dans son territoire mais sans bulle"
        )
    return (
        f"Sur {format_integer(total)} {_accord(total, 'candidature', 'candidatures')} du "
        f"périmètre, {' ; '.join(parts)} (voir la page Qualité des données)."
    )


def rates_note(populations: str, zoomed: bool) -> str:
    """How rates are computed (``populations``: vintage of the populations used) and, on a
    map of all France, that the overseas départements are insets at another scale."""
    note = (
        f"Taux : candidatures ou heures d'insertion {POUR_MILLE} du territoire ; "
        f"population : {populations}."
    )
    if not zoomed:
        note += (
            " Les départements et régions d'outre-mer sont dessinés en encart, à une autre échelle."
        )
    return note

"""Polars frames for analysts: the views of the warehouse, filtered the way the app filters.

Entry point (``docs/analyse.md``)::

    from etl import warehouse
    from etl.semantic import analysis
    from etl.semantic.key_figures import Filtres, chiffres_cles

    con = warehouse.connect()                       # read-only: never blocks the app
    analysis.candidatures(con, edition=2024)        # one row per current candidature
    analysis.territoires(con, "region", edition=2024)
    chiffres_cles(con, Filtres(edition=2024))       # the app's key figures, same code

Every helper takes a connection, then either a :class:`~etl.semantic.key_figures.Filtres` (or the
app's shared filters) or the same criteria as keywords (``edition=2024,
categorie="RURAL"``). Filters mean exactly what they mean in the app
(:func:`etl.semantic.key_figures.condition`). The columns of every frame are documented in
``docs/dictionnaire.md`` (section « Tableaux d'analyse »), checked by a test.

Long module: one function per analysts' frame (candidatures, indicators, territories,
trends, funnel), each short; they share the filters and formats defined at the top.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from etl import editions as editions_mod
from etl.editions import Edition
from etl.french import format_hours, format_integer, format_share
from etl.semantic.key_figures import (
    ChiffresCles,
    Filtres,
    FiltresLike,
    condition,
    texte_heures_pour_1000,
    texte_population,
)

RESULTATS_ENV = "TROPHEES_RESULTATS_NOTEBOOK"
"""Environment variable naming the JSON file where a notebook writes the figures it showed
(set by ``tests/test_notebooks.py``, which compares them with the app's)."""

MAILLES: dict[str, tuple[str, str]] = {
    "region": ("ref_regions", "region_code"),
    "departement": ("ref_departements", "departement_code"),
}
"""Territorial grain → (reference view, column of ``candidatures`` holding its code)."""


def _filtres(filtres: FiltresLike | None, criteres: Mapping[str, Any]) -> FiltresLike | None:
    if filtres is not None and criteres:
        raise TypeError("donnez soit des filtres, soit des critères nommés, pas les deux")
    return Filtres(**criteres) if criteres else filtres


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> pl.DataFrame:
    result: pl.DataFrame = con.sql(sql, params=params).pl()
    return result


def candidatures(
    con: duckdb.DuckDBPyConnection, filtres: FiltresLike | None = None, **criteres: Any
) -> pl.DataFrame:
    """The current candidatures of the set, every column of the ``candidatures`` view plus
    the commune's density class (``niveau_densite``, ``classe_densite``, ``urbain_rural``:
    view ``communes_densite``; null when the commune is not known).

    >>> analyse.candidatures(con, edition=2024, region="76").height  # doctest: +SKIP
    """
    where, params = condition(_filtres(filtres, criteres))
    return _frame(
        con,
        f"""
        select c.*, d.niveau_densite, d.classe_densite, d.urbain_rural
        from candidatures c left join communes_densite d on d.code = c.commune_code
        where {where}
        order by c.edition, c.candidature_id
        """,  # noqa: S608 - condition from code, values bound
        params,
    )


def indicateurs(
    con: duckdb.DuckDBPyConnection, filtres: FiltresLike | None = None, **criteres: Any
) -> pl.DataFrame:
    """One row per candidature of the set: who and where (``candidature_id``, ``edition``,
    ``structure_nom``, ``structure_type``, ``region_code``, ``departement_code``,
    ``urbain_rural``) and every normalised indicator of the ``indicateurs`` view (defined
    once, in SQL: the app's Compare page reads the same view).

    >>> analyse.indicateurs(con, edition=2023)["heures_par_participant"].median()  # doctest: +SKIP
    """
    where, params = condition(_filtres(filtres, criteres))
    return _frame(
        con,
        f"""
        select c.candidature_id, c.edition, c.structure_nom, c.structure_type,
               c.region_code, c.departement_code, d.urbain_rural,
               c.heures_insertion, c.nb_participants,
               i.* exclude (candidature_id, edition)
        from candidatures c
        join indicateurs i on i.candidature_id = c.candidature_id
        left join communes_densite d on d.code = c.commune_code
        where {where}
        order by c.edition, c.candidature_id
        """,  # noqa: S608 - condition from code, values bound
        params,
    )


def prix(editions: Mapping[int, Edition] | None = None) -> pl.DataFrame:
    """Every prize of every configured edition and its lineage across editions.

    Columns: ``edition``, ``categorie_code``, ``numero``, ``prix`` (label that year),
    ``suite_de`` (codes it continues in the previous edition, from the edition config),
    ``famille`` and ``famille_libelle``: the prize as followed across editions — a chain
    of ``suite_de`` links is one family, named after its most recent prize; a prize no
    later edition continues is its own family (``suite_en`` is then null).

    >>> analyse.prix().filter(pl.col("edition") == 2024)  # doctest: +SKIP
    """
    loaded = editions if editions is not None else editions_mod.load_editions()
    parent: dict[tuple[int, str], tuple[int, str]] = {}

    def racine(noeud: tuple[int, str]) -> tuple[int, str]:
        while parent.get(noeud, noeud) != noeud:
            noeud = parent[noeud]
        return noeud

    suites: dict[tuple[int, str], list[str]] = {}
    for annee in sorted(loaded):
        edition = loaded[annee]
        for cat in edition.categories:
            parent.setdefault((annee, cat.code), (annee, cat.code))
            if edition.precedente is None:
                continue
            for code in cat.suite_de:
                ancien = (edition.precedente, code)
                parent.setdefault(ancien, ancien)
                # the most recent prize names the family: the older root points to it
                parent[racine(ancien)] = racine((annee, cat.code))
                suites.setdefault(ancien, []).append(cat.code)
    rows = []
    for annee in sorted(loaded):
        for cat in loaded[annee].categories:
            famille = racine((annee, cat.code))
            rows.append(
                {
                    "edition": annee,
                    "categorie_code": cat.code,
                    "numero": cat.numero,
                    "prix": cat.libelle,
                    "suite_de": list(cat.suite_de),
                    "suite_en": ", ".join(suites.get((annee, cat.code), [])) or None,
                    "famille": famille[1],
                    "famille_libelle": loaded[famille[0]].category(famille[1]).libelle,
                }
            )
    return pl.DataFrame(
        rows,
        schema={
            "edition": pl.Int32,
            "categorie_code": pl.String,
            "numero": pl.Int64,
            "prix": pl.String,
            "suite_de": pl.List(pl.String),
            "suite_en": pl.String,
            "famille": pl.String,
            "famille_libelle": pl.String,
        },
    )


def categories(
    con: duckdb.DuckDBPyConnection,
    filtres: FiltresLike | None = None,
    editions: Mapping[int, Edition] | None = None,
    **criteres: Any,
) -> pl.DataFrame:
    """One row per candidature of the set × prize it seeks (view ``candidature_categories``)
    with the prize's label and family across editions (:func:`prix`), its hours and its
    structure type. With a category filter, only that prize's rows.

    >>> analyse.categories(con, edition=2024).group_by("prix").len()  # doctest: +SKIP
    """
    choisis = _filtres(filtres, criteres)
    where, params = condition(choisis)
    seul = ""
    if choisis is not None and choisis.categorie is not None:
        seul = "and k.categorie_code = ?"
        params = [*params, choisis.categorie]
    lignes = _frame(
        con,
        f"""
        select k.candidature_id, k.edition, k.categorie_code, k.eligible, k.cas_limite,
               k.rural_statut, c.structure_type, c.region_code, c.heures_insertion
        from candidature_categories k
        join candidatures c on c.candidature_id = k.candidature_id
        where {where} {seul}
        order by k.edition, k.categorie_code, k.candidature_id
        """,  # noqa: S608 - condition from code, values bound
        params,
    )
    return lignes.join(
        prix(editions).select("edition", "categorie_code", "numero", "prix", "famille"),
        on=["edition", "categorie_code"],
        how="left",
    )


def territoires(
    con: duckdb.DuckDBPyConnection,
    maille: str = "region",
    filtres: FiltresLike | None = None,
    **criteres: Any,
) -> pl.DataFrame:
    """One row per région (or département) of the reference, with the set's candidatures.

    Columns: ``code``, ``nom``, ``population``, ``superficie_km2``, ``densite``,
    ``population_rurale`` (inhabitants of its rural communes, view ``communes_densite``),
    ``part_population_rurale``, ``candidatures``, ``candidatures_rurales`` (commune
    classed rural), ``heures`` (reported hours; unreported count as 0, as on the Carte
    page), ``candidatures_par_million`` and ``heures_pour_1000_habitants`` (1 000 × hours ÷
    population: with a territorial filter, the same figure as
    ``chiffres_cles(...).heures_pour_1000_habitants``).

    >>> analyse.territoires(con, "region", edition=2024).sort("code")  # doctest: +SKIP
    """
    table, colonne = MAILLES[maille]
    where, params = condition(_filtres(filtres, criteres))
    cle = "region_code" if maille == "region" else "departement_code"
    return _frame(
        con,
        f"""
        with parts as (
            select c.{colonne} as code, count(*) as candidatures,
                   count(*) filter (where d.urbain_rural = 'rural') as candidatures_rurales,
                   coalesce(sum(c.heures_insertion), 0) as heures
            from candidatures c left join communes_densite d on d.code = c.commune_code
            where {where} and c.{colonne} is not null
            group by 1
        ),
        rural as (
            select {cle} as code,
                   sum(population) filter (where urbain_rural = 'rural') as population_rurale
            from communes_densite group by 1
        )
        select t.code, t.nom, t.population, t.superficie_km2, t.densite,
               coalesce(r.population_rurale, 0)::bigint as population_rurale,
               coalesce(r.population_rurale, 0) / nullif(t.population, 0)
                   as part_population_rurale,
               coalesce(p.candidatures, 0)::bigint as candidatures,
               coalesce(p.candidatures_rurales, 0)::bigint as candidatures_rurales,
               coalesce(p.heures, 0)::bigint as heures,
               1e6 * coalesce(p.candidatures, 0) / nullif(t.population, 0)
                   as candidatures_par_million,
               1000.0 * coalesce(p.heures, 0) / nullif(t.population, 0)
                   as heures_pour_1000_habitants
        from {table} t
        left join parts p on p.code = t.code
        left join rural r on r.code = t.code
        order by t.code
        """,  # noqa: S608 - table, columns and condition from code, values bound
        params,
    )


def tendances_regions(
    con: duckdb.DuckDBPyConnection, filtres: FiltresLike | None = None, **criteres: Any
) -> pl.DataFrame:
    """Région × edition: candidatures, hours, rates — one row per région and edition in
    the warehouse (zeros included), to follow each région across editions.

    Columns: ``region_code``, ``region``, ``edition``, ``population``, ``candidatures``,
    ``heures``, ``heures_pour_1000_habitants``, ``evolution_candidatures`` (difference
    with the previous edition present, null for the first).
    An ``edition`` filter is ignored: every edition is kept, the other filters apply.
    With a ``categorie`` filter, use a family's codes per edition instead
    (:func:`tendances_familles`), since prizes change between editions.
    """
    choisis = _filtres(filtres, criteres)
    annees = [int(e) for (e,) in con.sql("select distinct edition from candidatures").fetchall()]
    morceaux = []
    for annee in sorted(annees):
        base = Filtres(
            edition=annee,
            categorie=None if choisis is None else choisis.categorie,
            region=None if choisis is None else choisis.region,
            departement=None if choisis is None else choisis.departement,
            structure=None if choisis is None else choisis.structure,
            eligibilite=None if choisis is None else choisis.eligibilite,
        )
        morceaux.append(
            territoires(con, "region", base).select(
                pl.col("code").alias("region_code"),
                pl.col("nom").alias("region"),
                pl.lit(annee, dtype=pl.Int32).alias("edition"),
                "population",
                "candidatures",
                "heures",
                "heures_pour_1000_habitants",
            )
        )
    if not morceaux:
        return pl.DataFrame(
            schema={
                "region_code": pl.String,
                "region": pl.String,
                "edition": pl.Int32,
                "population": pl.Int64,
                "candidatures": pl.Int64,
                "heures": pl.Int64,
                "heures_pour_1000_habitants": pl.Float64,
                "evolution_candidatures": pl.Int64,
            }
        )
    return (
        pl.concat(morceaux)
        .sort("region_code", "edition")
        .with_columns(
            pl.col("candidatures").diff().over("region_code").alias("evolution_candidatures")
        )
    )


def tendances_familles(
    con: duckdb.DuckDBPyConnection,
    filtres: FiltresLike | None = None,
    editions: Mapping[int, Edition] | None = None,
    **criteres: Any,
) -> pl.DataFrame:
    """Prize family × edition: how many candidatures sought the prize of that family that
    year (a family follows a prize through its ``suite_de`` links, see :func:`prix`).

    Columns: ``famille``, ``famille_libelle``, ``edition``, ``codes`` (the family's
    prize codes that edition), ``candidatures``, ``eligibles``, ``heures``. A family
    without a prize in some edition has no row for it. The ``categorie`` and ``edition``
    filters are ignored (every edition, every prize).
    """
    choisis = _filtres(filtres, criteres)
    sans = Filtres(
        region=None if choisis is None else choisis.region,
        departement=None if choisis is None else choisis.departement,
        structure=None if choisis is None else choisis.structure,
        eligibilite=None if choisis is None else choisis.eligibilite,
    )
    lignes = categories(con, sans, editions)
    familles = prix(editions).select("edition", "categorie_code", "famille", "famille_libelle")
    comptes = lignes.group_by("edition", "famille").agg(
        pl.len().cast(pl.Int64).alias("candidatures"),
        pl.col("eligible").sum().cast(pl.Int64).alias("eligibles"),
        pl.col("heures_insertion").sum().cast(pl.Int64).alias("heures"),
    )
    return (
        familles.group_by("edition", "famille", "famille_libelle")
        .agg(pl.col("categorie_code").sort().alias("codes"))
        .join(comptes, on=["edition", "famille"], how="left")
        .with_columns(pl.col("candidatures", "eligibles", "heures").fill_null(0))
        .select(
            "famille", "famille_libelle", "edition", "codes", "candidatures", "eligibles", "heures"
        )
        .sort("famille", "edition")
    )


def types_structure(editions: Mapping[int, Edition] | None = None) -> dict[str, str]:
    """Structure-type code → French label, from the editions' vocabulary (latest wins)."""
    loaded = editions if editions is not None else editions_mod.load_editions()
    libelles: dict[str, str] = {}
    for annee in sorted(loaded, reverse=True):
        for valeur in loaded[annee].vocabulary("structure_type").valeurs:
            libelles.setdefault(valeur.code, valeur.libelle)
    return libelles


def _base(n: int, quoi: str) -> str:
    if n == 1:
        return f"1 candidature qui renseigne {quoi}"
    return f"{format_integer(n)} candidatures qui renseignent {quoi}"


def tableau_chiffres_cles(cc: ChiffresCles) -> pl.DataFrame:
    """The key figures as a French table: ``indicateur``, ``valeur`` (formatted) and
    ``base`` (what the figure is computed on: its denominator), as the app shows them."""
    ratio = cc.heures_par_participant
    pour_1000 = cc.heures_pour_1000_habitants
    lignes = [
        ("Candidatures", format_integer(cc.candidatures), "candidatures courantes du périmètre"),
        ("Structures", format_integer(cc.structures), "structures distinctes (par leur nom)"),
        (
            "Heures d'insertion",
            format_hours(cc.heures),
            _base(cc.heures_renseignees, "les heures réalisées"),
        ),
        (
            "Participants",
            format_integer(cc.participants),
            _base(cc.participants_renseignes, "les participants"),
        ),
        (
            "Marchés clausés",
            format_integer(cc.marches_clauses),
            _base(cc.marches_renseignes, "les marchés clausés"),
        ),
        (
            "Heures par participant",
            "—" if ratio is None else format_hours(round(ratio)),
            _base(cc.candidatures_heures_participants, "les heures et les participants"),
        ),
        (
            "Heures pour 1 000 habitants",
            texte_heures_pour_1000(pour_1000),
            texte_population(cc),
        ),
    ]
    for part in cc.parts:
        lignes.append(
            (
                part.libelle,
                "—" if part.part is None else format_share(part.part),
                _base(part.candidatures, f"le nombre {part.complement} et de participants")
                + f" ({format_integer(part.participants)} participants)",
            )
        )
    return pl.DataFrame(lignes, schema=["indicateur", "valeur", "base"], orient="row")


def publier(resultats: Mapping[str, Any]) -> Path | None:
    """Write what a notebook showed to the JSON file named by ``TROPHEES_RESULTATS_NOTEBOOK``
    (nothing when it is unset); returns the path written."""
    cible = os.environ.get(RESULTATS_ENV)
    if not cible:
        return None
    chemin = Path(cible)
    chemin.write_text(json.dumps(resultats, ensure_ascii=False, indent=2), encoding="utf-8")
    return chemin


LAUREATE_LEVELS = ("laureat", "ex_aequo")
"""Stored decisions (``selections.niveau``) that crown a laureate: the values of
``dashboard.jury.states.Decision`` whose ``crowned`` is true (etl never imports the app;
a test keeps both equal)."""
ENTONNOIR_GROUPES = ("region", "structure_type", "urbain_rural")
"""How :func:`entonnoir` may group candidatures."""


def _populations(con: duckdb.DuckDBPyConnection, par: str) -> pl.DataFrame:
    """Population of each group (``groupe``, ``libelle``, ``population``), if it has one."""
    if par == "region":
        sql = "select code as groupe, nom as libelle, population from ref_regions"
    elif par == "urbain_rural":
        sql = (
            "select urbain_rural as groupe, urbain_rural as libelle, "
            "sum(population)::bigint as population from communes_densite "
            "where urbain_rural is not null group by all"
        )
    else:
        libelles = types_structure()
        return pl.DataFrame(
            {"groupe": list(libelles), "libelle": list(libelles.values())},
            schema={"groupe": pl.String, "libelle": pl.String},
        ).with_columns(pl.lit(None, dtype=pl.Int64).alias("population"))
    return _frame(con, sql, [])


def entonnoir(
    con: duckdb.DuckDBPyConnection,
    selections: pl.DataFrame | None,
    edition: int,
    par: str = "region",
) -> pl.DataFrame:
    """From candidatures to laureates, per group, for one edition.

    ``selections``: the jury's decisions (``candidature_id``, ``niveau``: see
    :data:`LAUREATE_LEVELS`), e.g. ``dashboard.jury.decisions.selections``
    read from the deliberation store; ``None`` when there is no deliberation yet (the
    jury steps are then 0). A candidature counts once per step, whatever the number of
    prizes: *présélectionnée* if shortlisted or crowned in any prize, *lauréate* if
    crowned in any.

    One row per group (``par``: ``region``, ``structure_type`` or ``urbain_rural``; a
    candidature without one is in group null « non renseigné »): ``groupe``, ``libelle``,
    ``candidatures``, ``eligibles``, ``preselectionnees``, ``laureates``, each step's share
    of its total (``part_candidatures``… ``part_laureates``), ``part_population`` (share of
    the population living in the group; null for structure types) and
    ``laureates_attendues``: laureates the group would have if they were drawn at random
    among the eligible candidatures (total laureates × part_eligibles) — on a handful of
    laureates, a gap to this figure is chance as often as not.
    """
    if par not in ENTONNOIR_GROUPES:
        raise ValueError(f"regroupement inconnu : {par!r} (choix : {ENTONNOIR_GROUPES})")
    colonne = "region_code" if par == "region" else par
    base = candidatures(con, edition=edition).select(
        "candidature_id", pl.col(colonne).alias("groupe"), pl.col("eligible").fill_null(False)
    )
    if selections is None or selections.is_empty():
        niveaux = pl.DataFrame(
            schema={"candidature_id": pl.String, "presel": pl.Boolean, "laur": pl.Boolean}
        )
    else:
        niveaux = selections.group_by("candidature_id").agg(
            pl.lit(True).alias("presel"),
            pl.col("niveau").is_in(LAUREATE_LEVELS).any().alias("laur"),
        )
    lignes = base.join(niveaux, on="candidature_id", how="left").with_columns(
        pl.col("presel", "laur").fill_null(False)
    )
    comptes = lignes.group_by("groupe").agg(
        pl.len().cast(pl.Int64).alias("candidatures"),
        pl.col("eligible").sum().cast(pl.Int64).alias("eligibles"),
        pl.col("presel").sum().cast(pl.Int64).alias("preselectionnees"),
        pl.col("laur").sum().cast(pl.Int64).alias("laureates"),
    )
    populations = _populations(con, par)
    etapes = ["candidatures", "eligibles", "preselectionnees", "laureates"]
    total_population = populations["population"].sum() if par != "structure_type" else None

    def part(colonne: str) -> pl.Expr:
        total = pl.col(colonne).sum()
        return pl.when(total > 0).then(pl.col(colonne) / total).alias(f"part_{colonne}")

    return (
        populations.join(comptes, on="groupe", how="full", coalesce=True)
        .with_columns(
            pl.col(etapes).fill_null(0),
            pl.col("libelle").fill_null(pl.col("groupe")).fill_null("non renseigné"),
        )
        .with_columns(
            *[part(e) for e in etapes],
            (
                pl.col("population") / total_population
                if total_population
                else pl.lit(None, dtype=pl.Float64)
            ).alias("part_population"),
        )
        .with_columns(
            (pl.col("laureates").sum() * pl.col("part_eligibles")).alias("laureates_attendues")
        )
        .select(
            "groupe",
            "libelle",
            *etapes,
            *[f"part_{e}" for e in etapes],
            "part_population",
            "laureates_attendues",
        )
        .sort("candidatures", "groupe", descending=[True, False], nulls_last=True)
    )


def affichage_francais(lignes: int = 30) -> None:
    """Polars tables written the French way in a notebook: decimal comma, 2 decimals,
    ``lignes`` rows, long labels kept. Thousands are not grouped (polars would group
    years too: « 2 024 ») — use ``etl.french`` for figures meant to be read aloud."""
    pl.Config.set_decimal_separator(",")
    pl.Config.set_float_precision(2)
    pl.Config.set_tbl_rows(lignes)
    pl.Config.set_fmt_str_lengths(60)

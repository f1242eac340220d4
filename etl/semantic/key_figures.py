"""Key figures of a set of candidatures, defined once for the app, the notebooks and the
press kit (the semantic layer of ``docs/analyse.md``).

What a set is
    The current candidatures (view ``candidatures``) matching :class:`Filtres`: edition,
    category (the candidature seeks that prize), région, département, type of structure,
    eligibility. Any object with these six attributes works (the app's shared filters).

How each figure is computed (sums skip unreported values; nothing is imputed)
    - ``heures``, ``participants``, ``marches_clauses``: sums over the candidatures that
      report them, with how many do (``*_renseignes``).
    - ``heures_par_participant``: hours ÷ participants over the candidatures reporting
      **both** (``candidatures_heures_participants``), so the two sums share one base.
    - public shares (women, seniors, QPV residents): people of that public ÷ participants
      over the candidatures reporting both counts; each share carries its denominator
      (participants) and how many candidatures it rests on.
    - ``heures_pour_1000_habitants``: 1 000 × hours ÷ population of the *geographic scope*
      of the set — the filtered département, else the filtered région, else France
      (metropolitan France and the DROM: sum of ``ref_regions``). Populations légales 2023.
      The per-candidature ratio of the same name (view ``indicateurs``) uses the
      candidature's own territory instead: the two answer different questions.

:func:`chiffres_cles` runs the query on a connection; :func:`requete` and
:func:`depuis_ligne` split it for callers that run SQL their own way (the app's cache).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

import duckdb

from etl.french import NARROW_NBSP, format_decimal, format_integer

PUBLICS: dict[str, tuple[str, str]] = {
    "nb_femmes": ("Femmes", "de femmes"),
    "nb_seniors": ("Seniors (50 ans et plus)", "de seniors"),
    "nb_residents_qpv": ("Résidents des QPV", "de résidents des QPV"),
}
"""Public count column → (label, « le nombre … » complement)."""

ELIGIBILITES = ("eligibles", "non_eligibles")
"""Values of the eligibility filter."""

EGALITES = {
    "edition": "edition",
    "region": "region_code",
    "departement": "departement_code",
    "structure": "structure_type",
}
"""Filter attribute → column of ``candidatures`` it must equal."""


class FiltresLike(Protocol):
    """Anything with the six filter attributes (``None`` = no filter on that attribute)."""

    @property
    def edition(self) -> int | None: ...
    @property
    def categorie(self) -> str | None: ...
    @property
    def region(self) -> str | None: ...
    @property
    def departement(self) -> str | None: ...
    @property
    def structure(self) -> str | None: ...
    @property
    def eligibilite(self) -> str | None: ...


@dataclass(frozen=True)
class Filtres:
    """A set of candidatures: ``Filtres(edition=2024, categorie="RURAL")``.

    ``region`` and ``departement`` are INSEE codes (``"76"``, ``"2A"``), ``structure`` a
    structure-type code (``"plie"``), ``eligibilite`` ``"eligibles"`` or ``"non_eligibles"``.
    """

    edition: int | None = None
    categorie: str | None = None
    region: str | None = None
    departement: str | None = None
    structure: str | None = None
    eligibilite: str | None = None


def condition(filtres: FiltresLike | None, alias: str = "c") -> tuple[str, list[object]]:
    """SQL condition on the ``candidatures`` view (aliased ``alias``) and its parameters.

    >>> condition(Filtres(edition=2024, categorie="RURAL"))[1]
    [2024, 'RURAL']
    """
    conditions = ["true"]
    params: list[object] = []
    if filtres is None:
        return "true", params
    for attribut, colonne in EGALITES.items():
        valeur = getattr(filtres, attribut)
        if valeur is not None:
            conditions.append(f"{alias}.{colonne} = ?")
            params.append(valeur)
    if filtres.categorie is not None:
        lien = f"k.candidature_id = {alias}.candidature_id"
        conditions.append(
            f"exists (select 1 from candidature_categories k where {lien} "  # noqa: S608
            "and k.categorie_code = ?)"
        )
        params.append(filtres.categorie)
    if filtres.eligibilite is not None:
        if filtres.eligibilite not in ELIGIBILITES:
            raise ValueError(f"éligibilité inconnue : {filtres.eligibilite!r}")
        conditions.append(f"{alias}.eligible = ?")
        params.append(filtres.eligibilite == "eligibles")
    return " and ".join(conditions), params


@dataclass(frozen=True)
class PartPublic:
    """People of one public among participants, over the candidatures reporting both."""

    colonne: str
    libelle: str
    complement: str
    personnes: int
    participants: int
    candidatures: int

    @property
    def part(self) -> float | None:
        """Fraction of participants (None when no candidature reports both counts)."""
        return self.personnes / self.participants if self.participants else None


@dataclass(frozen=True)
class ChiffresCles:
    """Headline figures of a set of candidatures (see the module doc for each definition)."""

    candidatures: int
    structures: int
    heures: int
    heures_renseignees: int
    participants: int
    participants_renseignes: int
    marches_clauses: int
    marches_renseignes: int
    heures_avec_participants: int
    participants_avec_heures: int
    candidatures_heures_participants: int
    parts: tuple[PartPublic, ...]
    population: int | None
    """Inhabitants of the geographic scope (None if the filtered territory is unknown)."""
    perimetre_population: str
    """Which population: « France », « région Occitanie », « département Gers »."""

    @property
    def heures_par_participant(self) -> float | None:
        """Hours per participant over the candidatures reporting both (None if none do)."""
        if not self.participants_avec_heures:
            return None
        return self.heures_avec_participants / self.participants_avec_heures

    @property
    def heures_pour_1000_habitants(self) -> float | None:
        """1 000 × reported hours ÷ population of the geographic scope (None without it)."""
        if not self.population:
            return None
        return 1000 * self.heures / self.population

    def part(self, colonne: str) -> PartPublic:
        """The share of one public by its count column (``"nb_femmes"``)."""
        for share in self.parts:
            if share.colonne == colonne:
                return share
        raise KeyError(colonne)

    def en_dict(self) -> dict[str, Any]:
        """Every figure, flat and JSON-ready (ratios included; shares as ``part_<public>``)."""
        plat: dict[str, Any] = {k: v for k, v in asdict(self).items() if k != "parts"}
        plat["heures_par_participant"] = self.heures_par_participant
        plat["heures_pour_1000_habitants"] = self.heures_pour_1000_habitants
        for share in self.parts:
            public = share.colonne.removeprefix("nb_")
            plat[f"part_{public}"] = share.part
            plat[f"part_{public}_personnes"] = share.personnes
            plat[f"part_{public}_participants"] = share.participants
            plat[f"part_{public}_candidatures"] = share.candidatures
        return plat


def texte_heures_pour_1000(valeur: float | None) -> str:
    """Hours per 1 000 inhabitants as shown everywhere: ``82,8 h`` (« — » when unknown)."""
    return "—" if valeur is None else f"{format_decimal(valeur, 1)}{NARROW_NBSP}h"


def texte_population(cc: ChiffresCles) -> str:
    """The denominator of hours per 1 000 inhabitants: « France (68 350 798 hab., …) »."""
    if cc.population is None:
        return f"population : {cc.perimetre_population} (inconnue)"
    habitants = format_integer(cc.population)
    return f"population : {cc.perimetre_population} ({habitants} hab., populations légales 2023)"


_LES_DEUX = "heures_insertion is not null and nb_participants is not null"


def _colonnes_publics() -> str:
    colonnes = []
    for col in PUBLICS:
        both = f"{col} is not null and nb_participants is not null"
        colonnes.append(
            f"coalesce(sum({col}) filter (where {both}), 0)::bigint as {col}__personnes, "
            f"coalesce(sum(nb_participants) filter (where {both}), 0)::bigint "
            f"as {col}__participants, count(*) filter (where {both}) as {col}__candidatures"
        )
    return ", ".join(colonnes)


def _population(filtres: FiltresLike | None) -> tuple[str, list[object]]:
    """Scalar subqueries: population of the geographic scope and its French label."""
    if filtres is not None and filtres.departement is not None:
        return (
            "(select population from ref_departements where code = ?) as population, "
            "'département ' || coalesce((select nom from ref_departements where code = ?), ?) "
            "as perimetre_population",
            [filtres.departement] * 3,
        )
    if filtres is not None and filtres.region is not None:
        return (
            "(select population from ref_regions where code = ?) as population, "
            "'région ' || coalesce((select nom from ref_regions where code = ?), ?) "
            "as perimetre_population",
            [filtres.region] * 3,
        )
    return (
        "(select sum(population) from ref_regions)::bigint as population, "
        "'France' as perimetre_population",
        [],
    )


def requete(filtres: FiltresLike | None = None) -> tuple[str, list[object]]:
    """The one-row query of the key figures of the set, and its bound parameters."""
    where, params = condition(filtres)
    population, population_params = _population(filtres)
    sql = f"""
        select count(*) as candidatures,
               count(distinct lower(trim(structure_nom))) as structures,
               coalesce(sum(heures_insertion), 0)::bigint as heures,
               count(heures_insertion) as heures_renseignees,
               coalesce(sum(nb_participants), 0)::bigint as participants,
               count(nb_participants) as participants_renseignes,
               coalesce(sum(nb_marches_clauses), 0)::bigint as marches_clauses,
               count(nb_marches_clauses) as marches_renseignes,
               coalesce(sum(heures_insertion) filter (where {_LES_DEUX}), 0)::bigint
                   as heures_avec_participants,
               coalesce(sum(nb_participants) filter (where {_LES_DEUX}), 0)::bigint
                   as participants_avec_heures,
               count(*) filter (where {_LES_DEUX}) as candidatures_heures_participants,
               {_colonnes_publics()},
               {population}
        from candidatures c where {where}
        """  # noqa: S608 - identifiers from code, values bound
    return sql, [*population_params, *params]


def depuis_ligne(ligne: dict[str, Any]) -> ChiffresCles:
    """The key figures from the row of :func:`requete` (``frame.row(0, named=True)``)."""
    parts = tuple(
        PartPublic(
            colonne=col,
            libelle=libelle,
            complement=complement,
            personnes=int(ligne[f"{col}__personnes"]),
            participants=int(ligne[f"{col}__participants"]),
            candidatures=int(ligne[f"{col}__candidatures"]),
        )
        for col, (libelle, complement) in PUBLICS.items()
    )
    population = ligne["population"]
    comptes = {
        k: int(v)
        for k, v in ligne.items()
        if "__" not in k and k not in ("population", "perimetre_population")
    }
    return ChiffresCles(
        **comptes,
        parts=parts,
        population=None if population is None else int(population),
        perimetre_population=str(ligne["perimetre_population"]),
    )


def chiffres_cles(
    con: duckdb.DuckDBPyConnection, filtres: FiltresLike | None = None
) -> ChiffresCles:
    """The key figures of the candidatures matching ``filtres`` (all of them if ``None``).

    >>> from etl import warehouse
    >>> con = warehouse.connect()  # doctest: +SKIP
    >>> cc = chiffres_cles(con, Filtres(edition=2024, region="76"))  # doctest: +SKIP
    >>> cc.heures_par_participant, cc.part("nb_femmes").part  # doctest: +SKIP
    """
    sql, params = requete(filtres)
    return depuis_ligne(con.sql(sql, params=params).pl().row(0, named=True))

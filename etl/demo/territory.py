"""Where fictitious candidatures come from: communes drawn from the reference geography.

Two pools, split by the edition's rural test (DOMAIN.md §4–5):

- *urbain*: communes at or above the commune threshold (25 000 inhabitants) in a
  département at or above its threshold (350 000): the rural test fails there;
- *rural*: communes of at least ``RURAL_POPULATION_MIN`` inhabitants that pass the rural
  test (small commune or small département) and belong to a communauté de communes or a
  small communauté d'agglomération — a guichet in a 20 000-inhabitant suburb of a
  metropolis passes the commune test but is not what « rural » means in the call.

Within a pool, a commune is drawn with a weight equal to its population capped at
``POIDS_PLAFOND`` (metropolises stay frequent without crowding out every other town), and
structure types sit where they do in life: a PLIE or a Maison de l'emploi in a town of
at least ``POPULATION_MIN_PAR_TYPE[type]`` inhabitants.

``population_territoire`` is the population of the commune's EPCI (the guichet's usual
catchment), or of the commune itself for the four island communes without an EPCI; the
hour volumes are scaled on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.frames import apply
from etl.french import fold_accents
from etl.reference import Reference
from etl.rural import RuralThresholds

RURAL_POPULATION_MIN = 1_500
"""Smallest commune that hosts a rural candidate's structure (inhabitants)."""

RURAL_EPCI_POPULATION_MAX = 150_000
"""Largest EPCI around a rural candidate (inhabitants)."""

POIDS_PLAFOND = 300_000
"""Population above which a commune is not drawn more often (inhabitants)."""

POPULATION_MIN_PAR_TYPE: dict[str, int] = {
    "plie": 5_000,
    "mde": 5_000,
    "collectivite": RURAL_POPULATION_MIN,
    "association": 2_000,
    "autre": 5_000,
}
"""Smallest commune hosting each structure type (inhabitants); applies to both pools."""

GRANDE_VILLE = 50_000
"""Commune population from which urban-renewal (ANRU) projects are drawn (inhabitants)."""

DEFAULT_THRESHOLDS = RuralThresholds(commune_seuil=25_000, departement_seuil=350_000)
"""The 2023 call's thresholds, used when an edition has no rural prize."""

_COLONNES = (
    "code",
    "nom",
    "de_nom",
    "slug",
    "departement_code",
    "departement_nom",
    "region_code",
    "code_postal",
    "population",
    "departement_population",
    "epci_nom",
    "population_territoire",
)


@dataclass(frozen=True)
class TerritoryPools:
    """The communes candidatures are drawn from, one row each (``communes``), and the
    row indices and weights of each pool, by structure type.

    ``communes`` columns: ``code``, ``nom``, ``de_nom`` (« de Brest », « du Havre »,
    « d'Angers »), ``slug`` (ASCII, for e-mail addresses), ``departement_code``,
    ``departement_nom``, ``region_code``, ``code_postal`` (the commune's first postcode),
    ``population``, ``departement_population``, ``epci_nom`` (nullable) and
    ``population_territoire`` (inhabitants of the EPCI, else of the commune).
    ``log_median`` holds, per pool, the weighted median of ``ln(population_territoire)``.
    """

    communes: pl.DataFrame
    indices: dict[tuple[bool, str], np.ndarray]
    poids: dict[tuple[bool, str], np.ndarray]
    log_median: dict[bool, float]

    def draw(self, rural: np.ndarray, types: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One commune row index per candidature, given its pool and structure type."""
        choix = np.empty(rural.shape[0], dtype=np.int64)
        for (est_rural, type_code), indices in self.indices.items():
            qui = np.flatnonzero((rural == est_rural) & (types == type_code))
            if qui.size:
                choix[qui] = rng.choice(
                    indices, size=qui.size, p=self.poids[(est_rural, type_code)]
                )
        return choix

    def index_of(self, code: str) -> int:
        """Row of the commune with this INSEE code (``KeyError`` if it is in no pool's table)."""
        trouve = np.flatnonzero(self.communes["code"].to_numpy() == code)
        if trouve.size == 0:
            raise KeyError(code)
        return int(trouve[0])


def de_nom(nom: str) -> str:
    """The French « de » before a place name: « de Brest », « du Havre », « des Abymes »,
    « de La Rochelle », « d'Angers », « de L'Haÿ-les-Roses »."""
    if nom.startswith("Le "):
        return "du " + nom[3:]
    if nom.startswith("Les "):
        return "des " + nom[4:]
    if nom.startswith(("La ", "L'", "L’")):
        return "de " + nom
    initiale = fold_accents(nom[:1]).lower()
    if initiale in set("aeiouy"):
        return "d'" + nom
    return "de " + nom


def slug(texte: str) -> str:
    """Lower-case ASCII with hyphens, for fictitious e-mail addresses: « Saint-Étienne » →
    ``saint-etienne``."""
    ascii_ = fold_accents(texte).encode("ascii", "ignore").decode().lower()
    mots = "".join(c if c.isalnum() else " " for c in ascii_).split()
    return "-".join(mots)


def territory_pools(ref: Reference, seuils: RuralThresholds | None) -> TerritoryPools:
    """The urban and rural pools of the reference, split by the edition's thresholds."""
    seuils = seuils or DEFAULT_THRESHOLDS
    deps = ref.departements.select(
        pl.col("code").alias("departement_code"),
        pl.col("nom").alias("departement_nom"),
        pl.col("population").alias("departement_population"),
    )
    epci = ref.epci.select(
        pl.col("siren").alias("epci_siren"),
        pl.col("nom").alias("epci_nom"),
        pl.col("type").alias("epci_type"),
        pl.col("population").alias("epci_population"),
    )
    communes = (
        ref.communes.filter(
            (pl.col("population") >= RURAL_POPULATION_MIN)
            & (pl.col("codes_postaux").list.len() > 0)
        )
        .join(deps, on="departement_code", how="left")
        .join(epci, on="epci_siren", how="left")
        .sort("code")
        .with_columns(
            pl.col("codes_postaux").list.sort().list.first().alias("code_postal"),
            pl.coalesce("epci_population", "population").alias("population_territoire"),
        )
    )
    communes = communes.with_columns(
        apply(communes["nom"], de_nom).alias("de_nom"), apply(communes["nom"], slug).alias("slug")
    )
    commune_ok = _passe(pl.col("population"), seuils.commune_operateur, seuils.commune_seuil)
    dep_ok = _passe(
        pl.col("departement_population"), seuils.departement_operateur, seuils.departement_seuil
    )
    petit_epci = (pl.col("epci_type") == "CC") | (
        (pl.col("epci_type") == "CA") & (pl.col("epci_population") <= RURAL_EPCI_POPULATION_MAX)
    )
    communes = communes.with_columns(
        (~commune_ok & ~dep_ok).alias("_urbain"),
        ((commune_ok | dep_ok) & petit_epci.fill_null(False)).alias("_rural"),
    )
    population = communes["population"].to_numpy()
    poids_bruts = np.minimum(population, POIDS_PLAFOND).astype(np.float64)
    indices: dict[tuple[bool, str], np.ndarray] = {}
    poids: dict[tuple[bool, str], np.ndarray] = {}
    log_median: dict[bool, float] = {}
    log_territoire = np.log(communes["population_territoire"].to_numpy().astype(np.float64))
    for est_rural, colonne in ((False, "_urbain"), (True, "_rural")):
        dans_pool = communes[colonne].to_numpy()
        log_median[est_rural] = _mediane_ponderee(log_territoire[dans_pool], poids_bruts[dans_pool])
        for type_code, minimum in POPULATION_MIN_PAR_TYPE.items():
            qui = np.flatnonzero(dans_pool & (population >= minimum))
            if qui.size == 0:
                raise ValueError(f"Aucune commune pour le type {type_code} (rural={est_rural}).")
            indices[(est_rural, type_code)] = qui
            poids[(est_rural, type_code)] = poids_bruts[qui] / poids_bruts[qui].sum()
    return TerritoryPools(communes.select(_COLONNES), indices, poids, log_median)


def _passe(population: pl.Expr, operateur: str, seuil: int) -> pl.Expr:
    """Whether a population passes one rural test (null population: it does not)."""
    test = population < seuil if operateur == "<" else population <= seuil
    return test.fill_null(False)


def _mediane_ponderee(valeurs: np.ndarray, poids: np.ndarray) -> float:
    """The value below which half of the total weight lies."""
    ordre = np.argsort(valeurs, kind="stable")
    cumul = np.cumsum(poids[ordre])
    return float(valeurs[ordre][np.searchsorted(cumul, cumul[-1] / 2)])

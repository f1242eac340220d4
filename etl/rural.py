"""The rural-prize test: is a candidature's territory « de faible densité » ?

The 2023 call reads: « territoires de faible densité (ex : commune de 25 000 habitants ou
département de moins de 350 000 habitants) ». The product applies it as two population
tests combined by the edition's connective (``ou`` in 2023 and 2024):

- commune test: commune population ``<`` commune threshold (25 000);
- département test: département population ``<`` département threshold (350 000).

Operators, thresholds, connective and borderline band come from the edition configuration
(:class:`RuralThresholds`), never from code.

Three-valued logic
    A test on an unknown population (territory not resolved) is *indéterminé* (``None``),
    never guessed. The combination follows Kleene logic: with ``ou``, one test passed is
    enough to be eligible even if the other figure is unknown; if no known test passes and
    one figure is unknown, the verdict is indéterminé.

Borderline (« cas limite »), precisely
    A test is *proche du seuil* when its figure ``x`` lies within the band around its
    threshold ``S``: ``|x − S| ≤ marge × S`` (bounds included; 10 % → 22 500…27 500 for
    25 000). The combined verdict is a *cas limite* when it is known (not indéterminé) and
    would change if every figure close to its threshold could fall on either side of it
    (unknown figures counting as « either side »). Example with ``ou``: commune 24 000
    (close, passes) and département 500 000 (far, fails) → cas limite, because the commune
    figure alone carries the verdict; commune 24 000 and département 200 000 (far, passes)
    → not a cas limite (the département test settles it). The jury decides cas limites;
    the product only flags them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

from etl.french import format_decimal, format_integer, format_percent

Operateur = Literal["<", "<="]
"""How a population is compared with its threshold (rural = small, so only « below »)."""

Combinaison = Literal["ou", "et"]
"""``ou``: at least one test passes; ``et``: both tests pass."""

OPERATEURS: tuple[Operateur, ...] = ("<", "<=")
COMBINAISONS: tuple[Combinaison, ...] = ("ou", "et")

_SYMBOLE = {"<": "<", "<=": "≤"}
_NEGATION = {"<": "≥", "<=": ">"}

STATUT_ELIGIBLE = "éligible"
STATUT_NON_ELIGIBLE = "non éligible"
STATUT_INDETERMINE = "indéterminé"


@dataclass(frozen=True)
class RuralThresholds:
    """The rural-prize thresholds of one edition (section ``[eligibilite.rural]``).

    Populations are numbers of inhabitants; ``marge_cas_limite_pct`` is a whole number of
    percent of each threshold (10 → ±10 %).
    """

    commune_seuil: int
    departement_seuil: int
    commune_operateur: Operateur = "<"
    departement_operateur: Operateur = "<"
    combinaison: Combinaison = "ou"
    marge_cas_limite_pct: int = 10

    def __post_init__(self) -> None:
        if self.commune_seuil <= 0 or self.departement_seuil <= 0:
            raise ValueError("Les seuils de population doivent être strictement positifs.")
        if self.commune_operateur not in OPERATEURS or self.departement_operateur not in (
            OPERATEURS
        ):
            raise ValueError(f"Opérateur inconnu : choisir parmi {', '.join(OPERATEURS)}.")
        if self.combinaison not in COMBINAISONS:
            raise ValueError(f"Combinaison inconnue : choisir parmi {', '.join(COMBINAISONS)}.")
        if not 0 <= self.marge_cas_limite_pct <= 50:
            raise ValueError("La marge de cas limite doit être comprise entre 0 et 50 %.")

    def description_fr(self) -> str:
        """« commune < 25 000 hab. ou département < 350 000 hab. (cas limite : ±10 %) »."""
        commune = f"commune {_SYMBOLE[self.commune_operateur]} {format_integer(self.commune_seuil)}"
        dep = (
            f"département {_SYMBOLE[self.departement_operateur]} "
            f"{format_integer(self.departement_seuil)}"
        )
        marge = format_percent(self.marge_cas_limite_pct)
        return f"{commune} hab. {self.combinaison} {dep} hab. (cas limite : ±{marge})"


@dataclass(frozen=True)
class RuralVerdict:
    """Outcome of the rural test for one territory, with everything needed to explain it.

    ``commune_ok`` / ``departement_ok`` / ``eligible`` are ``None`` when indéterminé.
    ``*_limite`` flags say a figure is within the borderline band of its threshold;
    ``cas_limite`` says the combined verdict depends on such a figure (see module doc).
    """

    seuils: RuralThresholds
    millesime: str
    commune_population: int | None
    departement_population: int | None
    commune_ok: bool | None
    departement_ok: bool | None
    eligible: bool | None
    commune_limite: bool
    departement_limite: bool
    cas_limite: bool
    commune_densite: float | None = None
    commune_nom: str | None = None
    departement_nom: str | None = None

    @property
    def statut(self) -> str:
        """« éligible », « non éligible » or « indéterminé »."""
        if self.eligible is None:
            return STATUT_INDETERMINE
        return STATUT_ELIGIBLE if self.eligible else STATUT_NON_ELIGIBLE

    @property
    def raison_indetermine(self) -> str | None:
        """Why the verdict is indéterminé (which population is missing), else ``None``."""
        if self.eligible is not None:
            return None
        manquants = []
        if self.commune_population is None:
            manquants.append("de la commune")
        if self.departement_population is None:
            manquants.append("du département")
        return f"population {' et '.join(manquants)} inconnue (territoire non résolu)"

    def explication_fr(self) -> str:
        """One French sentence showing figures, tests, outcome, vintage and any cas limite."""
        s = self.seuils
        morceaux = [
            _test_fr(
                "Commune",
                self.commune_nom,
                self.commune_population,
                s.commune_seuil,
                s.commune_operateur,
                self.commune_ok,
            ),
            _test_fr(
                "département",
                self.departement_nom,
                self.departement_population,
                s.departement_seuil,
                s.departement_operateur,
                self.departement_ok,
            ),
            self._conclusion_fr(),
        ]
        texte = " ; ".join(morceaux)
        if self.cas_limite:
            texte += " ; " + self._cas_limite_fr()
        if self.commune_densite is not None:
            densite = format_decimal(self.commune_densite, 1)
            texte += f" ; densité de la commune : {densite} hab./km² (pour information)"
        return f"{texte} — {self.millesime}"

    def _conclusion_fr(self) -> str:
        if self.eligible is None:
            return f"éligibilité au prix rural indéterminée : {self.raison_indetermine}"
        if self.seuils.combinaison == "ou":
            if self.eligible:
                return "éligible au prix rural (au moins un critère rempli)"
            return "non éligible au prix rural (aucun critère rempli)"
        if self.eligible:
            return "éligible au prix rural (les deux critères remplis)"
        return "non éligible au prix rural (au moins un critère non rempli)"

    def _cas_limite_fr(self) -> str:
        marge = format_percent(self.seuils.marge_cas_limite_pct)
        proches = []
        if self.commune_limite:
            proches.append("commune")
        if self.departement_limite:
            proches.append("département")
        return f"cas limite à examiner par le jury ({' et '.join(proches)} à ±{marge} du seuil)"


def _test_fr(
    sujet: str,
    nom: str | None,
    population: int | None,
    seuil: int,
    operateur: Operateur,
    ok: bool | None,
) -> str:
    etiquette = f"{sujet} ({nom})" if nom else sujet
    if population is None or ok is None:
        return f"{etiquette} : population inconnue → indéterminé"
    symbole = _SYMBOLE[operateur] if ok else _NEGATION[operateur]
    issue = "oui" if ok else "non"
    return (
        f"{etiquette} : {format_integer(population)} habitants {symbole} "
        f"{format_integer(seuil)} → {issue}"
    )


def _passe(population: int | None, seuil: int, operateur: Operateur) -> bool | None:
    if population is None:
        return None
    return population < seuil if operateur == "<" else population <= seuil


def _proche(population: int | None, seuil: int, marge_pct: int) -> bool:
    """Within the band: |x − S| ≤ marge × S, in exact integer arithmetic."""
    if population is None:
        return False
    return abs(population - seuil) * 100 <= marge_pct * seuil


def _combine(a: bool | None, b: bool | None, combinaison: Combinaison) -> bool | None:
    """Kleene « ou » / « et »: an unknown operand matters only if it can change the result."""
    if combinaison == "ou":
        if a is True or b is True:
            return True
        if a is None or b is None:
            return None
        return False
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def rural_verdict(
    commune_population: int | None,
    departement_population: int | None,
    seuils: RuralThresholds,
    *,
    millesime: str,
    commune_densite: float | None = None,
    commune_nom: str | None = None,
    departement_nom: str | None = None,
) -> RuralVerdict:
    """The rural-prize verdict for one territory.

    Populations are inhabitants (``None`` when the territory could not be resolved);
    ``millesime`` names the population vintage shown to the jury (« populations légales
    2023 »); ``commune_densite`` (inhabitants per km²) is shown, never tested.
    """
    for valeur in (commune_population, departement_population):
        if valeur is not None and valeur < 0:
            raise ValueError(f"Population négative : {valeur}.")
    c_ok = _passe(commune_population, seuils.commune_seuil, seuils.commune_operateur)
    d_ok = _passe(departement_population, seuils.departement_seuil, seuils.departement_operateur)
    c_lim = _proche(commune_population, seuils.commune_seuil, seuils.marge_cas_limite_pct)
    d_lim = _proche(departement_population, seuils.departement_seuil, seuils.marge_cas_limite_pct)
    eligible = _combine(c_ok, d_ok, seuils.combinaison)
    # Highest and lowest outcome when close or unknown figures may fall on either side.
    haut = _combine(c_ok is not False or c_lim, d_ok is not False or d_lim, seuils.combinaison)
    bas = _combine(c_ok is True and not c_lim, d_ok is True and not d_lim, seuils.combinaison)
    return RuralVerdict(
        seuils=seuils,
        millesime=millesime,
        commune_population=commune_population,
        departement_population=departement_population,
        commune_ok=c_ok,
        departement_ok=d_ok,
        eligible=eligible,
        commune_limite=c_lim,
        departement_limite=d_lim,
        cas_limite=eligible is not None and haut != bas,
        commune_densite=commune_densite,
        commune_nom=commune_nom,
        departement_nom=departement_nom,
    )


RURAL_COLUMNS = (
    "rural_commune",
    "rural_departement",
    "rural_eligible",
    "rural_commune_limite",
    "rural_departement_limite",
    "rural_cas_limite",
    "rural_statut",
)
"""Columns added by :func:`rural_verdicts` (booleans are null when indéterminé)."""


def _test_expr(colonne: str, seuil: int, operateur: Operateur) -> pl.Expr:
    valeur = pl.col(colonne).cast(pl.Int64)
    return valeur < seuil if operateur == "<" else valeur <= seuil


def _proche_expr(colonne: str, seuil: int, marge_pct: int) -> pl.Expr:
    ecart = (pl.col(colonne).cast(pl.Int64) - seuil).abs() * 100
    return (ecart <= marge_pct * seuil).fill_null(False)


def _combine_expr(a: pl.Expr, b: pl.Expr, combinaison: Combinaison) -> pl.Expr:
    # polars boolean operators follow Kleene logic on nulls, like _combine.
    return a | b if combinaison == "ou" else a & b


def rural_verdicts(frame: pl.DataFrame, seuils: RuralThresholds) -> pl.DataFrame:
    """``frame`` with the rural verdict columns :data:`RURAL_COLUMNS` added.

    Reads ``commune_population`` and ``departement_population`` (inhabitants, integer,
    null when unknown); same semantics as :func:`rural_verdict`, row by row, built from
    polars expressions only.
    """
    for colonne in ("commune_population", "departement_population"):
        if colonne not in frame.columns:
            raise ValueError(f"Colonne manquante pour le test rural : {colonne}.")
        negatives = frame.select((pl.col(colonne).cast(pl.Int64) < 0).any()).item()
        if negatives:
            raise ValueError(f"Population négative dans la colonne {colonne}.")
    marge = seuils.marge_cas_limite_pct
    c_ok = _test_expr("commune_population", seuils.commune_seuil, seuils.commune_operateur)
    d_ok = _test_expr(
        "departement_population", seuils.departement_seuil, seuils.departement_operateur
    )
    c_lim = _proche_expr("commune_population", seuils.commune_seuil, marge)
    d_lim = _proche_expr("departement_population", seuils.departement_seuil, marge)
    eligible = _combine_expr(c_ok, d_ok, seuils.combinaison)
    haut = _combine_expr(
        c_ok.fill_null(True) | c_lim, d_ok.fill_null(True) | d_lim, seuils.combinaison
    )
    bas = _combine_expr(
        c_ok.fill_null(False) & ~c_lim, d_ok.fill_null(False) & ~d_lim, seuils.combinaison
    )
    return frame.with_columns(
        c_ok.alias("rural_commune"),
        d_ok.alias("rural_departement"),
        eligible.alias("rural_eligible"),
        c_lim.alias("rural_commune_limite"),
        d_lim.alias("rural_departement_limite"),
        (eligible.is_not_null() & (haut != bas)).alias("rural_cas_limite"),
        pl.when(eligible.is_null())
        .then(pl.lit(STATUT_INDETERMINE))
        .when(eligible)
        .then(pl.lit(STATUT_ELIGIBLE))
        .otherwise(pl.lit(STATUT_NON_ELIGIBLE))
        .alias("rural_statut"),
    )

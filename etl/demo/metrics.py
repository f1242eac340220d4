"""The figures a fictitious candidature reports, drawn with the orders of magnitude of
DOMAIN.md §5 and kept coherent with each other and with the categories it applies to.

Everything is vectorised with numpy: one call draws every candidature's figures. A blank
(optional answer left empty) is ``NaN`` in the returned float arrays; every other value
is a whole number (counts and hours) or a fraction (``taux_sorties_dynamiques``).

Model, per candidature:

- insertion hours ``H``: log-normal around the pool's median (``MEDIANE_HEURES``: 75 000 h
  for urban guichets, 15 000 h for rural ones, so that the overall median is ≈ 60 000 h),
  scaled by the territory's population to the power ``ELASTICITE`` and clipped to
  ``HEURES_MIN``–``HEURES_MAX`` (below the 1 000 000 h the rules call implausible);
- planned hours: ``H`` ÷ a delivered/planned ratio in 0.2–2.0, rounded to 100 h;
- participants: ``H`` ÷ 395–550 hours each; clausés contracts ≈ ``H`` ÷ 3 000;
- sectors: a construction (BTP) share ``s`` (mean ≈ 0.58, some pure construction); women
  fall as ``s`` rises: 3 % + 33 % × (1 − ``s``)^1.4, i.e. ≈ 3 % at ``s`` = 1, ≈ 12 % at the
  typical ``s``, 27–36 % when services dominate;
- publics: under-26 20–35 %, 50+ 10–35 %, RQTH 2–12 %; QPV residents 15–40 %, 33–90 % for
  urban-renewal (ANRU) projects in large towns, none or few for rural candidatures;
- category signals: PI → intellectual-services contracts > 0, ENV → social and
  environmental contracts > 0, FORMATION → trainees and training hours, PRIVE → private
  buyers, SIAE → reserved contracts and inclusive structures, COMM → communication actions,
  MIXITE → more women and seniors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MEDIANE_HEURES = {False: 75_000.0, True: 15_000.0}
"""Median insertion hours of a candidature, urban (False) and rural (True) pools."""

ELASTICITE = 0.5
"""Hours grow as the territory's population to this power."""

SIGMA_HEURES = 0.6
"""Standard deviation of ln(hours) around the size-adjusted median."""

HEURES_MIN, HEURES_MAX = 1_500, 990_000
"""Clip of drawn insertion hours (h): a new rural guichet, a metropolis."""

HEURES_PAR_PARTICIPANT = (395.0, 550.0)
"""Hours worked per participant (h): 2015 national 395, Île-de-France 2021 510."""

HEURES_PAR_MARCHE = 3_000.0
"""Insertion hours per clausé contract (h), Hérault average."""

RATIO_REALISE_PREVU = (0.2, 2.0)
"""Bounds of delivered ÷ planned hours."""

PART_BTP_PURE = 0.08
"""Share of candidatures whose hours are all in construction."""


@dataclass(frozen=True)
class Profil:
    """What the figures depend on, one entry per candidature.

    ``log_ecart``: ln(territory population) minus the pool's weighted median;
    ``grande_ville``: the structure's commune has ≥ 50 000 inhabitants (ANRU projects);
    ``categories``: category code → whether the candidature applies to it.
    """

    rural: np.ndarray
    log_ecart: np.ndarray
    grande_ville: np.ndarray
    categories: dict[str, np.ndarray]

    @property
    def n(self) -> int:
        """Number of candidatures."""
        return int(self.rural.shape[0])

    def vise(self, code: str) -> np.ndarray:
        """Whether each candidature applies to category ``code`` (all False if unknown)."""
        return self.categories.get(code, np.zeros(self.n, dtype=bool))


def heures_insertion(profil: Profil, rng: np.random.Generator) -> np.ndarray:
    """Insertion hours delivered (h), log-normal, scaled on the territory's population."""
    mediane = np.where(profil.rural, MEDIANE_HEURES[True], MEDIANE_HEURES[False])
    log_h = (
        np.log(mediane)
        + ELASTICITE * profil.log_ecart
        + SIGMA_HEURES * rng.standard_normal(profil.n)
    )
    return np.clip(np.rint(np.exp(log_h)), HEURES_MIN, HEURES_MAX)


def metriques(
    profil: Profil, rng: np.random.Generator, heures: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Every numeric answer, by canonical field name (``NaN`` = left empty).

    ``heures`` imposes the delivered hours (re-submissions with revised figures);
    otherwise they are drawn by :func:`heures_insertion`.
    """
    n = profil.n
    h = heures_insertion(profil, rng) if heures is None else heures
    sorties: dict[str, np.ndarray] = {"heures_insertion": h}
    ratio = np.clip(np.exp(rng.normal(0.0, 0.35, n)), *RATIO_REALISE_PREVU)
    bas_ratio, haut_ratio = RATIO_REALISE_PREVU
    prevues = np.clip(
        np.round(h / ratio, -2),
        np.ceil(h / haut_ratio / 100) * 100,
        np.floor(h / bas_ratio / 100) * 100,
    )
    sorties["heures_insertion_prevues"] = _vide(prevues, 0.2, rng)
    bas, haut = HEURES_PAR_PARTICIPANT
    participants = np.clip(
        np.rint(h / rng.uniform(bas, haut, n)),
        np.ceil(h / haut),
        np.maximum(1.0, np.floor(h / bas)),
    )
    sorties["nb_participants"] = participants
    sorties.update(_secteurs_et_publics(profil, rng, h, participants))
    sorties.update(_marches_et_acteurs(profil, rng, h))
    sorties.update(_formation_et_sorties(profil, rng, participants))
    return sorties


def _secteurs_et_publics(
    profil: Profil, rng: np.random.Generator, h: np.ndarray, participants: np.ndarray
) -> dict[str, np.ndarray]:
    """Hours by sector (summing to the total when all given) and counts of publics."""
    n = profil.n
    mixite = profil.vise("MIXITE")
    part_btp = rng.beta(2.3, 1.7, n) * np.where(mixite | profil.vise("PI"), 0.75, 1.0)
    part_btp = np.where(rng.random(n) < PART_BTP_PURE, 1.0, part_btp)
    btp = np.rint(h * part_btp)
    services = np.rint((h - btp) * rng.uniform(0.55, 0.95, n))
    autres = h - btp - services
    sans_detail = rng.random(n) < 0.15
    sans_autres = ~sans_detail & (rng.random(n) < 0.05)
    part_femmes = 0.03 + 0.33 * (1.0 - part_btp) ** 1.4 + rng.normal(0.0, 0.02, n) + 0.05 * mixite
    part_seniors = rng.uniform(0.10, 0.35, n) + 0.05 * mixite
    anru = profil.grande_ville & ~profil.rural & (rng.random(n) < 0.3)
    part_qpv = np.select(
        [anru, profil.rural & (rng.random(n) < 0.6), profil.rural],
        [rng.uniform(0.33, 0.90, n), np.zeros(n), rng.uniform(0.01, 0.08, n)],
        default=rng.uniform(0.15, 0.40, n),
    )
    return {
        "heures_btp": np.where(sans_detail, np.nan, btp),
        "heures_services": np.where(sans_detail, np.nan, services),
        "heures_autres_secteurs": np.where(sans_detail | sans_autres, np.nan, autres),
        "nb_femmes": _effectif(part_femmes, participants),
        "nb_seniors": _vide(_effectif(part_seniors, participants), 0.1, rng),
        "nb_residents_qpv": _vide(_effectif(part_qpv, participants), 0.1, rng),
        "nb_jeunes": _vide(_effectif(rng.uniform(0.20, 0.35, n), participants), 0.1, rng),
        "nb_rqth": _vide(_effectif(rng.uniform(0.02, 0.12, n), participants), 0.3, rng),
    }


def _marches_et_acteurs(
    profil: Profil, rng: np.random.Generator, h: np.ndarray
) -> dict[str, np.ndarray]:
    """Contracts (clausés, reserved, environmental, intellectual services) and actors."""
    n = profil.n
    siae, env, pi = profil.vise("SIAE"), profil.vise("ENV"), profil.vise("PI")
    prive, comm = profil.vise("PRIVE"), profil.vise("COMM")
    clauses = np.maximum(1.0, np.rint(h / HEURES_PAR_MARCHE * rng.lognormal(0.0, 0.3, n)))
    environnementaux = np.where(
        env,
        np.maximum(1.0, np.rint(clauses * rng.uniform(0.2, 0.6, n))),
        np.rint(clauses * rng.uniform(0.0, 0.15, n)),
    )
    intellectuelles = np.where(
        pi,
        np.maximum(1.0, np.rint(clauses * rng.uniform(0.05, 0.25, n))),
        np.where(rng.random(n) < 0.7, 0.0, rng.poisson(0.5, n)),
    )
    reserves = np.where(siae, 2 + rng.poisson(6.0, n), rng.poisson(1.5, n)).astype(np.float64)
    publics = np.clip(np.rint(0.16 * np.sqrt(h) * rng.lognormal(0.0, 0.3, n)), 3, 80)
    prives = np.where(prive, np.minimum(40, 3 + rng.poisson(8.0, n)), rng.poisson(1.2, n))
    inclusives = np.clip(
        np.rint(0.05 * np.sqrt(h) * rng.lognormal(0.0, 0.4, n)) + siae * rng.poisson(10.0, n),
        1,
        120,
    )
    actions = np.where(comm, 10 + rng.poisson(20.0, n), rng.poisson(5.0, n)).astype(np.float64)
    return {
        "nb_marches_clauses": clauses,
        "nb_marches_reserves": _vide(reserves, 0.15, rng, garde=siae),
        "nb_marches_environnementaux": _vide(np.minimum(environnementaux, clauses), 0.2, rng, env),
        "nb_marches_prestations_intellectuelles": _vide(
            np.minimum(intellectuelles, clauses), 0.3, rng, pi
        ),
        "nb_donneurs_ordre_publics": publics,
        "nb_donneurs_ordre_prives": _vide(prives.astype(np.float64), 0.15, rng, prive),
        "nb_structures_inclusives": _vide(inclusives, 0.1, rng, siae),
        "nb_actions_communication": _vide(actions, 0.2, rng, comm),
    }


def _formation_et_sorties(
    profil: Profil, rng: np.random.Generator, participants: np.ndarray
) -> dict[str, np.ndarray]:
    """Trainees, training hours, durable exits and the dynamic-exit rate (a fraction)."""
    n = profil.n
    formation = profil.vise("FORMATION")
    formees = np.where(
        formation,
        np.maximum(1.0, np.rint(participants * rng.uniform(0.2, 0.6, n))),
        np.rint(participants * rng.uniform(0.0, 0.15, n)),
    )
    heures_formation = np.rint(
        formees * np.where(formation, rng.uniform(70, 400, n), rng.uniform(35, 200, n))
    )
    sans_formation = ~formation & (rng.random(n) < 0.35)
    part_durable = rng.uniform(0.2, 0.5, n)
    taux = np.clip(part_durable + rng.uniform(0.1, 0.3, n), 0.0, 0.95)
    pas = np.where(rng.random(n) < 0.2, 200.0, 100.0)  # 0,5 % or 1 % steps
    return {
        "nb_personnes_formees": np.where(sans_formation, np.nan, formees),
        "heures_formation": np.where(sans_formation, np.nan, heures_formation),
        "nb_sorties_emploi_durable": _vide(_effectif(part_durable, participants), 0.15, rng),
        "taux_sorties_dynamiques": _vide(np.round(taux * pas) / pas, 0.2, rng),
    }


def _effectif(part: np.ndarray, participants: np.ndarray) -> np.ndarray:
    """A public's head count: ``part`` of the participants, never more than all of them."""
    effectif = np.rint(np.clip(part, 0.0, 1.0) * participants)
    return np.asarray(np.clip(effectif, 0, participants), dtype=np.float64)


def _vide(
    valeurs: np.ndarray,
    probabilite: float,
    rng: np.random.Generator,
    garde: np.ndarray | None = None,
) -> np.ndarray:
    """``valeurs`` with a share ``probabilite`` left empty (``NaN``), except where ``garde``
    (a candidature's own category makes the answer essential)."""
    vide = np.less(rng.random(valeurs.shape[0]), probabilite)
    if garde is not None:
        vide = np.logical_and(vide, np.logical_not(garde))
    return np.where(vide, np.nan, valeurs.astype(np.float64))

"""Fictitious candidatures of one edition as a typed frame, one row per form submission.

Columns are the canonical field names of the edition (``FormField.nom``) holding the
answer as the form stores it: text answers (choice labels, « Oui »/« Non », categories
joined by the edition's separator), whole numbers (Int64), the dynamic-exit rate as a
fraction (Float64) and the timestamp as a naive Paris-time Datetime. Columns starting
with ``_`` describe the fiction (rural pool, structure type code, categories, commune
code, submission kind) for tests and for the dirty export; writers drop them.

Submissions follow the form's life (``anomalies=True``, from 20 rows): a few ineligible
candidatures (no guichet competence, non-member not recognised, project not started, a
rural-prize applicant in a large town), a few after the deadline, some re-submitted
(same respondent e-mail and project title, later timestamp, revised figures) and one
exact duplicate line. Rows are sorted by timestamp, like a Google Forms response sheet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from etl.demo import answers as ans
from etl.demo import vocabulary as voc
from etl.demo.metrics import Profil, metriques
from etl.demo.territory import GRANDE_VILLE, TerritoryPools
from etl.editions import Edition

PARTS_TYPES = {"plie": 0.30, "mde": 0.30, "collectivite": 0.25, "association": 0.10, "autre": 0.05}
"""Share of each structure type among candidatures (DOMAIN.md §5, estimate)."""

PART_RURALE = 0.20
"""Share of candidatures from the rural pool."""

PART_RURAL_VISE = 0.75
"""Share of rural candidatures applying to the rural prize."""

NB_CATEGORIES = (0.55, 0.32, 0.13)
"""Probability of applying to 1, 2 or 3 categories."""

POIDS_CATEGORIES = {"SIAE": 1.2, "FORMATION": 1.3, "PRIVE": 0.8, "PI": 0.6}
"""Relative popularity of categories (others 1.0; the rural prize is drawn apart)."""

DUREE_APPEL_PAR_DEFAUT = timedelta(days=35)
"""Call length assumed when an edition's launch date is unknown (2024)."""

TAUX_ANOMALIES = {
    "competence": 0.02,
    "reseau": 0.02,
    "en_projet": 0.02,
    "rural_grande_ville": 0.01,
    "hors_delai": 0.02,
    "resoumission": 0.04,
}
"""Share of rows of each kind of anomaly (at least one each when ``anomalies``)."""

MIN_LIGNES_ANOMALIES = 20
"""Below this many rows, no anomaly is injected."""

_STATUT_EN_PROJET = "En projet"


def candidatures(
    edition: Edition,
    n: int,
    rng: np.random.Generator,
    pools: TerritoryPools,
    anomalies: bool = True,
) -> pl.DataFrame:
    """``n`` form submissions of ``edition`` (see the module docstring), sorted by time."""
    avec_anomalies = anomalies and n >= MIN_LIGNES_ANOMALIES
    nb_resoumissions = max(1, round(TAUX_ANOMALIES["resoumission"] * n)) if avec_anomalies else 0
    nb_doublons = 1 if avec_anomalies else 0
    base = _base(edition, n - nb_resoumissions - nb_doublons, rng, pools, avec_anomalies)
    if avec_anomalies:
        sources = rng.permutation(np.flatnonzero(~base["_hors_delai"].to_numpy()))
        base = pl.concat(
            [
                base,
                resoumissions(edition, base, sources[:nb_resoumissions], rng),
                base[int(sources[nb_resoumissions])].with_columns(_soumission=pl.lit("doublon")),
            ]
        )
    return base.sort("horodateur", maintain_order=True)


def _base(
    edition: Edition, m: int, rng: np.random.Generator, pools: TerritoryPools, anomalies: bool
) -> pl.DataFrame:
    """``m`` distinct candidatures, first submissions only."""
    types = rng.choice(list(PARTS_TYPES), m, p=list(PARTS_TYPES.values()))
    rural = rng.random(m) < PART_RURALE
    lieux = pools.communes[pools.draw(rural, types, rng)]
    selection, principale = _categories(edition, rural, rng)
    ineligibles = _ineligibles(m, rng) if anomalies else {}
    grande_ville = lieux["population"].to_numpy() >= GRANDE_VILLE
    if "rural_grande_ville" in ineligibles and edition.rural_categories:
        urbaines = ineligibles["rural_grande_ville"]
        _viser_le_prix_rural(edition, selection, principale, urbaines[~rural[urbaines]])
    codes = [c.code for c in edition.categories]
    profil = Profil(
        rural=rural,
        log_ecart=np.log(lieux["population_territoire"].to_numpy().astype(np.float64))
        - np.where(rural, pools.log_median[True], pools.log_median[False]),
        grande_ville=grande_ville,
        categories={code: selection[:, k] for k, code in enumerate(codes)},
    )
    chiffres = metriques(profil, rng)
    anru = (
        grande_ville & ~rural & (chiffres["nb_residents_qpv"] > 0.33 * chiffres["nb_participants"])
    )
    frame = pl.DataFrame(
        {
            "_id": np.arange(m),
            "_rural": rural,
            "_type": types,
            "_anru": anru,
            "_commune_code": lieux["code"],
            "_log_ecart": profil.log_ecart,
            "_grande_ville": grande_ville,
            "_categories": [[codes[k] for k in np.flatnonzero(ligne)] for ligne in selection],
            "_soumission": pl.repeat("premiere", m, eager=True),
        }
    )
    frame = frame.with_columns(
        horodateur=_horodatages(edition, m, rng),
        _hors_delai=pl.lit(False),
        **{nom: ans.entiers(v) for nom, v in chiffres.items() if nom != "taux_sorties_dynamiques"},
        taux_sorties_dynamiques=pl.Series(chiffres["taux_sorties_dynamiques"], nan_to_null=True),
    )
    frame = frame.hstack(ans.territoire(lieux, rng)).hstack(
        ans.structure(edition, types, lieux, rng)
    )
    frame = frame.hstack(ans.projet(edition, frame, lieux, selection, principale, rng))
    frame = _eligibilite(edition, frame, rng, ineligibles)
    if "hors_delai" in ineligibles:
        frame = _hors_delai(edition, frame, ineligibles["hors_delai"], rng)
    return ans.generiques(edition, frame, rng)


def _viser_le_prix_rural(
    edition: Edition, selection: np.ndarray, principale: np.ndarray, lignes: np.ndarray
) -> None:
    """Make urban ``lignes`` apply to their main category and the rural prize (ineligible:
    their town fails the rural test). Edits ``selection`` in place."""
    codes = np.asarray([c.code for c in edition.categories])
    selection[lignes] = selection[lignes] & (codes == principale[lignes, None])
    selection[lignes, int(np.flatnonzero(codes == edition.rural_categories[0])[0])] = True


def _categories(
    edition: Edition, rural: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Which categories each candidature applies to (bool matrix) and its main one.

    Weighted draw without replacement (Gumbel top-k). Rural candidatures apply to the
    rural prize first (``PART_RURAL_VISE``); urban ones never do (except the ineligible
    ones added later).
    """
    codes = [c.code for c in edition.categories]
    m, k = rural.shape[0], len(codes)
    poids = np.array([POIDS_CATEGORIES.get(c, 1.0) for c in codes])
    cles = np.log(poids) + rng.gumbel(size=(m, k))
    for code in edition.rural_categories:
        j = codes.index(code)
        cles[:, j] = np.where(
            rural & (rng.random(m) < PART_RURAL_VISE), np.inf, np.where(rural, cles[:, j], -np.inf)
        )
    nombre = np.minimum(rng.choice(len(NB_CATEGORIES), m, p=NB_CATEGORIES) + 1, k)
    ordre = np.argsort(-cles, axis=1, kind="stable")
    rang = np.argsort(ordre, axis=1, kind="stable")
    selection = (rang < nombre[:, None]) & np.isfinite(cles) | (rang == 0)
    principale = np.asarray(codes)[ordre[:, 0]]
    return selection, principale


def _ineligibles(m: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Disjoint row indices for each kind of anomaly of the first submissions."""
    ordre = rng.permutation(m)
    choix: dict[str, np.ndarray] = {}
    debut = 0
    for nom in ("competence", "reseau", "en_projet", "rural_grande_ville", "hors_delai"):
        nombre = max(1, round(TAUX_ANOMALIES[nom] * m))
        choix[nom] = ordre[debut : debut + nombre]
        debut += nombre
    return choix


def _horodatages(edition: Edition, m: int, rng: np.random.Generator) -> pl.Series:
    """Submission times (naive, Paris time) within the call, most in its last weeks, on
    working days and office hours, always before the deadline."""
    fuseau = ZoneInfo(edition.calendrier.fuseau)
    cloture = edition.calendrier.cloture.astimezone(fuseau).replace(tzinfo=None)
    lancement = edition.calendrier.lancement
    debut = (
        lancement.astimezone(fuseau).replace(tzinfo=None)
        if lancement is not None
        else (cloture - DUREE_APPEL_PAR_DEFAUT).replace(hour=0, minute=0, second=0)
    )
    jours = (cloture.date() - debut.date()).days
    jour = np.floor(rng.beta(2.2, 1.0, m) * (jours + 1)).astype(np.int64)
    jour_semaine = (debut.weekday() + jour) % 7
    deplace = (jour_semaine >= 5) & (rng.random(m) < 0.75)
    lundi = np.where(jour + (7 - jour_semaine) <= jours, jour + (7 - jour_semaine), jour - 2)
    jour = np.where(deplace, np.where(jour_semaine == 5, jour - 1, lundi), jour)
    jour = np.clip(jour, 0, jours)
    secondes = jour * 86_400 + _heure_de_bureau(m, rng)
    origine = np.datetime64(debut.replace(hour=0, minute=0, second=0), "s")
    instants = origine + secondes.astype("timedelta64[s]")
    limite = np.datetime64(cloture, "s")
    retard = instants >= limite
    avance = rng.integers(60, 5 * 3_600, m).astype("timedelta64[s]")
    instants = np.where(retard, limite - avance, instants)
    return pl.Series("horodateur", instants.astype("datetime64[us]"))


def _heure_de_bureau(m: int, rng: np.random.Generator) -> np.ndarray:
    """Seconds after midnight: office hours mostly (8 h–19 h), some evenings (19 h–23 h)."""
    soir = rng.random(m) < 0.05
    heure = np.where(soir, rng.uniform(19.0, 23.0, m), 8.0 + 11.0 * rng.beta(2.0, 2.0, m))
    return np.asarray(np.floor(heure * 3_600), dtype=np.int64)


def _hors_delai(
    edition: Edition, frame: pl.DataFrame, lignes: np.ndarray, rng: np.random.Generator
) -> pl.DataFrame:
    """Move ``lignes`` after the deadline: minutes to two hours late (just missed), or
    during the office hours of the next two days."""
    fuseau = ZoneInfo(edition.calendrier.fuseau)
    cloture = edition.calendrier.cloture.astimezone(fuseau).replace(tzinfo=None)
    k = lignes.size
    minuit = cloture.replace(hour=0, minute=0, second=0)
    lendemain = (rng.integers(1, 3, k) * 86_400 + _heure_de_bureau(k, rng)).tolist()
    juste_apres = rng.integers(180, 2 * 3_600, k).tolist()
    de_justesse = (rng.random(k) < 0.6).tolist()
    retards = [
        cloture + timedelta(seconds=j) if vite else minuit + timedelta(seconds=d)
        for j, d, vite in zip(juste_apres, lendemain, de_justesse, strict=True)
    ]
    horodateur = frame["horodateur"].to_list()
    hors_delai = frame["_hors_delai"].to_list()
    for ligne, instant in zip(lignes.tolist(), retards, strict=True):
        horodateur[ligne] = instant
        hors_delai[ligne] = True
    return frame.with_columns(
        pl.Series("horodateur", horodateur, dtype=pl.Datetime("us")),
        pl.Series("_hors_delai", hors_delai, dtype=pl.Boolean),
    )


def _eligibilite(
    edition: Edition,
    frame: pl.DataFrame,
    rng: np.random.Generator,
    ineligibles: dict[str, np.ndarray],
) -> pl.DataFrame:
    """Membership, regional recognition, guichet competence and project status answers:
    eligible, except the rows chosen in ``ineligibles``."""
    m = frame.height
    oui, non = ans.oui_non(edition)
    adherent = rng.random(m) < 0.85
    reconnue = np.array(
        [
            oui if not membre else None if tirage < 0.7 else oui if tirage < 0.9 else non
            for membre, tirage in zip(adherent.tolist(), rng.random(m).tolist(), strict=True)
        ],
        dtype=object,
    )
    competence = np.full(m, oui, dtype=object)
    statuts = edition.vocabulary(ans.vocabulaire_de(edition.field("projet_statut")))
    libelles = {v.code: v.libelle for v in statuts.valeurs}
    statut = np.where(
        rng.random(m) < 0.6, libelles["finalise"], libelles["en_cours_de_finalisation"]
    ).astype(object)
    adherent_txt = np.where(adherent, oui, non).astype(object)
    if "competence" in ineligibles:
        competence[ineligibles["competence"]] = non
    if "reseau" in ineligibles:
        adherent_txt[ineligibles["reseau"]] = non
        reconnue[ineligibles["reseau"]] = non
    if "en_projet" in ineligibles:
        en_projet = (
            _STATUT_EN_PROJET
            if statuts.code_for(_STATUT_EN_PROJET) == "en_projet"
            else libelles["en_projet"]
        )
        statut[ineligibles["en_projet"]] = en_projet
    return frame.with_columns(
        adherent_ave=pl.Series(adherent_txt.tolist(), dtype=pl.String),
        reconnue_coordination_regionale=pl.Series(list(reconnue), dtype=pl.String),
        competence_guichet=pl.Series(competence.tolist(), dtype=pl.String),
        projet_statut=pl.Series(statut.tolist(), dtype=pl.String),
    )


def resoumissions(
    edition: Edition,
    base: pl.DataFrame,
    sources: np.ndarray,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Second submissions of the ``sources`` rows: same respondent e-mail and project
    title, a later timestamp (before the deadline when the first one was), revised
    figures (hours × 1.03–1.25, everything else redrawn around them) and a note at the
    end of the description."""
    copies = base[sources.tolist()]
    k = copies.height
    fuseau = ZoneInfo(edition.calendrier.fuseau)
    cloture = edition.calendrier.cloture.astimezone(fuseau).replace(tzinfo=None)
    apres: list[datetime] = []
    jours = rng.integers(0, 5, k).tolist()
    heures = _heure_de_bureau(k, rng).tolist()
    fractions = rng.uniform(0.3, 0.9, k).tolist()
    premieres = copies["horodateur"].to_list()
    for instant, jour, heure, fraction in zip(premieres, jours, heures, fractions, strict=True):
        suivant = instant.replace(hour=0, minute=0, second=0) + timedelta(days=jour, seconds=heure)
        if suivant <= instant:
            suivant = instant + timedelta(seconds=1_200 + heure % 7_200)
        if suivant >= cloture > instant:
            suivant = instant + (cloture - instant) * fraction
        apres.append(suivant.replace(microsecond=0))
    codes = [c.code for c in edition.categories]
    choisies = copies["_categories"].to_list()
    profil = Profil(
        rural=copies["_rural"].to_numpy(),
        log_ecart=copies["_log_ecart"].to_numpy(),
        grande_ville=copies["_grande_ville"].to_numpy(),
        categories={code: np.array([code in c for c in choisies], dtype=bool) for code in codes},
    )
    heures = np.rint(copies["heures_insertion"].to_numpy() * rng.uniform(1.03, 1.25, k))
    chiffres = metriques(profil, rng, heures=np.minimum(heures, 990_000))
    separateur = np.where(rng.random(k) < 0.5, " ", "\n")
    revues: pl.DataFrame = copies.with_columns(
        pl.Series("horodateur", apres, dtype=pl.Datetime("us")),
        _soumission=pl.lit("resoumission"),
        projet_description=pl.concat_str(
            pl.col("projet_description"), pl.Series(separateur.tolist()), pl.lit(voc.MISE_A_JOUR)
        ),
        **{nom: ans.entiers(v) for nom, v in chiffres.items() if nom != "taux_sorties_dynamiques"},
        taux_sorties_dynamiques=pl.Series(chiffres["taux_sorties_dynamiques"], nan_to_null=True),
    ).select(base.columns)
    return revues

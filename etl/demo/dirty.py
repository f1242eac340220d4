"""The dirty export: a Google Forms CSV re-saved by Excel, with one known problem per row,
and the manifest of every problem the loader must report (``<file>.attendus.json``).

The file is Windows-1252, « ; »-separated, CRLF, timestamps without seconds (Excel's
display format). Each row of the plan (``PLAN``) changes one answer of an otherwise clean,
eligible, on-time candidature and says what must come out of it:

- ``problemes``: ``{"ligne", "champ", "regle", "severite", "valeur"}`` (+ ``attendu``, the
  value kept, for warnings); ``ligne`` is the physical line where the record starts, as a
  person sees it in a text editor (header = 1; a line break inside a quoted answer pushes
  every later record down); ``champ`` is the canonical field, or null for a row-level
  rule; ``valeur`` is the raw text of that field (for row-level rules, of the field named
  in ``valeur_de``);
- ``valeurs_acceptees``: unusual but valid spellings (« 48 250 » with a no-break space,
  « 52 000 h », « 52,5 % », département « 1 » or « 2A ») with the value they must load as;
- ``valeurs_nulles``: null markers in optional numeric fields (« n/a », « NC », « - », an
  empty cell) that must load as NULL — never 0 — and are not problems.

A problem's answer always sits on its record's first physical line (the description,
the only multi-line answer, is flattened in rows whose checked answer comes after it), so
a person opening the file at ``ligne`` sees the value.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from etl import files
from etl.demo import writers as ecr
from etl.demo.candidatures import candidatures, resoumissions
from etl.demo.dirty_plan import PLAN, Constat, Contexte, Ligne
from etl.demo.territory import TerritoryPools
from etl.editions import Edition

LIGNES_DE_BASE = 38
"""Distinct candidatures of the dirty export (plus a re-submission and a duplicate)."""

SEVERITES: dict[str, str] = {
    **dict.fromkeys(
        (
            "nombre_illisible", "nombre_negatif", "decimal_pour_entier", "pourcentage_ambigu",
            "date_illisible", "booleen_illisible", "departement_invalide",
            "departement_corse_20", "code_postal_invalide", "siret_cle_invalide",
            "email_invalide", "obligatoire_manquant", "categorie_inconnue", "choix_inconnu",
            "public_superieur_participants", "secteurs_superieurs_total",
        ),
        "erreur",
    ),
    **dict.fromkeys(
        (
            "nombre_ambigu", "zero_initial_ajoute", "valeur_implausible", "hors_delai",
            "doublon_identique", "version_remplacee", "territoire_inconnu", "territoire_ambigu",
        ),
        "avertissement",
    ),
}  # fmt: skip
"""Severity of each rule: rejected or incoherent values are errors; values kept with a
doubt (``nombre_ambigu`` keeps 1.234 as 1 234), row-level notices and territories the
resolver could not settle (the candidature stays, the organiser fixes it) are warnings."""

ENTETES_VARIANTES = {"taux_sorties_dynamiques": "Taux de sorties dynamiques"}
"""Headers differing from the clean export: without « (%) », a bare 45 is ambiguous."""


def dirty_frame(
    edition: Edition, seed: int, pools: TerritoryPools
) -> tuple[pl.DataFrame, int, int, int]:
    """The typed rows of the dirty export, sorted by time: clean candidatures, one
    re-submission, one exact duplicate, the last row moved after the deadline.

    Returns the frame and the ``_id`` of the re-submitted row, of the duplicated row and
    of the late row.
    """
    rng = np.random.default_rng([seed, edition.annee, 1])
    base = candidatures(edition, LIGNES_DE_BASE, rng, pools, anomalies=False)
    source, double, tardive = 5, 12, LIGNES_DE_BASE - 1
    fuseau = ZoneInfo(edition.calendrier.fuseau)
    cloture = edition.calendrier.cloture.astimezone(fuseau).replace(tzinfo=None)
    retard = (cloture + timedelta(hours=9, minutes=14)).replace(second=0)
    horodateur = base["horodateur"].to_list()
    horodateur[tardive] = retard
    base = base.with_columns(pl.Series("horodateur", horodateur, dtype=pl.Datetime("us")))
    frame = pl.concat(
        [
            base,
            resoumissions(edition, base, np.array([source]), rng),
            base[double].with_columns(_soumission=pl.lit("doublon")),
        ]
    ).sort("horodateur", maintain_order=True)
    ids = base["_id"].to_list()
    return frame, ids[source], ids[double], ids[tardive]


def write_dirty_export(
    edition: Edition, seed: int, path: Path, pools: TerritoryPools
) -> tuple[int, Path]:
    """Write the dirty export to ``path`` and its manifest next to it
    (``<stem>.attendus.json``); return the number of data rows and the manifest path."""
    frame, source, double, tardive = dirty_frame(edition, seed, pools)
    champs = ecr.champs_du_formulaire(edition)
    noms = [c.nom for c in champs]
    textes = ecr.textes(frame, edition, "excel")
    lignes: list[Ligne] = [{k: v or "" for k, v in r.items()} for r in textes.iter_rows(named=True)]
    typees = frame.to_dicts()
    constats: list[Constat] = [Constat() for _ in lignes]
    ids = frame["_id"].to_list()
    soumissions = frame["_soumission"].to_list()
    premiere_de = {i: ids.index(i) for i in (source, double)}
    speciales = {premiere_de[source], premiere_de[double]}
    for rang, (identifiant, soumission) in enumerate(zip(ids, soumissions, strict=True)):
        if soumission == "resoumission":
            constats[premiere_de[source]].probleme(None, "version_remplacee", "projet_titre")
            speciales.add(rang)
        elif soumission == "doublon":
            constats[rang].probleme(None, "doublon_identique", "horodateur")
            speciales.add(rang)
        elif identifiant == tardive:
            constats[rang].probleme("horodateur", "hors_delai")
            speciales.add(rang)
    libres = [rang for rang in range(len(lignes)) if rang not in speciales]
    for rang, etape in zip(libres, PLAN, strict=False):
        ctx = Contexte(edition, pools, typees[rang])
        constats[rang] = etape(lignes[rang], ctx)
    _aplatir_descriptions(lignes, constats, noms)
    entetes = [ecr.entete(c, ENTETES_VARIANTES) for c in champs]
    contenu = ecr.excel_csv_bytes(entetes, [[ligne[nom] for nom in noms] for ligne in lignes])
    files.write_atomic(path, contenu)
    manifeste = path.with_name(f"{path.stem}.attendus.json")
    document = _manifeste(edition, seed, path, lignes, constats, entetes)
    files.write_atomic(manifeste, json.dumps(document, ensure_ascii=False, indent=2))
    return len(lignes), manifeste


def _aplatir_descriptions(lignes: list[Ligne], constats: list[Constat], noms: list[str]) -> None:
    """Put the description on one line in rows whose checked answers come after it."""
    position = noms.index("projet_description")
    for ligne, constat in zip(lignes, constats, strict=True):
        champs = [p["valeur_de"] for p in constat.problemes]
        champs += [a["champ"] for a in constat.acceptees] + constat.nulles
        if any(noms.index(c) > position for c in champs):
            ligne["projet_description"] = " ".join(ligne["projet_description"].split())


def premieres_lignes(lignes: list[Ligne]) -> list[int]:
    """Physical line where each record starts (header = 1, one line per line feed)."""
    debuts, courante = [], 2
    for ligne in lignes:
        debuts.append(courante)
        courante += 1 + sum(valeur.count("\n") for valeur in ligne.values())
    return debuts


def _manifeste(
    edition: Edition,
    seed: int,
    path: Path,
    lignes: list[Ligne],
    constats: list[Constat],
    entetes: list[str],
) -> dict[str, Any]:
    """The JSON manifest of expected problems, accepted spellings and null markers."""
    problemes, acceptees, nulles = [], [], []
    for debut, ligne, constat in zip(premieres_lignes(lignes), lignes, constats, strict=True):
        for p in constat.problemes:
            entree = {
                "ligne": debut,
                "champ": p["champ"],
                "regle": p["regle"],
                "severite": SEVERITES[p["regle"]],
                "valeur": ligne[p["valeur_de"]],
            }
            if p["champ"] is None:
                entree["valeur_de"] = p["valeur_de"]
            if "attendu" in p:
                entree["attendu"] = p["attendu"]
            problemes.append(entree)
        for a in constat.acceptees:
            acceptees.append(
                {
                    "ligne": debut,
                    "champ": a["champ"],
                    "valeur": ligne[a["champ"]],
                    "attendu": a["attendu"],
                }
            )
        nulles += [{"ligne": debut, "champ": c, "valeur": ligne[c]} for c in constat.nulles]
    return {
        "fichier": path.name,
        "edition": edition.annee,
        "graine": seed,
        "encodage": "cp1252",
        "separateur": ";",
        "fin_de_ligne": "CRLF",
        "lignes_de_donnees": len(lignes),
        "entetes": entetes,
        "note": "Données fictives générées par `trophees demo` ; une ligne = une anomalie connue.",
        "problemes": problemes,
        "valeurs_acceptees": acceptees,
        "valeurs_nulles": nulles,
    }

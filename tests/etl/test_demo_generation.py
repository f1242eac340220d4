"""Fictitious exports (``etl.demo``): reproducible files shaped like real Google Forms
exports, realistic figures, and a dirty export whose manifest points at every problem.

Files are read back with the standard library only (``csv``, ``openpyxl``): the tests
check what a person or any reader would see, not what our own reader makes of it.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import statistics
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from openpyxl import load_workbook

from etl import demo as synthetic
from etl.editions import Edition, FormField, load_editions

if TYPE_CHECKING:
    from etl.reference import Reference

Enregistrement = dict[str, str]
"""One CSV record by canonical field name."""

DATE_GOOGLE = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}$")
TELEPHONES_FICTIFS = ("019900", "026191", "035301", "046571", "053649", "099900", "063998")
"""ARCEP ranges reserved for fiction (first six digits of the national number)."""
REGLES_ATTENDUES = {
    "nombre_illisible", "nombre_negatif", "decimal_pour_entier", "nombre_ambigu",
    "pourcentage_ambigu", "date_illisible", "booleen_illisible", "departement_invalide",
    "departement_corse_20", "code_postal_invalide", "zero_initial_ajoute",
    "siret_cle_invalide", "email_invalide", "obligatoire_manquant", "categorie_inconnue",
    "choix_inconnu", "public_superieur_participants", "secteurs_superieurs_total",
    "valeur_implausible", "hors_delai", "territoire_inconnu", "territoire_ambigu",
    "doublon_identique", "version_remplacee",
}  # fmt: skip


# --- Reading helpers (standard library only) --------------------------------------------


def lire_csv(
    chemin: Path, edition: Edition, encodage: str = "utf-8", separateur: str = ","
) -> tuple[list[str], list[tuple[int, Enregistrement]]]:
    """Headers, and each record with the physical line where it starts (header = 1)."""
    texte = chemin.read_bytes().decode(encodage)
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    entetes = next(lecteur)
    noms = [champ.nom for champ in map(edition.match_header, entetes) if champ is not None]
    assert len(noms) == len(entetes), "every header must be recognised"
    enregistrements, debut = [], lecteur.line_num + 1
    for valeurs in lecteur:
        enregistrements.append((debut, dict(zip(noms, valeurs, strict=True))))
        debut = lecteur.line_num + 1
    return entetes, enregistrements


def entier(texte: str) -> int | None:
    """A whole number typed with any spaces (NBSP, narrow NBSP), or None when empty."""
    nu = re.sub(r"\s", "", texte)
    return int(nu) if nu else None


def instant(texte: str) -> datetime:
    return datetime.strptime(texte, "%d/%m/%Y %H:%M:%S")


def cloture_locale(edition: Edition) -> datetime:
    return edition.calendrier.cloture.replace(tzinfo=None)


# --- Fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def editions() -> dict[int, Edition]:
    return load_editions()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, reference_dir: Path) -> dict[str, Any]:
    """The demo files, written once for the module (seed 2023)."""
    exports = synthetic.generate_demo(tmp_path_factory.mktemp("demo"), seed=2023)
    return {"csv": exports[0], "xlsx": exports[1], "sale": exports[2], "tous": exports}


@pytest.fixture(scope="module")
def echantillon(
    tmp_path_factory: pytest.TempPathFactory, editions: dict[int, Edition], reference_dir: Path
) -> list[Enregistrement]:
    """5 000 submissions of the 2023 form, parsed simply."""
    chemin = tmp_path_factory.mktemp("echantillon") / "cinq-mille.csv"
    synthetic.generate_export(editions[2023], 5_000, seed=11, path=chemin)
    return [r for _, r in lire_csv(chemin, editions[2023])[1]]


@pytest.fixture(scope="module")
def manifeste(demo: dict[str, Any]) -> dict[str, Any]:
    chemin: Path = demo["sale"].attendus
    document: dict[str, Any] = json.loads(chemin.read_text(encoding="utf-8"))
    return document


# --- Files: names, determinism, shape ---------------------------------------------------


def test_demo_writes_the_three_expected_files(demo: dict[str, Any]) -> None:
    noms = [(e.path.parent.name, e.path.name, e.format, e.sale) for e in demo["tous"]]
    assert noms == [
        ("2023", "reponses-trophees-2023.csv", "csv", False),
        ("2024", "reponses-trophees-2024.xlsx", "xlsx", False),
        ("2023", "reponses-trophees-2023-a-corriger.csv", "csv", True),
    ]
    assert 60 <= demo["csv"].lignes <= 110 and 60 <= demo["xlsx"].lignes <= 110
    assert demo["sale"].lignes == 40
    assert demo["csv"].attendus is None and demo["sale"].attendus.is_file()


def test_same_seed_gives_identical_bytes_other_seed_differs(
    tmp_path: Path, reference_dir: Path
) -> None:
    premiers = synthetic.generate_demo(tmp_path / "a", seed=7)
    seconds = synthetic.generate_demo(tmp_path / "b", seed=7)
    autres = synthetic.generate_demo(tmp_path / "c", seed=8)
    for un, deux, trois in zip(premiers, seconds, autres, strict=True):
        assert un.path.read_bytes() == deux.path.read_bytes(), un.path.name
        assert un.path.read_bytes() != trois.path.read_bytes(), un.path.name
    assert premiers[2].attendus is not None and seconds[2].attendus is not None
    assert premiers[2].attendus.read_bytes() == seconds[2].attendus.read_bytes()


def test_every_header_is_a_recognised_question_in_form_order(
    demo: dict[str, Any], editions: dict[int, Edition]
) -> None:
    entetes, _ = lire_csv(demo["csv"].path, editions[2023])
    sale, _ = lire_csv(demo["sale"].path, editions[2023], "cp1252", ";")
    feuille = load_workbook(demo["xlsx"].path, read_only=True).worksheets[0]
    classeur = [c.value for c in next(feuille.iter_rows(max_row=1))]
    for edition, liste in (
        (editions[2023], entetes),
        (editions[2023], sale),
        (editions[2024], classeur),
    ):
        noms = [edition.match_header(str(h)).nom for h in liste]  # type: ignore[union-attr]
        assert sorted(noms) == sorted(c.nom for c in edition.champs)
        assert noms[:3] == ["horodateur", "email_repondant", "structure_nom"]
        assert noms[-1] == "accord_diffusion"
    assert entetes[0] == "Horodateur"


def test_clean_exports_fill_every_required_field(
    demo: dict[str, Any], editions: dict[int, Edition]
) -> None:
    obligatoires = [c.nom for c in editions[2023].champs if c.obligatoire]
    for _, r in lire_csv(demo["csv"].path, editions[2023])[1]:
        assert all(r[nom].strip() for nom in obligatoires), r
    feuille = load_workbook(demo["xlsx"].path, read_only=True).worksheets[0]
    lignes = list(feuille.iter_rows(values_only=True))
    noms = [editions[2024].match_header(str(h)).nom for h in lignes[0]]  # type: ignore[union-attr]
    for ligne in lignes[1:]:
        valeurs = dict(itertools.zip_longest(noms, ligne))  # trailing empty cells are absent
        assert all(valeurs[c.nom] not in (None, "") for c in editions[2024].champs if c.obligatoire)


def test_google_csv_is_utf8_comma_lf_with_multiline_quoted_answers(
    demo: dict[str, Any], editions: dict[int, Edition]
) -> None:
    contenu = demo["csv"].path.read_bytes()
    assert not contenu.startswith(b"\xef\xbb\xbf") and b"\r" not in contenu
    texte = contenu.decode("utf-8")
    _, enregistrements = lire_csv(demo["csv"].path, editions[2023])
    assert len(enregistrements) == demo["csv"].lignes
    assert all(DATE_GOOGLE.match(r["horodateur"]) for _, r in enregistrements)
    debuts = [d for d, _ in enregistrements]
    assert any(b - a > 1 for a, b in itertools.pairwise(debuts)), "multi-line answers"
    for marque in ("«", "»", "’", '""'):
        assert marque in texte, marque


def test_contacts_and_identifiers_are_visibly_fictitious(
    demo: dict[str, Any], editions: dict[int, Edition]
) -> None:
    for _, r in lire_csv(demo["csv"].path, editions[2023])[1]:
        for champ in ("email_repondant", "contact_email"):
            assert r[champ].split("@")[1] in ("exemple.fr", "example.org"), r[champ]
        if r["contact_telephone"]:
            chiffres = re.sub(r"\D", "", r["contact_telephone"])
            national = "0" + chiffres[2:] if chiffres.startswith("33") else chiffres
            assert len(national) == 10 and national[:6] in TELEPHONES_FICTIFS, national
        if r["lien_documents"]:
            assert re.match(r"^https://(www\.)?(exemple\.fr|example\.org)/", r["lien_documents"])
        siret = r["structure_siret"].replace(" ", "")
        if siret:
            assert siret.startswith("000") and luhn(siret) and luhn(siret[:9]), siret


def luhn(chiffres: str) -> bool:
    total = 0
    for rang, c in enumerate(reversed(chiffres)):
        d = int(c) * (2 if rang % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def test_timestamps_follow_the_call_with_a_few_late_rows(
    demo: dict[str, Any], editions: dict[int, Edition]
) -> None:
    edition = editions[2023]
    instants = [instant(r["horodateur"]) for _, r in lire_csv(demo["csv"].path, edition)[1]]
    assert instants == sorted(instants)
    lancement = edition.calendrier.lancement
    assert lancement is not None and min(instants) >= lancement.replace(tzinfo=None)
    en_retard = [t for t in instants if t > cloture_locale(edition)]
    assert 1 <= len(en_retard) <= 5


def test_clean_export_holds_the_life_of_a_real_form(
    demo: dict[str, Any], editions: dict[int, Edition], reference: Reference
) -> None:
    edition = editions[2023]
    lignes = [r for _, r in lire_csv(demo["csv"].path, edition)[1]]
    cles = [tuple(r.values()) for r in lignes]
    assert sum(cles.count(c) - 1 for c in set(cles)) == 1, "exactly one exact duplicate line"
    par_projet: dict[tuple[str, str], list[Enregistrement]] = {}
    for r in {tuple(r.values()): r for r in lignes}.values():
        par_projet.setdefault((r["email_repondant"], r["projet_titre"]), []).append(r)
    versions = [v for v in par_projet.values() if len(v) > 1]
    assert versions and all(len(v) == 2 for v in versions)
    for premiere, seconde in versions:
        assert instant(seconde["horodateur"]) > instant(premiere["horodateur"])
        assert seconde["heures_insertion"] != premiere["heures_insertion"]
    assert any(r["competence_guichet"] == "Non" for r in lignes)
    assert any(r["adherent_ave"] == r["reconnue_coordination_regionale"] == "Non" for r in lignes)
    statuts = edition.vocabulary("projet_statut")
    assert any(statuts.code_for(r["projet_statut"]) == "en_projet" for r in lignes)
    rural = edition.vocabulary("categories")
    grandes = populations(reference)
    assert any(
        "RURAL" in rural.codes_for(r["categories"]).codes
        and grandes[(r["commune"], code_departement(r["departement"]))][0] >= 25_000
        and grandes[(r["commune"], code_departement(r["departement"]))][1] >= 350_000
        for r in lignes
    ), "a rural-prize applicant in a large town"


def populations(reference: Reference) -> dict[tuple[str, str], tuple[int, int]]:
    """(commune name, département code) → (commune, département) populations."""
    deps = dict(
        zip(reference.departements["code"], reference.departements["population"], strict=True)
    )
    return {
        (nom, dep): (pop, deps[dep])
        for nom, dep, pop in reference.communes.select(
            "nom", "departement_code", "population"
        ).iter_rows()
    }


def code_departement(texte: str) -> str:
    """« 01 », « Ain (01) » or « 01 - Ain » → « 01 »."""
    trouve = re.search(r"\b(2[AB]|\d{2,3})\b", texte)
    assert trouve, texte
    return trouve.group(1)


def test_categories_are_multiple_and_labels_with_commas_survive(
    demo: dict[str, Any], editions: dict[int, Edition]
) -> None:
    edition = editions[2023]
    vocabulaire = edition.vocabulary("categories")
    lues = [
        vocabulaire.codes_for(r["categories"], edition.separateur_choix_multiples)
        for _, r in lire_csv(demo["csv"].path, edition)[1]
    ]
    assert all(not lu.inconnus and 1 <= len(lu.codes) <= 3 for lu in lues)
    assert sum(len(lu.codes) > 1 for lu in lues) >= 10
    assert any("MIXITE" in lu.codes for lu in lues), "« (QPV, senior, femmes) » has commas"
    libelle = edition.category("MIXITE").libelle
    assert ", " in libelle
    assert vocabulaire.codes_for(
        f"4. {libelle}, 6. Clauses sociales et environnementales"
    ).codes == (
        "MIXITE",
        "ENV",
    )


def test_xlsx_has_datetime_numeric_and_percent_cells(
    demo: dict[str, Any], editions: dict[int, Edition]
) -> None:
    edition = editions[2024]
    classeur = load_workbook(demo["xlsx"].path)
    feuille = classeur.worksheets[0]
    assert feuille.title == "Réponses au formulaire 1"
    noms = [edition.match_header(str(c.value)).nom for c in feuille[1]]  # type: ignore[union-attr]
    colonne = {nom: i for i, nom in enumerate(noms)}
    lignes = list(feuille.iter_rows(min_row=2))
    assert all(isinstance(r[colonne["horodateur"]].value, datetime) for r in lignes)
    assert all(isinstance(r[colonne["heures_insertion"]].value, int) for r in lignes)
    taux = [
        r[colonne["taux_sorties_dynamiques"]]
        for r in lignes
        if r[colonne["taux_sorties_dynamiques"]].value is not None
    ]
    assert taux and all("%" in c.number_format and 0 < c.value < 1 for c in taux)
    fige = synthetic.date_de_telechargement(edition)
    assert classeur.properties.created == fige and classeur.properties.modified == fige


# --- Realism: distributions on 5 000 rows ------------------------------------------------


def test_hours_are_log_normal_around_60000_and_smaller_when_rural(
    echantillon: list[Enregistrement], reference: Reference
) -> None:
    pops = populations(reference)
    heures, rurales = [], []
    for r in echantillon:
        commune, dep = pops[(r["commune"], code_departement(r["departement"]))]
        h = entier(r["heures_insertion"])
        assert h is not None
        heures.append(h)
        if commune < 25_000 or dep < 350_000:
            rurales.append(h)
    assert 45_000 <= statistics.median(heures) <= 80_000
    assert 0.12 <= len(rurales) / len(heures) <= 0.30
    assert 8_000 <= statistics.median(rurales) <= 25_000
    assert min(heures) >= 1_500 and max(heures) < 1_000_000 and np.percentile(heures, 99) > 400_000


def test_counts_are_coherent_with_hours(echantillon: list[Enregistrement]) -> None:
    par_marche, ratios = [], []
    for r in echantillon:
        h, p = entier(r["heures_insertion"]), entier(r["nb_participants"])
        assert h is not None and p is not None
        assert 395 <= h / p <= 550
        par_marche.append(h / (entier(r["nb_marches_clauses"]) or 1))
        prevues = entier(r["heures_insertion_prevues"])
        if prevues:
            ratios.append(h / prevues)
        publics = ("nb_femmes", "nb_seniors", "nb_residents_qpv", "nb_jeunes", "nb_rqth")
        assert all((entier(r[c]) or 0) <= p for c in publics)
        secteurs = [
            entier(r[c]) for c in ("heures_btp", "heures_services", "heures_autres_secteurs")
        ]
        if None not in secteurs:
            assert sum(s for s in secteurs if s is not None) == h
    assert 2_500 <= statistics.median(par_marche) <= 3_500
    assert min(ratios) >= 0.2 and max(ratios) <= 2.0


def test_publics_shares_follow_domain_ranges(echantillon: list[Enregistrement]) -> None:
    btp, femmes, jeunes, seniors = [], [], [], []
    for r in (r for r in echantillon if (entier(r["nb_participants"]) or 0) >= 50):
        p = entier(r["nb_participants"]) or 1
        if r["heures_btp"]:
            btp.append((entier(r["heures_btp"]) or 0) / (entier(r["heures_insertion"]) or 1))
            femmes.append((entier(r["nb_femmes"]) or 0) / p)
        if r["nb_jeunes"]:
            jeunes.append((entier(r["nb_jeunes"]) or 0) / p)
        if r["nb_seniors"]:
            seniors.append((entier(r["nb_seniors"]) or 0) / p)
    assert np.corrcoef(btp, femmes)[0, 1] < -0.6
    assert 0.08 <= statistics.median(femmes) <= 0.20
    pures = [f for b, f in zip(btp, femmes, strict=True) if b == 1.0]
    services = [f for b, f in zip(btp, femmes, strict=True) if b < 0.2]
    assert statistics.median(pures) <= 0.06 and 0.22 <= statistics.median(services) <= 0.42
    assert all(0.19 <= j <= 0.36 for j in jeunes)
    assert all(0.09 <= s <= 0.41 for s in seniors)


def test_structure_types_and_category_signals(
    echantillon: list[Enregistrement], editions: dict[int, Edition]
) -> None:
    edition = editions[2023]
    types = [
        edition.vocabulary("structure_type").code_for(r["structure_type"]) for r in echantillon
    ]
    for code, part in {
        "plie": 0.30,
        "mde": 0.30,
        "collectivite": 0.25,
        "association": 0.10,
    }.items():
        assert abs(types.count(code) / len(types) - part) < 0.03, code
    vocabulaire = edition.vocabulary("categories")
    for r in echantillon:
        codes = vocabulaire.codes_for(r["categories"]).codes
        if "PI" in codes:
            assert (entier(r["nb_marches_prestations_intellectuelles"]) or 0) > 0
        if "ENV" in codes:
            assert (entier(r["nb_marches_environnementaux"]) or 0) > 0
        if "FORMATION" in codes:
            assert (entier(r["nb_personnes_formees"]) or 0) > 0
            assert (entier(r["heures_formation"]) or 0) > 0
        if "PRIVE" in codes:
            assert (entier(r["nb_donneurs_ordre_prives"]) or 0) >= 3


# --- The dirty export and its manifest ---------------------------------------------------


def test_dirty_export_is_an_excel_csv(demo: dict[str, Any]) -> None:
    contenu = demo["sale"].path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        contenu.decode("utf-8")
    texte = contenu.decode("cp1252")
    assert texte.splitlines()[0].count(";") == 45 and texte.endswith("\r\n")
    assert re.search(r"[^\r]\n", texte), "line breaks inside answers stay LF"
    assert DATE_GOOGLE.match(texte.splitlines()[1].split(";")[0] + ":00")


def test_manifest_lines_point_at_the_values(
    demo: dict[str, Any], manifeste: dict[str, Any], editions: dict[int, Edition]
) -> None:
    chemin = demo["sale"].path
    _, enregistrements = lire_csv(chemin, editions[2023], "cp1252", ";")
    par_ligne = dict(enregistrements)
    physiques = chemin.read_bytes().decode("cp1252").split("\n")
    entrees = manifeste["problemes"] + manifeste["valeurs_acceptees"] + manifeste["valeurs_nulles"]
    assert len(entrees) >= 35
    for e in entrees:
        champ = e["champ"] or e["valeur_de"]
        assert par_ligne[e["ligne"]][champ] == e["valeur"], e
        assert e["valeur"] in physiques[e["ligne"] - 1], e
    assert sorted(par_ligne) != list(range(2, 2 + len(par_ligne))), "multi-line records shift lines"


def test_manifest_covers_every_rule_one_per_row(manifeste: dict[str, Any]) -> None:
    problemes = manifeste["problemes"]
    assert {p["regle"] for p in problemes} == REGLES_ATTENDUES
    for p in problemes:
        attendue = "avertissement" if p["regle"] in {
            "nombre_ambigu", "zero_initial_ajoute", "valeur_implausible", "hors_delai",
            "doublon_identique", "version_remplacee", "territoire_inconnu", "territoire_ambigu",
        } else "erreur"  # fmt: skip
        assert p["severite"] == attendue, p
    lignes = [p["ligne"] for p in problemes]
    multiples = {ligne for ligne in lignes if lignes.count(ligne) > 1}
    assert len(multiples) == 1
    assert {p["regle"] for p in problemes if p["ligne"] in multiples} == {
        "departement_invalide",
        "territoire_inconnu",
    }


def test_dirty_row_level_rules(
    demo: dict[str, Any], manifeste: dict[str, Any], editions: dict[int, Edition]
) -> None:
    edition = editions[2023]
    enregistrements = lire_csv(demo["sale"].path, edition, "cp1252", ";")[1]
    rang = {ligne: i for i, (ligne, _) in enumerate(enregistrements)}
    regles = {p["regle"]: p for p in manifeste["problemes"]}
    doublon = rang[regles["doublon_identique"]["ligne"]]
    assert enregistrements[doublon][1] == enregistrements[doublon - 1][1]
    remplacee = enregistrements[rang[regles["version_remplacee"]["ligne"]]][1]
    suivantes = [
        r
        for _, r in enregistrements
        if (r["email_repondant"], r["projet_titre"])
        == (remplacee["email_repondant"], remplacee["projet_titre"])
    ]
    assert len(suivantes) == 2 and suivantes[1]["heures_insertion"] != remplacee["heures_insertion"]
    tardive = datetime.strptime(regles["hors_delai"]["valeur"], "%d/%m/%Y %H:%M")
    assert tardive > cloture_locale(edition)
    assert regles["hors_delai"]["ligne"] == enregistrements[-1][0]


def test_dirty_values_read_as_the_normaliser_says(manifeste: dict[str, Any]) -> None:
    nz = pytest.importorskip("etl.normalise")
    entiers = {"entier": True}
    heures = {"entier": True, "unites": nz.UNITES_HEURES}
    lecteurs = {
        "heures_insertion": (nz.nombre, heures),
        "heures_insertion_prevues": (nz.nombre, heures),
        "heures_formation": (nz.nombre, heures),
        "nb_marches_reserves": (nz.nombre, entiers),
        "nb_participants": (nz.nombre, entiers),
        "nb_rqth": (nz.nombre, entiers),
        "nb_marches_prestations_intellectuelles": (nz.nombre, entiers),
        "nb_donneurs_ordre_prives": (nz.nombre, entiers),
        "taux_sorties_dynamiques": (nz.pourcentage, {}),
        "accord_diffusion": (nz.booleen, {}),
        "departement": (nz.departement, {}),
        "code_postal": (nz.code_postal, {}),
        "structure_siret": (nz.siret, {}),
        "contact_email": (nz.email, {}),
    }
    normaliseur = {
        "nombre_illisible", "nombre_negatif", "decimal_pour_entier", "nombre_ambigu",
        "pourcentage_ambigu", "booleen_illisible", "departement_invalide",
        "departement_corse_20", "code_postal_invalide", "zero_initial_ajoute",
        "siret_cle_invalide", "email_invalide",
    }  # fmt: skip
    for p in manifeste["problemes"]:
        if p["regle"] in normaliseur:
            lecteur, options = lecteurs[p["champ"]]
            lu = nz.lire(lecteur, p["valeur"], **options)
            assert lu.code == p["regle"] and lu.valeur == p.get("attendu"), p
    assert nz.lire(nz.horodatage, regles(manifeste)["date_illisible"]["valeur"]).code == (
        "date_illisible"
    )
    for a in manifeste["valeurs_acceptees"]:
        lecteur, options = lecteurs[a["champ"]]
        assert nz.lire(lecteur, a["valeur"], **options)[:2] == (a["attendu"], None), a
    for n in manifeste["valeurs_nulles"]:
        lecteur, options = lecteurs[n["champ"]]
        assert nz.lire(lecteur, n["valeur"], **options)[:2] == (None, "non_renseigne"), n


def regles(manifeste: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["regle"]: p for p in manifeste["problemes"]}


def test_dirty_territories_and_choices_are_what_the_manifest_says(
    demo: dict[str, Any],
    manifeste: dict[str, Any],
    editions: dict[int, Edition],
    reference: Reference,
) -> None:
    from etl.territory import TerritoryResolver

    edition = editions[2023]
    par_ligne = dict(lire_csv(demo["sale"].path, edition, "cp1252", ";")[1])
    resolveur = TerritoryResolver.from_reference(reference)
    for regle, statut in (("territoire_ambigu", "ambigu"), ("territoire_inconnu", "inconnu")):
        r = par_ligne[regles(manifeste)[regle]["ligne"]]
        lu = resolveur.resolve(commune=r["commune"], departement=r["departement"])
        assert lu.statut == statut, (regle, lu.message)
    for p in manifeste["problemes"]:
        if p["regle"] == "choix_inconnu":
            assert (
                edition.vocabulary(edition.field(p["champ"]).vocabulaire or "").code_for(
                    p["valeur"]
                )
                is None
            )
        if p["regle"] == "categorie_inconnue":
            assert edition.vocabulary("categories").codes_for(p["valeur"]).inconnus


def test_clean_territories_resolve(
    demo: dict[str, Any], editions: dict[int, Edition], reference: Reference
) -> None:
    from etl.territory import TerritoryResolver

    resolveur = TerritoryResolver.from_reference(reference)
    for _, r in lire_csv(demo["csv"].path, editions[2023])[1]:
        lu = resolveur.resolve(
            commune=r["commune"], code_postal=r["code_postal"] or None, departement=r["departement"]
        )
        assert lu.statut in ("exact", "avertissement") and lu.commune_code, (
            r["commune"],
            lu.message,
        )


# --- API edges and scale -----------------------------------------------------------------


def test_generate_export_sizes_and_invalid_size(
    tmp_path: Path, editions: dict[int, Edition], reference_dir: Path
) -> None:
    for n in (1, 5, 25):
        export = synthetic.generate_export(editions[2024], n, seed=3, path=tmp_path / f"{n}.csv")
        assert export.lignes == n == len(lire_csv(export.path, editions[2024])[1])
    with pytest.raises(ValueError, match="au moins 1"):
        synthetic.generate_export(editions[2024], 0, seed=3, path=tmp_path / "0.csv")


def test_a_field_added_by_a_future_edition_gets_answers(
    tmp_path: Path, editions: dict[int, Edition], reference_dir: Path
) -> None:
    nouveau = FormField(
        "nb_entreprises_accompagnees",
        "Entreprises accompagnées",
        "entier",
        ("Nombre d'entreprises accompagnées",),
    )
    edition = replace(editions[2024], champs=(*editions[2024].champs, nouveau))
    export = synthetic.generate_export(edition, 40, seed=5, path=tmp_path / "futur.csv")
    entetes, lignes = lire_csv(export.path, edition)
    assert "Nombre d'entreprises accompagnées" in entetes
    assert any(r["nb_entreprises_accompagnees"].isdigit() for _, r in lignes)


def test_one_hundred_thousand_rows_in_a_few_seconds(
    tmp_path: Path, editions: dict[int, Edition], reference_dir: Path
) -> None:
    synthetic.territory_pools_for(editions[2023])  # reference loaded once, as in a benchmark
    debut = time.perf_counter()
    export = synthetic.generate_export(editions[2023], 100_000, seed=1, path=tmp_path / "grand.csv")
    duree = time.perf_counter() - debut
    assert export.lignes == 100_000
    with export.path.open(encoding="utf-8", newline="") as fichier:
        assert sum(1 for _ in csv.reader(fichier)) == 100_001
    assert duree < 15, f"100 000 lignes en {duree:.1f} s"

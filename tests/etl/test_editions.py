"""Edition configuration: the real files load, and every mistake gets a French message."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from etl import paths
from etl.editions import (
    Edition,
    EditionConfigError,
    load_edition,
    load_editions,
    normalise_header,
)

CALL_2023_PRIZES = {
    # the eight prize titles as the 2023 call for applications prints them
    1: "Communication et rayonnement des dispositifs « Clauses sociales »",
    2: "Promotion des structures inclusives dans le cadre de la commande publique",
    3: "Donneurs d'ordre privés et Politique d'achats socialement responsables",
    4: "Clauses sociales et mixité des publics (QPV, senior, femmes)",
    5: "Emploi, formation et compétences",
    6: "Clauses sociales et environnementales",
    7: "Clause Sociale en milieu rural",
    8: "Clauses sociales et prestations intellectuelles",
}
PARIS = ZoneInfo("Europe/Paris")

MINIMAL = """\
[edition]
annee = 2030
numero = 9
nom = "Trophées 2030"

[calendrier]
cloture = 2030-11-08T16:00:00
ceremonie = 2030-12-09

[[categories]]
code = "COMM"
numero = 1
libelle = "Communication, rayonnement"
description = "Actions de communication."
laureats_max = 1

[[categories.criteres]]
code = "INNOVATION"
libelle = "Innovation"
poids = 60

[[categories.criteres]]
code = "RESULTATS"
libelle = "Résultats"
poids = 40

[[categories]]
code = "RURAL"
numero = 2
libelle = "Milieu rural"
description = "Territoires de faible densité."
laureats_max = 1
prix_rural = true

[[categories.criteres]]
code = "DEVELOPPEMENT"
libelle = "Développement"
poids = 100

[eligibilite]
types_structure_admis = ["plie"]
competence_guichet_requise = true
reseau_un_parmi = ["adherent_ave"]
statuts_projet_acceptes = ["finalise"]

[eligibilite.rural]
combinaison = "ou"
marge_cas_limite_pct = 10

[eligibilite.rural.commune]
operateur = "<"
seuil = 25000

[eligibilite.rural.departement]
operateur = "<"
seuil = 350000

[formulaire.champs.structure_type]
libelle = "Type de structure"
type = "choix"
vocabulaire = "structure_type"
alias = ["Type de structure"]

[formulaire.champs.horodateur]
libelle = "Horodateur"
type = "horodatage"
obligatoire = true
alias = ["Horodateur"]

[formulaire.champs.structure_nom]
libelle = "Nom de la structure"
type = "texte"
obligatoire = true
alias = ["Nom de la structure"]

[formulaire.champs.projet_titre]
libelle = "Intitulé du projet"
type = "texte"
obligatoire = true
alias = ["Intitulé du projet"]

[formulaire.champs.projet_statut]
libelle = "Statut du projet"
type = "choix"
vocabulaire = "projet_statut"
alias = ["Statut du projet"]

[formulaire.champs.competence_guichet]
libelle = "Guichet clause sociale"
type = "booleen"
alias = ["Guichet clause sociale"]

[formulaire.champs.adherent_ave]
libelle = "Adhérente AVE"
type = "booleen"
alias = ["Adhérent AVE"]

[formulaire.champs.heures_insertion]
libelle = "Heures d'insertion"
type = "entier"
unite = "h"
alias = ["Nombre d'heures d'insertion réalisées (total)"]

[formulaire.champs.categories]
libelle = "Catégories"
type = "choix_multiples"
vocabulaire = "categories"
obligatoire = true
alias = ["Catégorie(s)"]

[vocabulaires.oui_non.oui]
libelle = "Oui"

[vocabulaires.oui_non.non]
libelle = "Non"

[vocabulaires.structure_type.plie]
libelle = "PLIE"

[vocabulaires.projet_statut.finalise]
libelle = "Finalisé"
"""


def write(directory: Path, text: str, name: str = "2030.toml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def replaced(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text, f"test anchor missing: {old!r}"
    return text.replace(old, new, 1)


def config_error(tmp_path: Path, text: str) -> EditionConfigError:
    path = write(tmp_path, text)
    with pytest.raises(EditionConfigError) as info:
        load_edition(path)
    message = str(info.value)
    assert "2030.toml" in message, message
    assert message.startswith("Configuration d'édition invalide"), message
    return info.value


# --- The real configurations ------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> dict[int, Edition]:
    return load_editions()


def test_both_real_editions_load(real: dict[int, Edition]) -> None:
    assert sorted(real) == [2023, 2024]
    assert [len(real[2023].categories), len(real[2024].categories)] == [8, 5]
    assert (real[2023].numero, real[2024].numero) == (2, 3)


def test_2023_labels_are_exactly_those_of_the_call(real: dict[int, Edition]) -> None:
    assert {c.numero: c.libelle for c in real[2023].categories} == CALL_2023_PRIZES
    codes = [c.code for c in sorted(real[2023].categories, key=lambda c: c.numero)]
    assert codes == ["COMM", "SIAE", "PRIVE", "MIXITE", "FORMATION", "ENV", "RURAL", "PI"]


def test_2024_labels_and_continuity(real: dict[int, Edition]) -> None:
    e = real[2024]
    assert [c.libelle for c in e.categories] == [
        "Communication et rayonnement de l'achat socialement responsable",
        "Promotion des structures inclusives par l'achat responsable",
        "Convergence des enjeux sociaux et environnementaux",
        "Développement de l'emploi, de la formation et des compétences par une stratégie "
        "territoriale",
        "Achat socialement responsable en milieu rural",
    ]
    assert {c.code: c.suite_de for c in e.categories} == {
        code: (code,) for code in ("COMM", "SIAE", "ENV", "FORMATION", "RURAL")
    }
    previous = {c.code for c in real[2023].categories}
    assert all(set(c.suite_de) <= previous for c in e.categories)


def test_real_calendars(real: dict[int, Edition]) -> None:
    c23, c24 = real[2023].calendrier, real[2024].calendrier
    assert c23.cloture == datetime(2023, 11, 21, 23, 59, 59, tzinfo=PARIS)
    assert c23.lancement == datetime(2023, 10, 17, tzinfo=PARIS)
    assert c23.jury == datetime(2023, 12, 7, tzinfo=PARIS)
    assert c24.cloture == datetime(2024, 11, 8, 16, 0, tzinfo=PARIS)
    assert c24.jury is None and c24.ceremonie_lieu == "Montpellier"
    assert c24.cloture.utcoffset() is not None
    assert not c24.after_deadline(datetime(2024, 11, 8, 15, 59))
    assert c24.after_deadline(datetime(2024, 11, 8, 16, 0, 1))


def test_real_rubrics_weights_and_rural(real: dict[int, Edition]) -> None:
    for edition in real.values():
        for categorie in edition.categories:
            assert 3 <= len(categorie.criteres) <= 5
            assert sum(c.poids for c in categorie.criteres) == 100
        assert edition.rural_categories == ("RURAL",)
        rural = edition.eligibilite.rural
        assert rural is not None
        assert (rural.commune_seuil, rural.departement_seuil) == (25_000, 350_000)
        assert (rural.combinaison, rural.marge_cas_limite_pct) == ("ou", 10)


def test_2024_inherits_the_form_from_2023(real: dict[int, Edition]) -> None:
    assert real[2024].herite_de == 2023
    assert [f.nom for f in real[2024].champs] == [f.nom for f in real[2023].champs]
    assert real[2024].eligibilite.statuts_projet_acceptes == (
        "finalise",
        "en_cours_de_finalisation",
    )


def test_real_headers_resolve_and_never_collide(real: dict[int, Edition]) -> None:
    for edition in real.values():
        vus: dict[str, str] = {}
        for champ in edition.champs:
            for entete in champ.accepted_headers:
                cle = normalise_header(entete)
                assert vus.setdefault(cle, champ.nom) == champ.nom, (entete, champ.nom)
        heures = edition.match_header("NOMBRE D’HEURES D’INSERTION RÉALISÉES (TOTAL) ")
        assert heures is not None and heures.nom == "heures_insertion"
        assert edition.match_header("Horodateur") is not None
    personnels = set(real[2023].champs_personnels)
    assert {"contact_nom", "contact_email", "contact_telephone"} <= personnels


def test_category_answers_with_commas_are_parsed(real: dict[int, Edition]) -> None:
    e = real[2023]
    reponse = (
        "4. Clauses sociales et mixité des publics (QPV, senior, femmes), "
        "7. Clause Sociale en milieu rural, Autre chose"
    )
    parsed = e.vocabulary("categories").codes_for(reponse, e.separateur_choix_multiples)
    assert parsed.codes == ("MIXITE", "RURAL")
    assert parsed.inconnus == ("Autre chose",)
    assert e.vocabulary("oui_non").code_for(" oui ") == "oui"
    assert e.vocabulary("structure_type").code_for("Maison de l'Emploi (MDE)") == "mde"


def test_summary_is_french_and_complete(real: dict[int, Edition]) -> None:
    texte = real[2024].summary_fr()
    assert "3e édition" in texte and "8 novembre 2024 à 16 h 00" in texte
    assert "jury non renseigné" in texte and "Montpellier" in texte
    assert "commune < 25\u202f000 hab. ou département < 350\u202f000 hab." in texte


# --- Normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Nombre d'heures d'insertion réalisées (total)",
            "nombre d’heures d’insertion REALISEES total",
        ),
        ("  Œuvre   Sociale ", "oeuvre sociale"),
        ("Code postal :", "code-postal"),
        ("N° SIRET", "n siret"),
    ],
)
def test_normalise_header_ignores_case_accents_spaces_punctuation(a: str, b: str) -> None:
    assert normalise_header(a) == normalise_header(b)


def test_normalise_header_keeps_words_and_digits_apart() -> None:
    assert normalise_header("Heures 2023") != normalise_header("Heures 2024")
    assert normalise_header("Heures prévues") != normalise_header("Heures réalisées")
    assert normalise_header("« Clauses sociales »") == "clauses sociales"


# --- Error messages ---------------------------------------------------------------------


def test_minimal_config_is_valid(tmp_path: Path) -> None:
    edition = load_edition(write(tmp_path, MINIMAL))
    assert edition.annee == 2030 and edition.calendrier.lancement is None
    assert edition.field("competence_guichet").vocabulaire == "oui_non"


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    err = config_error(tmp_path, replaced('nom = "Trophées 2030"', 'nom = "Trophées 2030'))
    assert "syntaxe TOML ligne 4" in str(err)


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    err = config_error(tmp_path, replaced("seuil = 25000", "seuil = 25000\nseuill = 1"))
    assert err.cle == "eligibilite.rural.commune.seuill"
    assert "clé inconnue" in str(err) and "Vouliez-vous dire « seuil » ?" in str(err)
    err = config_error(tmp_path, replaced("prix_rural = true", "prix_rurale = true"))
    assert err.cle == "categories[2].prix_rurale"
    assert "Vouliez-vous dire « prix_rural » ?" in str(err)


def test_misspelt_required_key_is_pointed_out(tmp_path: Path) -> None:
    text = replaced("laureats_max = 1\nprix_rural", "laureat_max = 1\nprix_rural")
    err = config_error(tmp_path, text)
    assert err.cle == "categories[2].laureats_max"
    assert "clé obligatoire manquante" in str(err)
    assert "« laureat_max » est-elle une faute de frappe" in str(err)
    err = config_error(tmp_path, replaced("[calendrier]", "[calendrer]"))
    assert err.cle == "calendrier" and "« calendrer »" in str(err)


def test_missing_required_field(tmp_path: Path) -> None:
    err = config_error(tmp_path, replaced('description = "Actions de communication."\n', ""))
    assert err.cle == "categories[1].description"
    assert "clé obligatoire manquante" in str(err)


@pytest.mark.parametrize(
    ("old", "new", "cle", "fragment"),
    [
        (
            "cloture = 2030-11-08T16:00:00",
            'cloture = "08/11/2030"',
            "calendrier.cloture",
            "AAAA-MM-JJ",
        ),
        (
            "cloture = 2030-11-08T16:00:00",
            "cloture = 2030-11-08",
            "calendrier.cloture",
            "l'heure est obligatoire",
        ),
        (
            "ceremonie = 2030-12-09",
            "ceremonie = 2030-10-01",
            "calendrier.ceremonie",
            "ne peut pas précéder",
        ),
    ],
)
def test_bad_dates(tmp_path: Path, old: str, new: str, cle: str, fragment: str) -> None:
    err = config_error(tmp_path, replaced(old, new))
    assert err.cle == cle and fragment in str(err)


def test_impossible_date_is_a_syntax_error(tmp_path: Path) -> None:
    err = config_error(tmp_path, replaced("2030-12-09", "2030-13-09"))
    assert "syntaxe TOML ligne 8" in str(err)


def test_duplicate_category_code(tmp_path: Path) -> None:
    err = config_error(tmp_path, replaced('code = "RURAL"', 'code = "COMM"'))
    assert err.cle == "categories[2].code" and "en double" in str(err)


def test_weights_must_sum_to_100(tmp_path: Path) -> None:
    err = config_error(tmp_path, replaced("poids = 40", "poids = 30"))
    assert err.cle == "categories[1].criteres"
    assert "vaut 90 (60 + 30)" in str(err) and "100" in str(err)


def test_unknown_field_type(tmp_path: Path) -> None:
    err = config_error(tmp_path, replaced('type = "entier"', 'type = "entiers"'))
    assert err.cle == "formulaire.champs.heures_insertion.type"
    assert "type inconnu" in str(err) and "« entier »" in str(err)


def test_choice_field_without_vocabulary(tmp_path: Path) -> None:
    err = config_error(tmp_path, replaced('vocabulaire = "projet_statut"\n', ""))
    assert err.cle == "formulaire.champs.projet_statut.vocabulaire"
    assert "vocabulaire" in str(err)
    err = config_error(
        tmp_path, replaced('vocabulaire = "projet_statut"', 'vocabulaire = "statuts"')
    )
    assert "non défini" in str(err)


def test_rural_category_without_thresholds(tmp_path: Path) -> None:
    debut = MINIMAL.index("[eligibilite.rural]")
    fin = MINIMAL.index("[formulaire.champs.structure_type]")
    err = config_error(tmp_path, MINIMAL[:debut] + MINIMAL[fin:])
    assert err.cle == "eligibilite.rural"
    assert "prix_rural" in str(err) and "RURAL" in str(err)


def test_alias_collision_between_fields(tmp_path: Path) -> None:
    text = replaced('alias = ["Statut du projet"]', 'alias = ["TYPE DE STRUCTURE !"]')
    err = config_error(tmp_path, text)
    assert err.cle == "formulaire.champs.projet_statut.alias"
    assert "structure_type" in str(err) and "une colonne ne peut désigner qu'un champ" in str(err)


def test_answer_collision_inside_a_vocabulary(tmp_path: Path) -> None:
    text = replaced(
        '[vocabulaires.oui_non.non]\nlibelle = "Non"', '[vocabulaires.oui_non.non]\nlibelle = "OUI"'
    )
    err = config_error(tmp_path, text)
    assert err.cle == "vocabulaires.oui_non"


def test_eligibility_codes_must_exist(tmp_path: Path) -> None:
    err = config_error(
        tmp_path, replaced('types_structure_admis = ["plie"]', 'types_structure_admis = ["plies"]')
    )
    assert err.cle == "eligibilite.types_structure_admis" and "plies" in str(err)


# --- Inheritance ------------------------------------------------------------------------


def test_inheritance_adds_aliases_and_keeps_parent_sections(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL)
    child = """\
herite_de = 2030

[edition]
annee = 2031
numero = 10
nom = "Trophées 2031"
precedente = 2030

[calendrier]
cloture = 2031-11-07T16:00:00
ceremonie = 2031-12-08

[[categories]]
code = "RURAL"
numero = 1
libelle = "Milieu rural"
description = "Territoires de faible densité."
laureats_max = 2
prix_rural = true
suite_de = ["RURAL"]

[[categories.criteres]]
code = "DEVELOPPEMENT"
libelle = "Développement"
poids = 100

[formulaire.champs.heures_insertion]
alias_ajoutes = ["Nombre d'heures d'insertion réalisées en 2030"]
"""
    edition = load_edition(write(tmp_path, child, "2031.toml"))
    champ = edition.field("heures_insertion")
    assert champ.alias == (
        "Nombre d'heures d'insertion réalisées (total)",
        "Nombre d'heures d'insertion réalisées en 2030",
    )
    assert edition.eligibilite.rural is not None and len(edition.categories) == 1
    assert edition.match_header("nombre d'heures d'insertion realisees en 2030") is champ

    err_text = replaced('suite_de = ["RURAL"]', 'suite_de = ["RURALE"]', child)
    with pytest.raises(EditionConfigError) as info:
        load_edition(write(tmp_path, err_text, "2031.toml"))
    assert info.value.cle == "categories[1].suite_de" and "2031.toml" in str(info.value)


def test_inheritance_from_a_missing_edition(tmp_path: Path) -> None:
    err = config_error(tmp_path, "herite_de = 2020\n" + MINIMAL)
    assert err.cle == "herite_de" and "2020.toml" in str(err)


def test_load_editions_reads_a_directory(tmp_path: Path) -> None:
    for fichier in paths.editions_dir().glob("*.toml"):
        shutil.copy(fichier, tmp_path)
    write(tmp_path, MINIMAL)
    assert sorted(load_editions(tmp_path)) == [2023, 2024, 2030]
    write(tmp_path, MINIMAL, "2029.toml")
    with pytest.raises(EditionConfigError, match=r"2029\.toml.*edition\.annee"):
        load_editions(tmp_path)


def test_documented_2025_example_loads(tmp_path: Path) -> None:
    doc = (paths.ROOT / "docs" / "editions.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Exemple annoté") :]
    exemple = section[section.index("```toml") + len("```toml") : section.index("```\n", 10)]
    for fichier in paths.editions_dir().glob("*.toml"):
        shutil.copy(fichier, tmp_path)
    extra = (
        '\n[vocabulaires.structure_type.autre]\nreponses_ajoutees = ["Structure d\'insertion"]\n'
    )
    edition = load_edition(write(tmp_path, exemple + extra, "2025.toml"))
    assert edition.annee == 2025 and edition.herite_de == 2024
    assert edition.calendrier.jury is None
    assert edition.eligibilite.rural is not None
    champ = edition.match_header("Nombre d'heures d'insertion réalisées en 2024")
    assert champ is not None and champ.nom == "heures_insertion"
    types = edition.vocabulary("structure_type")
    assert types.code_for("structure d'insertion") == "autre"
    assert types.code_for("GIP") == "autre"  # inherited answers are kept

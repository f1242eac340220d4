"""A real-looking reworded export (tests/data/intake) from proposal to warehouse.

The export's questions are worded unlike config/editions/2023.toml, its columns are in
another order, two columns are not form fields, optional questions were not asked, hours
have decimals, « Autre : … » answers and « 97400 Saint-Denis » communes are there: the
proposed mapping must match every reworded question and load it unchanged.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from etl import editions, mapping, warehouse
from etl.editions import Edition
from tests.helpers import MINI, ROOT
from tests.helpers import warehouse_rows as query

INTAKE = ROOT / "tests" / "data" / "intake"
CSV = INTAKE / "reponses-2023-reformule.csv"
XLSX = INTAKE / "reponses-2023-reformule.xlsx"

TRUTH = {
    "Horodateur": "horodateur",
    "Adresse e-mail": "email_repondant",
    "Titre de votre projet": "projet_titre",
    "Nom de votre structure": "structure_nom",
    "Quel est le statut de votre structure ?": "structure_type",
    "Catégorie(s) de trophée pour laquelle ou lesquelles vous candidatez": "categories",
    "Commune du territoire concerné (code postal et ville)": "commune",
    "Département du territoire (numéro)": "departement",
    "Êtes-vous adhérent à Alliance Villes Emploi ?": "adherent_ave",
    "Si vous n'êtes pas adhérent, êtes-vous reconnu par une coordination régionale ?": (
        "reconnue_coordination_regionale"
    ),
    "Votre structure assure-t-elle la compétence de guichet territorial des clauses "
    "sociales ?": "competence_guichet",
    "Prénom et nom de la personne référente": "contact_nom",
    "Fonction de la personne référente": "contact_fonction",
    "E-mail de la personne référente": "contact_email",
    "Téléphone de la personne référente": "contact_telephone",
    "Présentez votre projet : objectifs, actions menées, partenaires": "projet_description",
    "Où en est votre projet ?": "projet_statut",
    "Nombre total d'heures d'insertion réalisées sur la période": "heures_insertion",
    "Nombre d'heures d'insertion prévues au contrat": "heures_insertion_prevues",
    "Combien de marchés comportaient une clause sociale ?": "nb_marches_clauses",
    "Nombre de donneurs d'ordre publics mobilisés": "nb_donneurs_ordre_publics",
    "Nombre de SIAE et autres structures inclusives partenaires": "nb_structures_inclusives",
    "Nombre de personnes en insertion ayant travaillé grâce aux clauses": "nb_participants",
    "dont femmes (nombre)": "nb_femmes",
    "dont personnes de 50 ans et plus": "nb_seniors",
    "dont habitants des quartiers prioritaires (QPV)": "nb_residents_qpv",
    "dont jeunes de moins de 26 ans": "nb_jeunes",
    "Sorties en emploi durable (nombre de personnes)": "nb_sorties_emploi_durable",
    "Acceptez-vous que les informations non personnelles de votre candidature soient "
    "diffusées ?": "accord_diffusion",
    "Comment avez-vous connu les Trophées ?": "",
    "Commentaire interne AVE": "",
}
"""What each column of the reworded export is (written by hand, from make_export.py)."""


@pytest.fixture(scope="module")
def edition() -> Edition:
    return editions.load_editions()[2023]


@pytest.fixture(scope="module")
def proposed(edition: Edition, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The proposed mapping of the CSV, written as ``trophees correspondance proposer``."""
    out = tmp_path_factory.mktemp("correspondance") / "correspondance.toml"
    out.write_text(mapping.mapping_file_text(mapping.propose_file(CSV, edition), edition))
    return out


@pytest.fixture(scope="module")
def loaded(
    proposed: Path, reference_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[warehouse.LoadReport]]:
    """The CSV and the XLSX of the same form loaded together with the unchanged proposal."""
    data = tmp_path_factory.mktemp("entrepot-reformule")
    reports = warehouse.load_files(
        [CSV, XLSX], 2023, mapping=proposed, warehouse=data / "warehouse.duckdb",
        ref_dir=reference_dir,
    )  # fmt: skip
    return data, reports


@pytest.mark.parametrize("export", [CSV, XLSX], ids=["csv", "xlsx"])
def test_the_proposal_matches_every_reworded_question(export: Path, edition: Edition) -> None:
    proposal = mapping.propose_file(export, edition)
    assert proposal.assignments() == TRUTH
    assert proposal.manquants == ()
    assert proposal.reponses_inconnues == ()
    for column in proposal.colonnes:
        if column.champ is None:
            assert column.raison == "aucun champ reconnu"
        assert column.second is None or column.second.champ != column.champ
    # the questions were all reworded: none is matched as a known wording but two
    known = [c.colonne for c in proposal.colonnes if c.raison == "intitulé connu"]
    assert known == ["Horodateur", "Adresse e-mail", "dont jeunes de moins de 26 ans"]


def test_the_proposed_file_is_commented_toml_that_names_its_export(proposed: Path) -> None:
    text = proposed.read_text(encoding="utf-8")
    document = tomllib.loads(text)
    assert document["correspondance"]["edition"] == 2023
    assert document["correspondance"]["fichier"] == CSV.name
    assert document["colonnes"] == TRUTH
    line = next(x for x in text.splitlines() if x.startswith('"Où en est votre projet ?"'))
    assert "confiance 0," in line and "2e choix : projet_titre" in line


def test_the_unchanged_proposal_loads_every_line(
    loaded: tuple[Path, list[warehouse.LoadReport]],
) -> None:
    data, (csv_report, xlsx_report) = loaded
    # 19 lines, one of them a later version of the first project
    assert (csv_report.lignes_lues, csv_report.lignes_chargees, csv_report.lignes_rejetees) == (
        19,
        18,
        0,
    )
    assert csv_report.erreurs == 0
    # the same form as XLSX: every line is a copy of the CSV's, counted once
    assert (xlsx_report.lignes_chargees, xlsx_report.doublons) == (0, 19)
    assert query(data, "select count(*) from candidatures") == [(18,)]
    assert query(data, "select count(distinct candidature_id) from reponses") == [(18,)]


def test_real_form_answers_are_read_as_meant(
    loaded: tuple[Path, list[warehouse.LoadReport]],
) -> None:
    data, _ = loaded

    def one(sql: str, *params: object) -> tuple[object, ...]:
        (row,) = query(data, sql, list(params))
        return row

    by_name = "from candidatures where structure_nom = ?"
    assert one(f"select heures_insertion {by_name}", "Maison de l'Emploi du Haut-Cantal") == (
        3448.7,
    )
    # the later version (16/11) replaced the first one
    assert one(f"select heures_insertion, nb_participants {by_name}", "PLIE Orne-Sud") == (
        29112.6,
        76,
    )
    assert one(
        f"select structure_type, structure_type_autre {by_name}", "GIP Insertion Sud Réunion"
    ) == ("autre", "GIP")
    assert one(
        f"select structure_type_autre {by_name}", "Mission achats de la préfecture de Bretagne"
    ) == ("service de l'État",)
    assert one(
        f"select commune_code, departement_code, territoire_statut {by_name}",
        "Maison de l'Emploi du Nord de La Réunion",
    ) == ("97411", "974", "exact")
    # an empty description or empty figures keep the candidature, values left empty
    assert one(
        f"select projet_description, heures_insertion, nb_participants {by_name}",
        "Communauté de communes Cœur de Lozère",
    ) == (None, None, None)
    assert one(f"select hors_delai {by_name}", "PLIE du Val de Loire") == (True,)
    # questions the form did not ask: NULL, never missing
    assert one("select count(*) from candidatures where structure_siret is not null") == (0,)
    assert one("select count(*) from candidatures where heures_btp is not null") == (0,)


def test_a_mapping_file_goes_through_the_load_unchanged(proposed: Path) -> None:
    edition, checked = mapping.read_mapping_for(proposed, editions.load_editions())
    assert edition.annee == 2023
    assert dict(checked.colonnes) == TRUTH


BAD_UPLOADS = {
    "vide": (b"", None, "est vide"),
    "binaire": (b"\x89PNG\r\n\x1a\n\x00\x00" * 50, None, "UTF-16 ou binaire"),
    "trop-gros": (b"Horodateur\n" + b"x" * (2 * 1024 * 1024), None, "la limite est de 1\u202fMo"),
    "autre-edition": (MINI.read_bytes(), 2024, "ce n'est pas un export de cette édition"),
    "correspondance-fautive": (
        CSV.read_bytes(),
        2023,
        "Correspondance invalide",
    ),
}


@pytest.fixture(scope="module")
def served(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("entrepot-en-service") / "warehouse.duckdb"
    warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir)
    return target


@pytest.mark.parametrize("name", list(BAD_UPLOADS))
def test_a_bad_upload_is_told_in_french_and_changes_nothing(
    name: str, served: Path, reference_dir: Path, tmp_path: Path
) -> None:
    from etl.editions import EditionConfigError
    from etl.reading import ExportRefuse
    from etl.rules import ChargementImpossible

    content, edition, fragment = BAD_UPLOADS[name]
    export = tmp_path / f"{name}.csv"
    export.write_bytes(content)
    fautive = tmp_path / "correspondance.toml"
    fautive.write_text('[colonnes]\n"Titre de votre projet" = "projet_titr"\n', encoding="utf-8")
    before = warehouse.content_hash(served)
    for step in (warehouse.plan_load, warehouse.load_files):
        with pytest.raises((ExportRefuse, ChargementImpossible, EditionConfigError)) as err:
            step(
                [export],
                edition or 2023,
                mapping=fautive if name == "correspondance-fautive" else None,
                warehouse=served,
                ref_dir=reference_dir,
                max_bytes=1024 * 1024,
            )
        assert fragment in str(err.value)
    assert warehouse.content_hash(served) == before


def test_every_rule_and_refusal_is_explained_to_the_organiser() -> None:
    import re

    from etl import normalise as nz
    from etl.problems import RULE_MESSAGES

    guide = (ROOT / "docs" / "chargement.md").read_text(encoding="utf-8")
    refusals = {
        code
        for path in (ROOT / "etl" / "reading").glob("*.py")
        for code in re.findall(r'ExportRefuse\(\s*\w+,\s*"(\w+)"', path.read_text())
    }
    assert len(refusals) >= 10  # the scan found them
    missing = [c for c in [*nz.MESSAGES, *RULE_MESSAGES, *refusals] if f"`{c}`" not in guide]
    assert missing == []

"""Mapping files: every power documented in docs/chargement.md, and errors that name the
mapping file and its key (never the edition file), with the closest name."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import cli, editions, mapping
from etl.editions import Edition, MappingError
from etl.mapping import similarity
from tests.helpers import ROOT

EDITION_FILE = ROOT / "config" / "editions" / "2023.toml"


@pytest.fixture(scope="module")
def edition() -> Edition:
    return editions.load_editions()[2023]


def written(tmp_path: Path, text: str, name: str = "correspondance.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error(tmp_path: Path, text: str, edition: Edition) -> MappingError:
    with pytest.raises(MappingError) as caught:
        mapping.read_mapping(written(tmp_path, text), edition)
    message = str(caught.value)
    assert message.startswith("Correspondance invalide (")
    assert "correspondance.toml" in message and "2023.toml" not in message.split(":")[0]
    return caught.value


def test_columns_are_assigned_ignored_and_win_over_aliases(
    tmp_path: Path, edition: Edition
) -> None:
    path = written(
        tmp_path,
        "[colonnes]\n"
        '"Ville du projet" = "commune"\n'
        '"Commune" = "epci"\n'  # an alias of `commune` given to another field
        '"Remarques" = ""\n',
    )
    complete = mapping.load_edition_with_mapping(EDITION_FILE, path)
    assert complete.match_header("ville du projet") is not None
    assert complete.field("commune") == complete.match_header("Ville du projet")
    epci = complete.match_header("Commune")
    assert epci is not None and epci.nom == "epci"
    assert complete.ignores("Remarques") and complete.match_header("Remarques") is None


def test_powers_on_fields_and_vocabularies(tmp_path: Path, edition: Edition) -> None:
    path = written(
        tmp_path,
        "[formulaire.champs.departement]\n"
        "obligatoire = false\n"
        'alias_ajoutes = ["Numéro du département concerné"]\n'
        "[formulaire.champs.nb_participants]\n"
        "obligatoire = true\n"
        "[vocabulaires.structure_type.association]\n"
        'reponses_ajoutees = ["Centre social"]\n'
        "[vocabulaires.categories.RURAL]\n"
        'reponses_ajoutees = ["Prix de la ruralité"]\n',
    )
    complete = mapping.load_edition_with_mapping(EDITION_FILE, path)
    assert not complete.field("departement").obligatoire
    assert complete.field("nb_participants").obligatoire
    found = complete.match_header("Numéro du département concerné")
    assert found is not None and found.nom == "departement"
    assert complete.vocabulary("structure_type").code_for("Centre social") == "association"
    assert complete.vocabulary("categories").code_for("Prix de la ruralité") == "RURAL"
    assert edition.vocabulary("structure_type").code_for("Centre social") is None


@pytest.mark.parametrize(
    ("text", "cle", "fragment", "kind"),
    [
        (
            '[colonnes]\n"Heures" = "heures_insertio"\n',
            'colonnes."Heures"',
            "heures_insertion",
            "champ inconnu",
        ),
        (
            "[formulaire.champs.heures_insertio]\nobligatoire = false\n",
            "formulaire.champs.heures_insertio",
            "heures_insertion",
            "champ inconnu",
        ),
        (
            "[formulaire.champs.heures_insertion]\nobligatoir = false\n",
            "formulaire.champs.heures_insertion.obligatoir",
            "obligatoire",
            "clé inconnue",
        ),
        ("[colonne]\n", "colonne", "colonnes", "clé inconnue"),
    ],
    ids=["champ-colonnes", "champ-formulaire", "cle", "section"],
)
def test_a_typo_is_named_with_its_closest_name(
    tmp_path: Path, edition: Edition, text: str, cle: str, fragment: str, kind: str
) -> None:
    err = error(tmp_path, text, edition)
    assert err.cle == cle
    assert f"« {fragment} »" in err.detail
    assert err.detail.startswith(kind)


@pytest.mark.parametrize(
    ("text", "cle", "fragment"),
    [
        ("[correspondance]\nedition = 2024\n", "correspondance.edition", "pour l'édition 2024"),
        ('[formulaire.champs.heures_insertion]\ntype = "entier"\n', ".type", "contrat"),
        ("[formulaire.champs.projet_titre]\nobligatoire = false\n", ".obligatoire", "identifiée"),
        (
            '[colonnes]\n"A" = "commune"\n"B" = "commune"\n',
            'colonnes."B"',
            "déjà affecté à la colonne « A »",
        ),
        (
            '[formulaire.champs.epci]\nalias_ajoutes = ["Commune"]\n',
            "alias_ajoutes[1]",
            "[colonnes]",
        ),
        (
            '[vocabulaires.structure_type.asso]\nreponses_ajoutees = ["x"]\n',
            "vocabulaires.structure_type.asso",
            "« association »",
        ),
        (
            '[vocabulaires.structure_type.association]\nreponses_ajoutees = ["PLIE"]\n',
            "reponses_ajoutees[1]",
            "« plie »",
        ),
    ],
    ids=["edition", "type", "essentiel", "colonne-double", "alias", "valeur", "reponse"],
)
def test_what_a_mapping_may_not_do_is_refused_in_french(
    tmp_path: Path, edition: Edition, text: str, cle: str, fragment: str
) -> None:
    err = error(tmp_path, text, edition)
    assert err.cle is not None and err.cle.endswith(cle)
    assert fragment in err.detail


def test_an_endless_file_is_refused_unread(edition: Edition) -> None:
    with pytest.raises(MappingError, match="trop gros"):
        mapping.read_mapping(Path("/dev/zero"), edition)


def test_console_validates_a_mapping_and_proposes_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sortie = tmp_path / "proposee.toml"
    export = ROOT / "tests" / "data" / "intake" / "reponses-2023-reformule.csv"
    argv = ["correspondance", "proposer", str(export), "--edition", "2023", "--sortie"]
    assert cli.main([*argv, str(sortie)]) == 0
    out = capsys.readouterr().out
    assert "29 sur 31 colonnes affectées" in out and "« Commentaire interne AVE »" in out
    assert cli.main([*argv, str(sortie)]) == 1  # never overwritten silently
    assert "--remplacer" in capsys.readouterr().err
    assert cli.main(["editions", "--mapping", str(sortie)]) == 0
    assert "colonnes affectées à un champ : 29" in capsys.readouterr().out
    bad = written(tmp_path, '[colonnes]\n"Heures" = "heures_insertio"\n', "faute.toml")
    assert cli.main(["editions", "--mapping", str(bad), "--edition", "2023"]) == 1
    err = capsys.readouterr().err
    assert "faute.toml" in err and "champ inconnu" in err and "Traceback" not in err
    assert cli.main(["editions", "--mapping", str(bad)]) == 1  # which edition?
    assert "--edition" in capsys.readouterr().err


def test_question_similarity_reads_french_forms() -> None:
    weights = similarity.Weights.of([["heur", "insertion", "realis"], ["femm"], ["email"]])
    assert similarity.words("Nombre d'heures d'insertion réalisées ?") == (
        "heur",
        "insertion",
        "realis",
    )
    assert similarity.words("Courriel") == similarity.words("E-mail")
    same = similarity.similarity(
        "Heures d'insertion réalisées", "Heure insertion réalisée", weights
    )
    other = similarity.similarity("Heures d'insertion réalisées", "Dont femmes", weights)
    assert same == 1.0 and other == 0.0
    typo = similarity.similarity("Heures d'insertoin réalisées", "Heures insertion", weights)
    assert 0.6 < typo < 1.0

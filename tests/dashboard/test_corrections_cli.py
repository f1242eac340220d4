"""``trophees corrections`` on a real warehouse: add with the typed value remembered, list,
undo, export safe for spreadsheets, import all-or-nothing with errors naming the line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.cli import main
from etl import warehouse
from etl.corrections import store
from tests.helpers import MINI, warehouse_rows


@pytest.fixture
def data(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "donnees"
    (data / "raw" / "2023").mkdir(parents=True)
    (data / "reference").symlink_to(reference_dir)
    kept = data / "raw" / "2023" / MINI.name
    shutil.copy(MINI, kept)
    warehouse.load_files([kept], 2023, warehouse=data / "warehouse.duckdb", ref_dir=reference_dir)
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    return data


def first_candidature(data: Path) -> tuple[str, int]:
    ((cid, hours),) = warehouse_rows(
        data,
        "select candidature_id, heures_insertion from candidatures "
        "where heures_insertion is not null order by candidature_id limit 1",
    )
    return str(cid), int(hours)


def test_add_list_undo(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cid, hours = first_candidature(data)
    args = ["corrections", "ajouter", "--edition", "2023", "--candidature", cid]
    assert (
        main(
            [
                *args,
                "--nature",
                "valeur",
                "--champ",
                "heures_insertion",
                "--valeur",
                "2 800",
                "--motif",
                "Chiffre cumulé",
                "--auteur",
                "Camille",
            ]
        )
        == 0
    )
    assert "Correction n° 1 enregistrée" in capsys.readouterr().out
    with store.connect() as con:
        (saved,) = store.corrections(con, 2023)
    assert (saved.valeur, saved.valeur_saisie, saved.auteur) == ("2800", str(hours), "Camille")

    assert (
        main([*args[:4], "--candidature", "2023-inconnue00", "--nature", "retrait", "--motif", "x"])
        == 1
    )
    assert "Aucune candidature 2023-inconnue00" in capsys.readouterr().err
    assert main([*args, "--nature", "territoire", "--valeur", "Saint-Denis", "--motif", "x"]) == 1
    assert "Code INSEE" in capsys.readouterr().err

    assert main(["corrections", "annuler", "1", "--motif", "Erreur"]) == 0
    assert main(["corrections", "lister", "--edition", "2023"]) == 0
    assert "Aucune correction pour 2023." in capsys.readouterr().out
    assert main(["corrections", "lister", "--toutes"]) == 0
    assert "[annulée le" in capsys.readouterr().out


def test_export_neutralises_formulas_and_import_is_all_or_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cid, _ = first_candidature(data)
    batch = tmp_path / "lot.csv"
    batch.write_text(
        "Édition;Candidature;Nature;Champ;Valeur;Motif\n"
        f'2023;{cid};exclusion;heures_insertion;;"=HYPERLINK(""http://x"";""y"")"\n'
        f"2023;{cid};valeur;nb_participants;31;Confirmé par courriel\n"
        f"2023;{cid};valeur;contact_email;a@b.fr;Adresse\n",
        encoding="utf-8",
    )
    assert main(["corrections", "importer", str(batch)]) == 1
    err = capsys.readouterr().err
    assert "« lot.csv », ligne 4 : Champ « contact_email » non corrigeable" in err
    assert "Rien n'a été enregistré" in err
    with store.connect() as con:
        assert store.corrections(con) == []

    batch.write_text("\n".join(batch.read_text(encoding="utf-8").splitlines()[:3]) + "\n")
    assert main(["corrections", "importer", str(batch), "--essai"]) == 0
    with store.connect() as con:
        assert store.corrections(con) == []
    assert main(["corrections", "importer", str(batch)]) == 0
    with store.connect() as con:
        assert len(store.corrections(con)) == 2

    export = tmp_path / "registre.csv"
    assert main(["corrections", "exporter", "--sortie", str(export)]) == 0
    text = export.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("N°;Édition;Candidature;Nature")
    assert "'=HYPERLINK" in text  # never a live formula in a spreadsheet
    capsys.readouterr()
    assert main(["corrections", "importer", str(export)]) == 0  # already recorded: skipped
    assert "2 lignes déjà au registre" in capsys.readouterr().out

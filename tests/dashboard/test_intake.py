"""What « Charger un export » does around the load (dashboard/intake.py): staged uploads
under safe names, the export kept unchanged with its mapping, the mapping found again for
an export with the same questions, and the dry run's tables."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from dashboard import intake
from etl import editions, mapping, warehouse
from tests.etl.test_intake import CSV


@pytest.fixture
def data_dir(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "donnees"
    data.mkdir()
    (data / "reference").symlink_to(reference_dir)
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    return data


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("reponses.csv", "reponses.csv"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\orga\\Réponses 2025.xlsx", "Réponses 2025.xlsx"),
        ("a\x00b|c?.csv", "a_b_c_.csv"),
        ("...", "export"),
    ],
)
def test_an_upload_keeps_its_own_name_never_a_path(name: str, safe: str) -> None:
    assert intake.safe_name(name) == safe


def test_the_export_is_kept_unchanged_and_its_mapping_proposed_again(data_dir: Path) -> None:
    import os

    old = intake.stage("ancien.csv", b"Horodateur\n").path.parent
    os.utime(old, (0, 0))  # an upload of long ago, never loaded
    edition = editions.load_editions()[2023]
    upload = intake.stage("../" + CSV.name, CSV.read_bytes())
    assert upload.path.parent.parent == intake.staging_dir()
    assert upload.nom == CSV.name and upload.path.read_bytes() == CSV.read_bytes()
    assert not old.exists()  # cleared by the next upload
    proposal = mapping.propose_file(upload.path, edition)
    text = mapping.mapping_file_text(proposal, edition)
    assert intake.saved_mapping(2023, proposal.entetes) is None
    kept = intake.keep(upload, 2023, text, now=datetime(2025, 11, 20, 9, 0, tzinfo=UTC))
    assert kept.parent.parent == data_dir / "raw" / "2023"
    assert kept.read_bytes() == CSV.read_bytes()
    assert intake.mapping_path_beside(kept).read_text(encoding="utf-8") == text
    # the same questions later (another file): the saved mapping is found by its questions
    assert intake.saved_mapping(2023, proposal.entetes) == intake.mapping_path_beside(kept)
    assert intake.saved_mapping(2023, "autres-questions") is None
    assert intake.saved_mapping(2024, proposal.entetes) is None


def test_the_dry_run_tables_speak_french(data_dir: Path, reference_dir: Path) -> None:
    edition = editions.load_editions()[2023]
    upload = intake.stage(CSV.name, CSV.read_bytes())
    correspondance = upload.path.with_name("c.toml")
    correspondance.write_text(
        mapping.mapping_file_text(mapping.propose_file(upload.path, edition), edition)
    )
    plan = warehouse.plan_load([upload.path], 2023, mapping=correspondance, ref_dir=reference_dir)
    problems = intake.plan_problems(plan)
    assert problems.columns == [
        "Fichier", "Ligne", "Colonne", "Valeur", "Règle", "Sévérité", "Message"
    ]  # fmt: skip
    assert set(problems["Sévérité"]) == {"Avertissement"}
    assert set(problems["Règle"]) == {"hors_delai", "version_remplacee"}
    verdicts = intake.plan_verdicts(plan, edition)
    assert verdicts.columns == ["Candidature", "Prix", "Verdict", "Motifs"]
    gip = verdicts.filter(verdicts["Candidature"].str.starts_with("GIP Insertion Sud Réunion"))
    assert set(gip["Prix"]) == {
        "Clauses sociales et mixité des publics (QPV, senior, femmes)",
        "Emploi, formation et compétences",
    }
    assert set(verdicts["Verdict"]) <= {"éligible", "non éligible", "à examiner"}
    assert intake.plan_territories(plan).is_empty()  # every commune resolved
    assert not (data_dir / "warehouse.duckdb").exists()  # a dry run writes nothing

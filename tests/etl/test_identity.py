"""One candidature across files: the CSV and the XLSX of one form, a late batch and a
re-export give one candidature each, with the id a single file would have given."""

from __future__ import annotations

import csv
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from etl import editions, identity, mapping, warehouse
from tests.etl.test_intake import CSV, XLSX
from tests.helpers import warehouse_rows as query

ORNE = "PLIE Orne-Sud"


@pytest.fixture(scope="module")
def proposed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    edition = editions.load_editions()[2023]
    out = tmp_path_factory.mktemp("identite") / "correspondance.toml"
    out.write_text(mapping.mapping_file_text(mapping.propose_file(CSV, edition), edition))
    return out


def load(data: Path, proposed: Path, reference_dir: Path, *files: Path) -> None:
    warehouse.load_files(
        list(files), 2023, mapping=proposed, warehouse=data / "warehouse.duckdb",
        ref_dir=reference_dir,
    )  # fmt: skip


def ids(data: Path) -> dict[str, str]:
    rows = query(data, "select structure_nom, candidature_id from candidatures")
    return {str(n): str(i) for n, i in rows}


def split_csv(target: Path, keep: bool) -> Path:
    """The export without (``keep=False``) or with only (``keep=True``) the later version
    of the Orne-Sud project, as the organiser receives a late batch."""
    with CSV.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    later = [r for r in rows if r[3] == ORNE and r[0].startswith("16/11")]
    chosen = later if keep else [r for r in rows if r not in later]
    with target.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *chosen])
    return target


def test_files_loaded_one_by_one_give_the_same_candidatures(
    tmp_path: Path, proposed: Path, reference_dir: Path
) -> None:
    together, apart = tmp_path / "ensemble", tmp_path / "separement"
    together.mkdir()
    apart.mkdir()
    load(together, proposed, reference_dir, CSV)
    load(apart, proposed, reference_dir, XLSX)  # the XLSX first, then the CSV
    load(apart, proposed, reference_dir, CSV)
    assert ids(apart) == ids(together)
    assert len(ids(apart)) == 18
    counts = query(
        apart, "select fichier, lignes_chargees, doublons from chargements order by fichier"
    )
    # the file loaded first keeps its candidatures; the later copy is counted once
    assert counts == [(CSV.name, 0, 19), (XLSX.name, 18, 1)]
    ((message,),) = query(
        apart,
        "select message from rejets where fichier = ? and ligne = 3",
        [CSV.name],
    )
    assert f"même réponse que la ligne 3 du fichier « {XLSX.name} »" in message


def test_a_late_batch_is_a_new_version_of_the_same_candidature(
    tmp_path: Path, proposed: Path, reference_dir: Path
) -> None:
    whole = tmp_path / "entier"
    whole.mkdir()
    load(whole, proposed, reference_dir, CSV)
    batches = tmp_path / "lots"
    batches.mkdir()
    first = split_csv(tmp_path / "lot-1.csv", keep=False)
    late = split_csv(tmp_path / "lot-tardif.csv", keep=True)
    load(batches, proposed, reference_dir, first)
    before = ids(batches)[ORNE]
    load(batches, proposed, reference_dir, late)
    assert ids(batches) == ids(whole)  # same ids, same 18 candidatures
    assert ids(batches)[ORNE] == before
    rows = query(
        batches,
        "select fichier, statut_version, heures_insertion from reponses "
        "where structure_nom = ? order by horodateur",
        [ORNE],
    )
    assert rows == [
        ("lot-1.csv", "version_remplacee", 28038.4),
        ("lot-tardif.csv", "courante", 29112.6),
    ]


def _line(fichier: str, ligne: int, projet: str, when: str, **values: object) -> dict[str, object]:
    return {
        "edition": 2023,
        "fichier": fichier,
        "ligne": ligne,
        "horodateur": datetime.fromisoformat(when).replace(tzinfo=UTC),
        "cle_projet": projet,
        "id_si_premiere": f"p-{values.pop('debut', when)}",
        "projet_titre": f"Projet {projet}",
        "candidature_id": None,
        "statut_version": None,
        "heures": values.pop("heures", 1.0),
    }


def test_versions_across_files_follow_time_then_load_order() -> None:
    frame = pl.DataFrame(
        [
            _line("a.csv", 2, "P1", "2023-11-15T10:00:00"),
            _line("b.xlsx", 2, "P1", "2023-11-15T10:00:00"),  # same submission, same answers
            _line("b.xlsx", 3, "P1", "2023-11-18T10:00:00", heures=2.0),  # a later version
            _line("a.csv", 3, "P2", "2023-11-16T10:00:00", heures=5.0),
            _line("c.csv", 2, "P2", "2023-11-16T10:00:00", heures=6.0),  # corrected re-export
            # another project of the same respondent started in the same second as P1
            _line("c.csv", 3, "P3", "2023-11-15T10:00:00"),
        ]
    )
    order = pl.DataFrame(
        {"edition": [2023] * 3, "fichier": ["a.csv", "b.xlsx", "c.csv"], "rang": [0, 1, 2]},
        schema={"edition": pl.Int64, "fichier": pl.String, "rang": pl.Int64},
    )
    decided = identity.reconcile(frame, order, ["heures"]).sort("fichier", "ligne")
    status = {(r["fichier"], r["ligne"]): r["statut_version"] for r in decided.to_dicts()}
    assert status == {
        ("a.csv", 2): "version_remplacee",
        ("b.xlsx", 2): "doublon_identique",
        ("b.xlsx", 3): "courante",
        ("a.csv", 3): "version_remplacee",
        ("c.csv", 2): "courante",  # same time, other answers: the file loaded last wins
        ("c.csv", 3): "courante",
    }
    by_line = {(r["fichier"], r["ligne"]): r["candidature_id"] for r in decided.to_dicts()}
    # P1 and P3 (same respondent, same first second) are told apart by their titles
    collision = "p-2023-11-15T10:00:00"
    p1 = "2023-" + hashlib.sha256(f"{collision}|projet p1".encode()).hexdigest()[:10]
    p3 = "2023-" + hashlib.sha256(f"{collision}|projet p3".encode()).hexdigest()[:10]
    assert by_line[("a.csv", 2)] == by_line[("b.xlsx", 3)] == p1
    assert by_line[("c.csv", 3)] == p3 != p1
    assert by_line[("a.csv", 3)] == by_line[("c.csv", 2)] == "2023-p-2023-11-16T10:00:00"


def test_keys_are_the_sha256_of_their_utf8_text_whatever_it_holds() -> None:
    """The ids are stored and referred to by corrections: whoever computes them (DuckDB's
    ``sha256`` in one pass) must give ``hashlib``'s digest for any text a form can hold."""
    texts = [
        "",
        "2023|marie@exemple.fr|chantier d'insertion",
        "2023|Élodie Ça Œuvre|projet n° 1",
        "emoji 💥 et\u202fespace fine",
        "nul\x00au milieu",
        "x" * 10_000,
        "ligne\u2028séparée",
    ]
    for length in (10, 16):
        got = identity._short_sha256(pl.Series(texts), length).to_list()
        assert got == [hashlib.sha256(t.encode()).hexdigest()[:length] for t in texts]

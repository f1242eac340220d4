"""Faults during a load: a full disk, a truncated or corrupted file. Each one ends with a
French message and the previous warehouse still served, byte for byte."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from etl import warehouse
from tests.etl.test_warehouse import big_copy, load
from tests.helpers import MINI
from tests.helpers import warehouse_rows as query

ROOT = Path(__file__).resolve().parents[2]

# The child process gets a file-size limit (RLIMIT_FSIZE) a little above the served
# warehouse: writing the new, larger one fails with EFBIG exactly as on a full disk.
# SIGXFSZ is ignored so that the write fails instead of killing the process.
FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from dashboard.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _cli_env(tmp_path: Path, reference_dir: Path) -> dict[str, str]:
    import os

    data = tmp_path / "donnees"
    data.mkdir(exist_ok=True)
    if not (data / "reference").exists():
        (data / "reference").symlink_to(reference_dir)
    return {**os.environ, "TROPHEES_DATA_DIR": str(data)}


@pytest.mark.slow
def test_a_full_disk_during_a_load_keeps_the_previous_warehouse(
    tmp_path: Path, reference_dir: Path
) -> None:
    env = _cli_env(tmp_path, reference_dir)
    data = Path(env["TROPHEES_DATA_DIR"])
    served = data / "warehouse.duckdb"
    load(data, reference_dir, MINI)
    before = warehouse.content_hash(served)
    size = served.stat().st_size
    big = big_copy(tmp_path / "gros.csv", 400)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            FULL_DISK,
            str(size + 64 * 1024),
            "load",
            str(big),
            "--edition",
            "2023",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Chargement impossible : écriture du nouvel entrepôt impossible :" in out.stderr
    assert "disque plein, quota ou droits insuffisants" in out.stderr
    assert "L'entrepôt précédent est inchangé." in out.stderr
    assert "Traceback" not in out.stderr
    assert warehouse.content_hash(served) == before
    assert served.stat().st_size == size
    assert sorted(p.name for p in data.glob("warehouse.duckdb*")) == ["warehouse.duckdb"]


def test_a_truncated_csv_rejects_its_cut_line_by_number(
    tmp_path: Path, reference_dir: Path
) -> None:
    """A CSV cut in the middle of a record: the complete lines load, the cut one is
    rejected with its line number (its required answers are missing), nothing is lost."""
    load(tmp_path, reference_dir, MINI)
    text = MINI.read_bytes()
    kept = text[: int(len(text) * 0.6)]
    cut = tmp_path / "coupe.csv"
    cut.write_bytes(kept)
    (report,) = load(tmp_path, reference_dir, cut)
    records = list(csv.reader(io.StringIO(kept.decode("utf-8"), newline="")))
    # physical line where the cut record starts: header and earlier records before it
    last_line = 1 + sum(1 + "".join(r).count("\n") for r in records[:-1])
    assert report.lignes_lues == len(records) - 1  # header excluded
    assert report.lignes_lues == report.lignes_chargees + report.lignes_rejetees + report.doublons
    assert report.lignes_rejetees >= 1
    messages = query(
        tmp_path,
        "select message from problemes where fichier = ? and ligne = ? and rejette_ligne",
        ["coupe.csv", last_line],
    )
    assert messages, "the cut line must be rejected"
    assert all(f"ligne {last_line}" in m for (m,) in messages)


@pytest.mark.parametrize(
    "damage",
    ["zip_truncated", "zip_garbage_member", "not_a_workbook"],
)
def test_a_corrupted_workbook_is_refused_in_french(
    tmp_path: Path, reference_dir: Path, damage: str
) -> None:
    from etl.reading import ExportRefuse

    load(tmp_path, reference_dir, MINI)
    before = warehouse.content_hash(tmp_path / "warehouse.duckdb")
    good = tmp_path / "bon.xlsx"
    import polars as pl

    pl.read_csv(MINI, infer_schema=False).write_excel(good)
    bad = tmp_path / "abime.xlsx"
    if damage == "zip_truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "zip_garbage_member":
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
            for item in src.infolist():
                payload = src.read(item)
                if item.filename.startswith("xl/worksheets/"):
                    payload = payload[: len(payload) // 3]  # cut XML
                dst.writestr(item, payload)
    else:
        shutil.copy(MINI, bad)  # a CSV renamed .xlsx
    with pytest.raises((ExportRefuse, warehouse.ChargementImpossible)) as err:
        load(tmp_path, reference_dir, bad)
    message = str(err.value)
    assert "abime.xlsx" in message
    assert message[:1].isupper() or message.startswith("«")
    assert not any(w in message for w in ("Traceback", "BadZipFile:", "Error:"))
    assert warehouse.content_hash(tmp_path / "warehouse.duckdb") == before

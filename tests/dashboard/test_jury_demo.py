"""The fictitious deliberation of the demo warehouse, and the jury commands around it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard.jury import decisions, demo, results, scoring
from dashboard.jury.store import Store
from etl import editions

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private data directory with a copy of the demo warehouse (built by the real ETL)."""
    data = tmp_path_factory.mktemp("donnees-jury")
    shutil.copy2(demo_data_dir / "warehouse.duckdb", data / "warehouse.duckdb")
    (data / "reference").symlink_to(demo_data_dir / "reference")
    return data


def content(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """The demo's decisions and scores without their timestamps."""
    queries = {
        "notes": "select edition, categorie_code, candidature_id, jure, statut, abstention,"
        " note from notes order by all",
        "conflits": "select edition, candidature_id, jure, origine, statut from conflits"
        " order by all",
        "selections": "select edition, categorie_code, candidature_id, niveau from selections"
        " order by all",
    }
    return {name: store.cursor().sql(sql).fetchall() for name, sql in queries.items()}


@pytest.fixture(scope="module")
def filled(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the demo deliberation (seed 7), closed."""
    path = tmp_path_factory.mktemp("jury-demo") / "deliberations.duckdb"
    with Store(path, snapshot_delay_s=None) as store:
        demo.fill_demo(store, data_dir / "warehouse.duckdb", seed=7)
    return path


def test_demo_deliberation_is_complete_and_within_quotas(filled: Path) -> None:
    configured = editions.load_editions()
    with Store(filled, snapshot_delay_s=None) as store:
        a = content(store)
        for year in (2023, 2024):
            crowned = decisions.laureates(store.cursor(), year)
            for category in configured[year].categories:
                count = crowned.filter(pl.col("categorie_code") == category.code).height
                assert count <= category.laureats_max
            assert crowned.height >= 1
        scores = scoring.submitted_scores(store.cursor(), 2023)
        notes_deliberation = decisions.deliberation_notes(store.cursor(), 2023)
        severity = results.juror_severity(scores)
    assert len(a["notes"]) > 300
    assert {s for *_, s in a["conflits"]} == {"en_attente", "confirme", "rejete"}
    assert {o for *_, o, _ in a["conflits"]} == {"declaration", "suggestion"}
    assert scores["jure"].str.starts_with("demo-").all()
    assert notes_deliberation.height == len(configured[2023].categories)
    # Some jurors are clearly severe and others lenient (notebook 03 shows it).
    assert severity["ecart_aux_autres"].min() < -0.3 < 0.3 < severity["ecart_aux_autres"].max()


def test_demo_deliberation_is_deterministic(filled: Path, data_dir: Path, tmp_path: Path) -> None:
    with Store(filled, snapshot_delay_s=None) as store:
        a = content(store)
    with Store(tmp_path / "b.duckdb", snapshot_delay_s=None) as second:
        report = demo.fill_demo(second, data_dir / "warehouse.duckdb", seed=7)
        assert content(second) == a
    assert "FICTIVE" in report.summary_fr()


def test_demo_refuses_to_mix_with_real_data(filled: Path, data_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copie.duckdb"
    shutil.copy2(filled, copy)
    warehouse = data_dir / "warehouse.duckdb"
    with Store(copy, snapshot_delay_s=None) as store:
        with pytest.raises(demo.DemoRefused, match="--remplacer"):
            demo.fill_demo(store, warehouse)
        scoring.assign(store, "admin", 2023, "COMM", ["vrai-jure"])
        category = editions.load_editions()[2023].category("COMM")
        cid = store.frame("select candidature_id from notes where categorie_code = 'COMM' limit 1")[
            "candidature_id"
        ][0]
        saisie = scoring.ScoreInput({c.code: 3 for c in category.criteres})
        scoring.save_score(store, "vrai-jure", 2023, category, cid, saisie, submit=True)
        before = content(store)
        with pytest.raises(demo.DemoRefused, match="vrais jurés"):
            demo.fill_demo(store, warehouse, replace=True)
        assert content(store) == before
    real = tmp_path / "reel.duckdb"
    shutil.copy2(warehouse, real)
    con = duckdb.connect(str(real))
    con.execute("update chargements_table set fictif = false where edition = 2024")
    con.close()
    with (
        Store(tmp_path / "e.duckdb", snapshot_delay_s=None) as store,
        pytest.raises(demo.DemoRefused, match="données réelles"),
    ):
        demo.fill_demo(store, real)


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TROPHEES_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_commands_fill_show_export_and_back_up(data_dir: Path, tmp_path: Path) -> None:
    filled = run(data_dir, "jury", "demo")
    assert filled.returncode == 0, filled.stderr
    assert (data_dir / "deliberations.duckdb").exists()
    shown = run(data_dir, "jury", "resultats", "--edition", "2023", "--categorie", "COMM")
    assert shown.returncode == 0, shown.stderr
    assert "lauréate" in shown.stdout and "places restantes : 0" in shown.stdout
    exported = run(
        data_dir, "jury", "resultats", "--edition", "2023", "--export", str(tmp_path / "r.csv")
    )
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "r.csv").read_bytes().startswith("\ufeff".encode())
    saved = run(data_dir, "sauvegarde", "--sortie", str(tmp_path / "s.duckdb"))
    assert saved.returncode == 0, saved.stderr
    assert "tables vérifiées" in saved.stdout
    restored = run(data_dir, "sauvegarde", "--restaurer", str(tmp_path / "s.duckdb"))
    assert restored.returncode == 0, restored.stderr

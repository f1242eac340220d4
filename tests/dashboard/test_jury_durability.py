"""Durability: a killed app loses no committed score; a warehouse reload touches none."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from dashboard.jury import backup, scoring
from dashboard.jury.candidatures import candidatures_to_judge
from dashboard.jury.simulation import CATEGORY, EDITION
from dashboard.jury.store import Store
from etl import editions, warehouse
from tests.helpers import warehouse_rows

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "etl" / "mini-2023.csv"

CHILD = """
import sys
from pathlib import Path
from dashboard.jury import scoring
from dashboard.jury.simulation import CATEGORY, EDITION
from dashboard.jury.store import Store

store = Store(Path(sys.argv[1]), snapshot_delay_s=None)
scoring.assign(store, "test", EDITION, CATEGORY.code, ["jure-tue"])
saisie = scoring.ScoreInput({c.code: 3 for c in CATEGORY.criteres})
i = 0
while True:
    cid = f"tue-{i:06d}"
    scoring.save_score(store, "jure-tue", EDITION, CATEGORY, cid, saisie, submit=True)
    print(cid, flush=True)
    i += 1
"""


def test_kill_9_while_scoring_keeps_every_committed_score(tmp_path: Path) -> None:
    path = tmp_path / "deliberations.duckdb"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    committed = []
    for line in child.stdout:
        committed.append(line.strip())
        if len(committed) >= 60:
            break
    os.kill(child.pid, signal.SIGKILL)
    rest, _ = child.communicate(timeout=30)
    committed += [line for line in rest.splitlines() if line.strip()]
    assert child.returncode == -signal.SIGKILL
    with Store(path, snapshot_delay_s=None) as store:
        found = set(
            store.frame(
                "select candidature_id from notes where jure = 'jure-tue' and statut = 'soumise'"
            )["candidature_id"]
        )
        doubled = store.frame("select count(*) - count(distinct candidature_id) as n from notes")[
            "n"
        ][0]
    assert set(committed) <= found
    assert len(found) - len(committed) <= 1  # at most the one committed but not yet printed
    assert doubled == 0


def test_reloading_the_warehouse_leaves_scores_untouched(
    tmp_path: Path, reference_dir: Path
) -> None:
    target = tmp_path / "warehouse.duckdb"
    warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir)
    edition = editions.load_editions()[2023]
    judged = candidatures_to_judge(2023, target)
    assert judged.height > 0
    with Store(tmp_path / "deliberations.duckdb", snapshot_delay_s=None) as store:
        for code in judged["categorie_code"].unique().sort():
            scoring.assign(store, "admin", 2023, code, ["anne"])
        for row in judged.iter_rows(named=True):
            category = edition.category(row["categorie_code"])
            saisie = scoring.ScoreInput({c.code: 4 for c in category.criteres})
            scoring.save_score(store, "anne", 2023, category, row["candidature_id"], saisie, True)
        before = backup.table_hashes(store.cursor())
        scored = set(scoring.submitted_scores(store.cursor(), 2023)["candidature_id"])
    store_bytes = (tmp_path / "deliberations.duckdb").read_bytes()
    mtime = target.stat().st_mtime_ns

    corrected_dir = tmp_path / "corrige"
    corrected_dir.mkdir()
    corrected = corrected_dir / MINI.name
    corrected.write_text(
        MINI.read_text(encoding="utf-8").replace("12 OOO", "12 000"), encoding="utf-8"
    )
    warehouse.load_files([corrected], 2023, warehouse=target, ref_dir=reference_dir)
    assert target.stat().st_mtime_ns != mtime  # the warehouse really was replaced

    assert (tmp_path / "deliberations.duckdb").read_bytes() == store_bytes
    with Store(tmp_path / "deliberations.duckdb", snapshot_delay_s=None) as store:
        assert backup.table_hashes(store.cursor()) == before
    ids = {r[0] for r in warehouse_rows(tmp_path, "select candidature_id from candidatures")}
    assert scored <= ids  # every score still points at a candidature of the new warehouse
    shutil.rmtree(corrected_dir)


def test_simulated_rows_use_a_reserved_edition() -> None:
    assert EDITION not in editions.load_editions()
    assert sum(c.poids for c in CATEGORY.criteres) == 100

"""Many jurors at once: 10 × 100 scores → exactly 1,000 rows, no error, nothing doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from dashboard.jury.simulation import percentile, simulate

ROOT = Path(__file__).resolve().parents[2]


def test_ten_jurors_times_one_hundred_scores_write_exactly_1000_rows(tmp_path: Path) -> None:
    path = tmp_path / "deliberations.duckdb"
    report = simulate(jures=10, notes=100, path=path)
    assert (report.attendues, report.ecrites, report.erreurs) == (1000, 1000, 0)
    assert report.p95_ms > 0
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.sql(
            "select count(*), count(distinct (jure, candidature_id)) from notes"
        ).fetchall()
        criteria = con.sql("select count(*) from notes_criteres").fetchall()
        logged = con.sql("select count(*) from journal where action = 'note'").fetchall()
    finally:
        con.close()
    assert rows == [(1000, 1000)]
    assert criteria == [(3000,)]
    assert logged == [(1000,)]


def test_command_ends_with_one_json_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "jury", "simuler", "--jures", "3", "--notes", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    last = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(last) == {"attendues", "ecrites", "erreurs", "p95_ms"}
    assert (last["attendues"], last["ecrites"], last["erreurs"]) == (60, 60, 0)
    assert "3 jurés simultanés" in out.stdout


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.95) == 0.0

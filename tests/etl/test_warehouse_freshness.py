"""A long-lived reader sees each new warehouse; a warehouse is demo or real, never both."""

from __future__ import annotations

import csv
import hashlib
import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl import demo, warehouse
from etl.warehouse import purge
from tests.helpers import MINI


def more_candidatures(target: Path, count: int, prefix: str = "nouveau") -> Path:
    """A copy of the mini export's first valid answer as ``count`` other candidatures
    (other respondents and timestamps), written as the form writes its CSV."""
    with MINI.open(encoding="utf-8", newline="") as fh:
        header, first, *_ = list(csv.reader(fh))
    rows = []
    for n in range(count):
        row = list(first)
        row[header.index("Horodateur")] = f"17/11/2023 09:{n:02d}:00"
        row[header.index("Adresse e-mail")] = f"{prefix}-{n}@exemple.fr"
        row[header.index("Nom de la structure")] = f"Structure {prefix} {n}"
        rows.append(row)
    with target.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return target


def current_count(con: duckdb.DuckDBPyConnection) -> int:
    ((n,),) = con.sql("select count(*) from candidatures").fetchall()
    return int(n)


def test_a_reader_kept_open_sees_the_next_load_and_purge(
    tmp_path: Path, reference_dir: Path
) -> None:
    target = tmp_path / "warehouse.duckdb"
    warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir)
    first = warehouse.connect(target)  # the app keeps a connection like this one open
    assert current_count(first) == 4

    extra = more_candidatures(tmp_path / "lot-tardif.csv", 3)
    warehouse.load_files([extra], 2023, warehouse=target, ref_dir=reference_dir)
    second = warehouse.connect(target)
    assert current_count(second) == 7  # plain duckdb.connect(path) would still say 4
    assert current_count(warehouse.cursor(second)) == 7
    assert current_count(first) == 4  # the earlier connection keeps its version

    ((before,),) = second.sql("select count(*) from contacts").fetchall()
    assert before > 0
    due = purge.due_editions(date(2025, 1, 1), 6, target)
    purge.purge(due, date(2025, 1, 1), target)
    third = warehouse.connect(target)
    assert third.sql("select count(*) from contacts").fetchall() == [(0,)]
    for con in (first, second, third):
        con.close()


def test_plain_duckdb_reconnect_is_stale_which_is_why_connect_attaches(tmp_path: Path) -> None:
    # the DuckDB behaviour the app used to meet: if it changes, connect() may simplify
    path, new = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    for file, value in ((path, 1), (new, 2)):
        con = duckdb.connect(str(file))
        con.execute(f"create table t as select {value} as x")
        con.close()
    kept = duckdb.connect(str(path), read_only=True)
    os.replace(new, path)
    again = duckdb.connect(str(path), read_only=True)
    assert again.sql("select x from t").fetchall() == [(1,)]
    kept.close()
    again.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory: pytest.TempPathFactory, reference_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("demo")
    (export,) = [e for e in demo.generate_demo(out, seed=7) if e.edition == 2023][:1]
    return export.path


def test_a_real_export_is_refused_beside_demo_data(
    tmp_path: Path, reference_dir: Path, demo_export: Path
) -> None:
    target = tmp_path / "warehouse.duckdb"
    warehouse.load_files([demo_export], 2023, warehouse=target, ref_dir=reference_dir, fictif=True)
    con = warehouse.connect(target)
    assert warehouse.is_fictitious(con)
    con.close()
    before = sha256(target)
    with pytest.raises(warehouse.MelangeDemoReel, match="--remplacer-demo"):
        warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir)
    assert sha256(target) == before

    (report,) = warehouse.load_files(
        [MINI], 2023, warehouse=target, ref_dir=reference_dir, replace_demo=True
    )
    assert report.lignes_chargees == 4
    con = warehouse.connect(target)
    assert con.sql("select fichier, fictif from chargements").fetchall() == [(MINI.name, False)]
    assert current_count(con) == 4
    assert not warehouse.is_fictitious(con)
    con.close()


def test_demo_data_is_refused_in_a_real_warehouse(
    tmp_path: Path, reference_dir: Path, demo_export: Path
) -> None:
    target = tmp_path / "warehouse.duckdb"
    warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir)
    before = sha256(target)
    with pytest.raises(warehouse.MelangeDemoReel, match="données réelles"):
        warehouse.load_files(
            [demo_export], 2023, warehouse=target, ref_dir=reference_dir, fictif=True
        )
    assert sha256(target) == before


def test_a_warehouse_mixed_before_the_rule_counts_as_real(
    tmp_path: Path, reference_dir: Path, demo_export: Path
) -> None:
    target = tmp_path / "warehouse.duckdb"
    warehouse.load_files([demo_export], 2023, warehouse=target, ref_dir=reference_dir, fictif=True)
    warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir, replace_demo=True)
    # forge the state an older version could leave: one demo file beside a real one
    con = duckdb.connect(str(target))
    con.execute(
        "insert into chargements_table by name "
        "select * replace (fichier || '-demo' as fichier, true as fictif) from chargements_table"
    )
    con.close()
    con = warehouse.connect(target)
    assert not warehouse.is_fictitious(con)
    con.close()

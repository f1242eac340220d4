"""The deliberation store: migrations, retried writes, reader copy, backup and restore."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dashboard.jury import audit, backup
from dashboard.jury import store as store_mod
from dashboard.jury.store import Store, migrate, open_reader


def versions(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.sql("select version from schema_migrations order by 1").fetchall()]


def test_migrations_apply_once_in_name_order_and_pick_up_new_files(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "002_b.sql").write_text("alter table t add column b integer;", encoding="utf-8")
    (folder / "001_a.sql").write_text("create table t (a integer);", encoding="utf-8")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    assert migrate(con, folder) == ["001_a", "002_b"]
    assert migrate(con, folder) == []
    (folder / "050_communication.sql").write_text("create table c (x integer);", encoding="utf-8")
    assert migrate(con, folder) == ["050_communication"]
    assert versions(con) == ["001_a", "002_b", "050_communication"]
    assert [r[1] for r in con.sql("pragma table_info('t')").fetchall()] == ["a", "b"]


def test_a_failing_migration_leaves_nothing_half_applied(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_bad.sql").write_text(
        "create table t (a integer); select * from missing_table;", encoding="utf-8"
    )
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    with pytest.raises(duckdb.CatalogException):
        migrate(con, folder)
    assert versions(con) == []
    assert con.sql("select count(*) from duckdb_tables() where table_name = 't'").fetchall() == [
        (0,)
    ]


def test_the_real_schema_is_recorded(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb", snapshot_delay_s=None) as store:
        assert "001_deliberation" in versions(store.cursor())
        tables = set(store.frame("select table_name from duckdb_tables()")["table_name"])
    assert {"notes", "notes_criteres", "conflits", "selections", "journal"} <= tables


def test_an_error_inside_a_write_rolls_everything_back(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb", snapshot_delay_s=None) as store:

        def work(con: duckdb.DuckDBPyConnection) -> None:
            audit.record(con, "a", "connexion")
            raise ValueError("boom")

        with pytest.raises(ValueError, match="boom"):
            store.write(work)
        assert store.frame("select count(*) as n from journal")["n"][0] == 0
        store.write(lambda con: audit.record(con, "a", "connexion"))
        assert store.frame("select count(*) as n from journal")["n"][0] == 1


def test_a_write_conflict_is_replayed(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb", snapshot_delay_s=None) as store:
        store.write(lambda con: con.execute("create table c (k integer primary key, v integer)"))
        store.write(lambda con: con.execute("insert into c values (1, 0)"))
        other = store.con.cursor()
        other.execute("begin transaction")
        other.execute("update c set v = v + 1 where k = 1")
        attempts: list[int] = []

        def bump(con: duckdb.DuckDBPyConnection) -> None:
            attempts.append(1)
            if len(attempts) == 2:
                other.execute("commit")  # the rival commits while we wait to replay
            con.execute("update c set v = v + 10 where k = 1")

        store.write(bump)
        assert len(attempts) >= 2
        assert store.retries_done >= 1
        assert store.frame("select v from c")["v"][0] == 11


def test_audit_refuses_unknown_actions(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb", snapshot_delay_s=None) as store:
        with pytest.raises(ValueError, match="Action inconnue"):
            store.write(lambda con: audit.record(con, "a", "piratage"))
        store.write(lambda con: audit.record(con, "admin", "consultation_contacts", "2023-x"))
        log = audit.journal(store.cursor(), action="consultation_contacts")
    assert log.select("acteur", "cible").rows() == [("admin", "2023-x")]
    assert str(log["horodatage"].dtype.time_zone) in {"UTC", "Etc/UTC"}  # type: ignore[attr-defined]


def test_reader_uses_the_copy_while_the_store_is_held(tmp_path: Path) -> None:
    path = tmp_path / "deliberations.duckdb"
    with pytest.raises(store_mod.StoreUnavailable):
        open_reader(path)
    store = Store(path, snapshot_delay_s=0.05)
    with pytest.raises(store_mod.StoreUnavailable, match="copie de lecture"):
        open_reader(path)
    store.write(lambda con: audit.record(con, "a", "connexion"))
    deadline = time.monotonic() + 5
    while not store_mod.snapshot_path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    with open_reader(path) as reader:
        assert reader.source == "instantane"
        assert reader.chemin.name == "deliberations.lecture.duckdb"
        assert 0 <= reader.age_s < 60
        assert reader.frame("select count(*) as n from journal")["n"][0] == 1
        assert "copie" in reader.describe_fr()
    store.close()
    with open_reader(path) as reader:
        assert reader.source == "base"
        assert reader.frame("select count(*) as n from journal")["n"][0] == 1


def test_reader_works_while_another_process_holds_the_store(tmp_path: Path) -> None:
    path = tmp_path / "deliberations.duckdb"
    with Store(path) as store:
        store.write(lambda con: audit.record(con, "a", "connexion"))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; con = duckdb.connect(sys.argv[1]); print('ok', flush=True);"
            " sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with open_reader(path) as reader:
            assert reader.source == "instantane"
            assert reader.frame("select count(*) as n from journal")["n"][0] == 1
        report = backup.backup(tmp_path / "pendant.duckdb", path=path)
        assert report.source == "instantane"
        with pytest.raises(RuntimeError, match="arrêtez"):
            backup.restore(tmp_path / "pendant.duckdb", path)
    finally:
        holder.communicate("", timeout=30)


def test_backup_and_restore_keep_every_table_identical(tmp_path: Path) -> None:
    path = tmp_path / "deliberations.duckdb"
    with Store(path, snapshot_delay_s=None) as store:
        for i in range(20):
            store.write(lambda con, i=i: audit.record(con, f"juré {i}", "note", f"c{i}", "x"))
        report = backup.backup(tmp_path / "sauvegarde.duckdb", store=store)
        original = backup.table_hashes(store.cursor())
    assert report.empreintes == original
    assert set(original) >= {"journal", "notes", "schema_migrations"}
    with Store(path, snapshot_delay_s=None) as store:
        store.write(lambda con: con.execute("delete from journal where id <= 5"))
        assert backup.table_hashes(store.cursor()) != original
    backup.restore(tmp_path / "sauvegarde.duckdb", path)
    with Store(path, snapshot_delay_s=None) as store:
        assert backup.table_hashes(store.cursor()) == original
        store.write(lambda con: audit.record(con, "après", "connexion"))  # ids go on
        assert store.frame("select max(id) as m from journal")["m"][0] == 21
    kept = list(tmp_path.glob("deliberations.avant-restauration-*.duckdb"))
    assert len(kept) == 1
    with pytest.raises(ValueError, match="n'est pas une sauvegarde"):
        duckdb.connect(str(tmp_path / "autre.duckdb")).close()
        backup.restore(tmp_path / "autre.duckdb", path)


def test_a_backup_from_the_app_is_logged(tmp_path: Path) -> None:
    with Store(tmp_path / "deliberations.duckdb", snapshot_delay_s=None) as store:
        report = backup.backup(tmp_path / "s.duckdb", store=store, acteur="admin")
        log = audit.journal(store.cursor(), action="sauvegarde")
    assert report.source == "base" and "depuis la base" in report.summary_fr()
    assert log.select("acteur", "cible").rows() == [("admin", "s.duckdb")]

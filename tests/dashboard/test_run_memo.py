"""What a script run reads once (``dashboard.db.run_memo``): one run, one warehouse version."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

SCRIPT = """
import os
import streamlit as st
from dashboard import db
from etl import paths

first = db.warehouse_version()
os.utime(paths.warehouse_path(), ns=(first + 10**9, first + 10**9))  # the ETL swaps it
second = db.warehouse_version()
st.text(f"{first} {second} {paths.warehouse_path().stat().st_mtime_ns}")
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "warehouse.duckdb").write_bytes(b"")
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(tmp_path))
    return tmp_path


def test_a_run_keeps_the_version_it_started_with_and_the_next_run_sees_the_new_one(
    data_dir: Path, tmp_path: Path
) -> None:
    script = tmp_path / "version.py"
    script.write_text(SCRIPT, encoding="utf-8")
    at = AppTest.from_file(str(script)).run()
    assert not at.exception
    first, second, on_disk = (int(x) for x in at.text[0].value.split())
    assert second == first, "one run, one version"
    assert on_disk == first + 10**9
    at.run()
    again, _, _ = (int(x) for x in at.text[0].value.split())
    assert again == on_disk, "the next run reads the file again"


def test_outside_a_run_the_file_is_read_each_time(data_dir: Path) -> None:
    from dashboard import db

    path = data_dir / "warehouse.duckdb"
    before = db.warehouse_version()
    assert before == path.stat().st_mtime_ns
    stamp = (before or 0) + 10**9
    os.utime(path, ns=(stamp, stamp))
    assert db.warehouse_version() == stamp
    path.unlink()
    assert db.warehouse_version() is None

"""Retention: contacts erased N months after the ceremony, candidatures and ids kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from etl import warehouse
from etl.warehouse import purge
from tests.helpers import MINI
from tests.helpers import warehouse_rows as query

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir with the mini 2023 export loaded and kept under raw/2023/."""
    data = tmp_path / "donnees"
    (data / "raw" / "2023").mkdir(parents=True)
    (data / "reference").symlink_to(reference_dir)
    kept = data / "raw" / "2023" / MINI.name
    shutil.copy(MINI, kept)
    warehouse.load_files([kept], 2023, warehouse=data / "warehouse.duckdb", ref_dir=reference_dir)
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    return data


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    assert purge.add_months(date(2023, 12, 18), 6) == date(2024, 6, 18)
    assert purge.add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert purge.add_months(date(2023, 12, 18), 0) == date(2023, 12, 18)


def test_retention_is_read_from_config(tmp_path: Path) -> None:
    config = tmp_path / "app.toml"
    config.write_text("[conservation]\ncontacts_mois = 3\n", encoding="utf-8")
    assert purge.retention_months(config) == 3
    config.write_text("[conservation]\ncontacts_mois = -1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="contacts_mois"):
        purge.retention_months(config)
    assert purge.retention_months(ROOT / "config" / "app.toml") >= 1


def test_nothing_is_due_before_the_deadline(data: Path) -> None:
    # 2023 ceremony: 18/12/2023; six months later: 18/06/2024
    assert purge.due_editions(date(2024, 6, 17), 6) == []
    (due,) = purge.due_editions(date(2024, 6, 18), 6)
    assert due.edition == 2023 and due.echeance == date(2024, 6, 18)
    assert due.contacts == query(data, "select count(*) from contacts")[0][0] > 0
    assert [f.name for f in due.fichiers] == [MINI.name]
    assert "18/06/2024" in due.describe_fr()


def test_purge_erases_contacts_and_raw_files_but_keeps_candidatures(data: Path) -> None:
    ids_before = query(data, "select candidature_id from candidatures order by 1")
    problems_before = query(data, "select count(*) from problemes")
    assert _emails_in((data / "warehouse.duckdb").read_bytes(), MINI), "nothing to purge?"
    due = purge.due_editions(date(2025, 1, 1), 6)
    erased = purge.purge(due, date(2025, 1, 1))
    assert erased == {2023: due[0].contacts}
    assert query(data, "select count(*) from contacts") == [(0,)]
    assert query(data, "select candidature_id from candidatures order by 1") == ids_before
    assert query(data, "select count(*) from problemes") == problems_before
    assert query(data, "select edition, contacts_effaces from purges") == [(2023, due[0].contacts)]
    assert not (data / "raw" / "2023").exists()
    # erased rows must not survive in the file's free pages either
    assert _emails_in((data / "warehouse.duckdb").read_bytes(), MINI) == b""
    assert purge.due_editions(date(2025, 1, 1), 6) == []


def test_a_purged_edition_loaded_again_gets_no_contacts(data: Path, reference_dir: Path) -> None:
    purge.purge(purge.due_editions(date(2025, 1, 1), 6), date(2025, 1, 1))
    fixed = data / "corrige.csv"
    fixed.write_bytes(MINI.read_bytes().replace(b"\n", b"\r\n"))
    warehouse.load_files([fixed], 2023, warehouse=data / "warehouse.duckdb", ref_dir=reference_dir)
    assert query(data, "select count(*) from contacts") == [(0,)]
    assert query(data, "select count(*) from purges") == [(1,)]


def test_cli_lists_then_purges_only_when_confirmed(data: Path) -> None:
    env = {**os.environ, "TROPHEES_DATA_DIR": str(data)}
    cmd = [sys.executable, "-m", "dashboard.cli", "purge", "--date", "2025-01-01"]
    dry = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert "Édition 2023" in dry.stdout and "Rien n'a été effacé" in dry.stdout
    assert query(data, "select count(*) from contacts")[0][0] > 0
    done = subprocess.run(
        [*cmd, "--confirmer"], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    assert "lignes de contacts effacées" in done.stdout.replace("ligne(s)", "lignes")
    assert query(data, "select count(*) from contacts") == [(0,)]


def _emails_in(blob: bytes, export: Path) -> bytes:
    """The e-mail addresses of ``export`` that still appear in ``blob``, joined."""
    import re

    emails = set(re.findall(rb"[\w.+-]+@[\w-]+\.[\w.]+", export.read_bytes()))
    return b" ".join(e for e in emails if e in blob)

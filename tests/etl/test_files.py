"""Files written whole or not at all; a held lock is reported in French, not waited on."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl import files, warehouse
from tests.helpers import MINI

HOLDER = """
import sys, time
from pathlib import Path
from etl import files
with files.exclusive(Path(sys.argv[1]), what="test", timeout_s=1):
    print("tenu", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold(lock: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding ``lock`` for ``seconds`` (returns once it holds it)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "tenu"
    return proc


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "comptes.toml"
    files.write_atomic(target, "ancien")
    with pytest.raises(RuntimeError), files.atomic_path(target) as tmp:
        tmp.write_text("moitié")
        raise RuntimeError("interrompu")
    assert target.read_text() == "ancien"
    assert files.stale_temporaries(target) == []
    files.write_atomic(target, "nouveau", mode=0o600)
    assert target.read_text() == "nouveau" and target.stat().st_mode & 0o777 == 0o600


def test_two_writers_never_share_a_temporary_name(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    names = {files.temporary_sibling(target) for _ in range(200)}
    assert len(names) == 200
    assert all(n.parent == tmp_path and n.name.startswith(".a.json.") for n in names)


def test_a_held_lock_is_reported_after_the_timeout(tmp_path: Path) -> None:
    lock = tmp_path / ".verrou"
    holder = hold(lock, 30)
    try:
        started = time.monotonic()
        with (
            pytest.raises(files.Busy, match="La chose est déjà en cours"),
            files.exclusive(lock, what="La chose", timeout_s=0.5),
        ):
            pass
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
    with files.exclusive(lock, what="La chose", timeout_s=5):  # released by the dead holder
        pass


def test_a_second_load_is_told_a_load_is_running(
    tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "warehouse.duckdb"
    monkeypatch.setattr(warehouse.storage, "LOCK_TIMEOUT_S", 0.5)
    holder = hold(tmp_path / ".warehouse.lock", 30)
    try:
        with pytest.raises(files.Busy, match=r"chargement .* est déjà en cours"):
            warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir)
    finally:
        holder.kill()
        holder.wait()
    assert not target.exists()

"""Files written whole or not at all, and locks that say why they wait.

Every file the product writes for someone else to read (warehouse, reference layers,
accounts, benchmarks, generated documents) goes through :func:`atomic_path`: the content is
written to a hidden sibling unique to this writer, flushed to disk, then renamed over the
target — a reader sees the old file or the new one, never half of one, and two writers
never share a temporary name. Read-modify-write sequences take :func:`exclusive`, a
``filelock`` lock with a timeout and a French message naming what holds it. Small
registers several processes write (login failures, corrections) are SQLite files opened
with :func:`sqlite_database` and written in :func:`sqlite_transaction`.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import filelock

TEMPORARY_SUFFIX = ".tmp"


class Busy(RuntimeError):
    """A lock stayed held by another process for longer than the caller accepts (French)."""


_OS_ERRORS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "droits insuffisants",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EROFS: "disque en lecture seule",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EEXIST: "existe déjà",
    errno.EFBIG: "fichier trop gros",
}


def describe_os_error(err: OSError) -> str:
    """A system error in French, with the file it concerns: « /x/y.csv : dossier
    introuvable »; the system's own (English) words only for a rare errno."""
    what = _OS_ERRORS.get(err.errno or -1, err.strerror or str(err))
    return f"« {err.filename} » : {what}" if err.filename else what


def temporary_sibling(path: Path) -> Path:
    """A hidden name beside ``path`` (same filesystem, so the rename is atomic), unique to
    this call: ``.warehouse.duckdb.1234-9f2c1a.tmp``."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")


def stale_temporaries(path: Path) -> list[Path]:
    """Temporary siblings of ``path`` left by interrupted writers (to remove under a lock)."""
    return sorted(path.parent.glob(f".{glob.escape(path.name)}.*{TEMPORARY_SUFFIX}*"))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: Path, *, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path to write ``path``'s new content to; on a normal exit it is
    flushed and renamed over ``path`` (with permissions ``mode`` if given), on an error it
    is removed and ``path`` is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_sibling(path)
    try:
        yield tmp
        if mode is not None:
            os.chmod(tmp, mode)
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, content: bytes | str, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``content`` (text is written as UTF-8) in one rename."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_path(path, mode=mode) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if mode else 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)


@contextlib.contextmanager
def exclusive(lock_file: Path, *, what: str, timeout_s: float) -> Iterator[None]:
    """Hold the lock ``lock_file`` (across processes) while the block runs.

    Waits at most ``timeout_s`` seconds, then raises :class:`Busy` with « ``what`` est déjà
    en cours », rather than waiting forever in silence. The lock is released when the
    process dies, so a killed writer never blocks the next one.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(lock_file, timeout=timeout_s)
    try:
        lock.acquire()
    except filelock.Timeout as err:
        raise Busy(
            f"{what} est déjà en cours dans un autre processus (verrou {lock_file.name}) : "
            "réessayez dans un instant."
        ) from err
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def sqlite_database(
    path: Path, schema: str, *, synchronous: str = "full"
) -> Iterator[sqlite3.Connection]:
    """A SQLite file several processes write (WAL, 10 s wait for a writer), its ``schema``
    created if needed, in autocommit mode (write with :func:`sqlite_transaction`); closed
    on exit. ``synchronous``: ``full`` survives a power cut, ``normal`` a crash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        con.execute("pragma journal_mode = wal")
        if synchronous not in ("full", "normal"):
            raise ValueError(f"synchronous : full ou normal, pas {synchronous!r}")
        con.execute(f"pragma synchronous = {synchronous}")
        con.executescript(schema)
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def sqlite_transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``begin immediate`` … ``commit``: whole or absent (rolled back on any error)."""
    con.execute("begin immediate")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")

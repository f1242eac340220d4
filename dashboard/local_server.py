"""A real ``streamlit run`` server on a free local port, and headless Chromium settings.

Used by the browser tests and by the browser benchmarks: one place for how the app is
started and how Debian's Chromium is launched (never a downloaded browser).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "streamlit_app.py"
"""The app's entry script (what AppTest runs)."""
SERVER = ROOT / "dashboard" / "server.py"
"""What ``streamlit run`` serves: the entry script behind ``<html lang="fr">``."""
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


SERVER_PIDS: dict[str, int] = {}
"""Process id of each running :func:`streamlit_server`, by URL (memory measures)."""


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process (Linux ``/proc``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def streamlit_server(
    env: dict[str, str] | None = None, script: Path = SERVER, timeout_s: float = 60
) -> Iterator[str]:
    """Start ``script``, wait until ``/_stcore/health`` answers, yield its URL, stop it."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script)]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true"]
    # the server's output goes to a file: a pipe nobody reads would block a chatty server
    log = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    SERVER_PIDS[url] = proc.pid
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                log.seek(0)
                out = log.read()
                raise RuntimeError(f"streamlit s'est arrêté ({proc.returncode}) :\n{out}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit ne répond pas sur {url} après {timeout_s} s")
            time.sleep(0.2)
        yield url
    finally:
        SERVER_PIDS.pop(url, None)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()

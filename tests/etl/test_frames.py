"""Python over polars columns never deadlocks a multi-threaded server (etl/frames.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl

from etl.frames import apply

ROOT = Path(__file__).resolve().parents[2]

# Several threads at once, as several sessions' scripts in the app's server: some escape
# tables for display (dashboard.plain.frame, Python over every text column), others hand
# two-chunk frames to pandas (what Streamlit does to draw one). With ``map_elements`` in
# ``plain.frame`` this hung the 10-juror load run, and this script within seconds.
CONCURRENT = """
import threading, time
import polars as pl
from dashboard import plain

stop = time.perf_counter() + 3

def draw():
    while time.perf_counter() < stop:
        d = pl.DataFrame({"N°": list(range(300)), "x": [f"t{i}" for i in range(300)]})
        pl.concat([d, d]).to_pandas()

def escape():
    while time.perf_counter() < stop:
        plain.frame(pl.DataFrame({"a": [f"*texte* {i}" for i in range(50)], "b": ["x"] * 50}))

threads = [threading.Thread(target=f, daemon=True) for f in (draw, escape) * 4]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("fini")
"""


def test_escaping_tables_while_others_convert_them_never_hangs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CONCURRENT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "fini"


def test_apply_keeps_nulls_name_and_type() -> None:
    series = pl.Series("heures", [1200, None, 3], pl.Int64)
    applied = apply(series, lambda v: f"{v} h")
    assert applied.name == "heures"
    assert applied.dtype == pl.String
    assert applied.to_list() == ["1200 h", None, "3 h"]
    assert apply(series, lambda v: v * 2, pl.Int64()).to_list() == [2400, None, 6]

"""What the app benchmarks share: a temporary warehouse of N fictitious candidatures, the
yardstick page (one Plotly bar chart) and interleaved warm AppTest reruns."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.accounts import Account
from etl import demo, editions, paths, warehouse

CANDIDATURES = 5_000
RERUNS = 60

BASELINE_PAGE = """
import plotly.graph_objects as go
import streamlit as st

st.title("Référence")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c", "d", "e"], y=[3, 1, 4, 1, 5])))
"""
"""The yardstick: the smallest useful page, a title and one Plotly bar chart."""


@contextmanager
def data_dir_env(data: Path) -> Iterator[Path]:
    """``TROPHEES_DATA_DIR`` set to ``data`` while the block runs, then restored."""
    previous = os.environ.get("TROPHEES_DATA_DIR")
    os.environ["TROPHEES_DATA_DIR"] = str(data)
    try:
        yield data
    finally:
        if previous is None:
            os.environ.pop("TROPHEES_DATA_DIR", None)
        else:
            os.environ["TROPHEES_DATA_DIR"] = previous


@contextmanager
def bench_data_dir(n: int = CANDIDATURES, seed: int = 2023) -> Iterator[Path]:
    """A temporary data dir with a warehouse of ``n`` fictitious 2023 candidatures built
    by the real ETL, set as ``TROPHEES_DATA_DIR`` while the block runs."""
    with tempfile.TemporaryDirectory() as tmp_name:
        data = Path(tmp_name) / "donnees"
        data.mkdir()
        (data / "reference").symlink_to(paths.reference_dir())
        edition = editions.load_editions()[2023]
        export = demo.generate_export(edition, n, seed, data / "raw" / "echelle.csv")
        warehouse.load_files(
            [export.path],
            2023,
            warehouse=data / "warehouse.duckdb",
            ref_dir=paths.reference_dir(),
            max_bytes=1 << 30,
        )
        with data_dir_env(data):
            yield data


def baseline_script(directory: Path) -> Path:
    """The yardstick page written as a script in ``directory``."""
    script = directory / "page_reference.py"
    script.write_text(BASELINE_PAGE, encoding="utf-8")
    return script


def admin_app(
    script: Path, page: str | None = None, query: dict[str, str] | None = None
) -> AppTest:
    """An AppTest of ``script`` signed in as an admin, switched to ``page``, not yet run."""
    at = AppTest.from_file(str(script), default_timeout=600)
    at.session_state["compte"] = Account("mesures", "Mesures", "admin")
    if page is not None:
        at.switch_page(page)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def warm_app(script: Path, page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """An AppTest of ``script`` (switched to ``page``) that has run twice: caches filled."""
    at = admin_app(script, page, query)
    at.run()
    at.run()
    if at.exception:
        raise RuntimeError(f"{script} ({page}) a échoué : {at.exception}")
    return at


@contextmanager
def compiled_once() -> Iterator[None]:
    """AppTest runs that keep the scripts' bytecode, as a server does.

    A ``streamlit run`` server compiles the entry script and each page once, in its
    ``ScriptCache``. AppTest builds a fresh cache on every run, so it compiles them again
    each time: 0,25 ms for ``streamlit_app.py`` and 0,42 ms for the Carte page here,
    against next to nothing for the one-chart yardstick. Inside this block, every AppTest
    run shares one cache: a warm rerun then costs what it costs in production.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    modules = (app_test, local_script_runner)
    saved = [vars(module)["ScriptCache"] for module in modules]
    for module in modules:
        setattr(module, "ScriptCache", lambda: shared)  # noqa: B010 (not re-exported)
    try:
        yield
    finally:
        for module, original in zip(modules, saved, strict=True):
            setattr(module, "ScriptCache", original)  # noqa: B010


def best_warm_reruns(*apps: AppTest, reruns: int = RERUNS) -> list[float]:
    """Shortest warm rerun time (s) of each app, reruns interleaved so that a busy moment
    of the machine weighs on every app alike; bytecode kept between runs as a server keeps
    it (:func:`compiled_once`)."""
    times: list[list[float]] = [[] for _ in apps]
    with compiled_once():
        for _ in range(reruns):
            for bucket, at in zip(times, apps, strict=True):
                start = time.perf_counter()
                at.run()
                bucket.append(time.perf_counter() - start)
    return [min(bucket) for bucket in times]

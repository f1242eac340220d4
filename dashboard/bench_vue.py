"""Bench of « Vue d'ensemble »: warm rerun time on 5,000 candidatures, against the warm
rerun of the smallest useful Streamlit page (a title and one Plotly bar chart).

Both are timed through ``AppTest`` in this process, best of several warm reruns, so the
ratio says what the page costs beyond Streamlit's own floor on this machine.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from streamlit.testing.v1 import AppTest

from etl import editions, paths, synthetic, warehouse
from etl.bench import Figure

APP = Path(__file__).resolve().parent / "streamlit_app.py"
CANDIDATURES = 5_000
RERUNS = 25

BASELINE_PAGE = """
import plotly.graph_objects as go
import streamlit as st

st.title("Référence")
st.plotly_chart(go.Figure(go.Bar(x=[12, 8, 5, 3], y=["A", "B", "C", "D"], orientation="h")))
"""


@contextmanager
def _bench_data_dir(n: int, seed: int = 2023) -> Iterator[Path]:
    """A temporary data dir holding a warehouse of ``n`` fictitious 2023 candidatures,
    set as ``TROPHEES_DATA_DIR`` while the block runs."""
    reference = paths.reference_dir()
    previous = os.environ.get("TROPHEES_DATA_DIR")
    with tempfile.TemporaryDirectory() as tmp_name:
        data = Path(tmp_name) / "donnees"
        data.mkdir()
        (data / "reference").symlink_to(reference)
        edition = editions.load_editions()[2023]
        export = synthetic.generate_export(edition, n, seed, data / "raw" / "bench-vue.csv")
        warehouse.load_files(
            [export.path],
            2023,
            warehouse=data / "warehouse.duckdb",
            ref_dir=reference,
            max_bytes=1 << 30,
        )
        os.environ["TROPHEES_DATA_DIR"] = str(data)
        try:
            yield data
        finally:
            if previous is None:
                os.environ.pop("TROPHEES_DATA_DIR", None)
            else:
                os.environ["TROPHEES_DATA_DIR"] = previous


def _warm_app(script: Path, page: str | None = None) -> AppTest:
    """An AppTest of ``script`` (switched to ``page``) that has run twice: caches filled."""
    at = AppTest.from_file(str(script), default_timeout=120)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    at.run()
    if at.exception:
        raise RuntimeError(f"{script} ({page}) a échoué : {at.exception}")
    return at


def _rerun_seconds(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


def best_warm_reruns(*apps: AppTest, reruns: int = RERUNS) -> list[float]:
    """Shortest warm rerun time (s) of each app, reruns interleaved so that a busy moment
    of the machine weighs on every app alike."""
    times: list[list[float]] = [[] for _ in apps]
    for _ in range(reruns):
        for bucket, at in zip(times, apps, strict=True):
            bucket.append(_rerun_seconds(at))
    return [min(bucket) for bucket in times]


def measure() -> Iterable[Figure]:
    """``rerun_ratio_overview``: warm rerun of the overview ÷ warm rerun of the baseline."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    with tempfile.TemporaryDirectory() as tmp_name, _bench_data_dir(CANDIDATURES):
        baseline_script = Path(tmp_name) / "page_reference.py"
        baseline_script.write_text(BASELINE_PAGE, encoding="utf-8")
        baseline_app = _warm_app(baseline_script)
        overview_app = _warm_app(APP, "app_pages/vue_ensemble.py")
        baseline, overview = best_warm_reruns(baseline_app, overview_app)
    yield Figure.judged(
        "rerun_ratio_overview",
        round(overview, 4),
        "s",
        round(baseline, 4),
        target=3.0,
        sens="<=",
        description=(
            "Réexécution à chaud de la page « Vue d'ensemble » sur 5 000 candidatures "
            "(cadre de l'application compris : bandeau, filtres, navigation), rapportée à "
            f"celle d'une page minimale avec un seul graphique Plotly en barres (meilleur de "
            f"{RERUNS}, réexécutions alternées, AppTest)"
        ),
    )

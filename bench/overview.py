"""Bench of « Vue d'ensemble »: warm rerun time on 5,000 candidatures, against the warm
rerun of the smallest useful Streamlit page (a title and one Plotly bar chart).

Both are timed through ``AppTest`` in this process, best of several warm reruns, so the
ratio says what the page costs beyond Streamlit's own floor on this machine.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from bench.load import Figure
from bench.support import RERUNS, baseline_script, bench_data_dir, best_warm_reruns, warm_app
from dashboard.local_server import APP


def measure() -> Iterable[Figure]:
    """``rerun_ratio_overview``: warm rerun of the overview ÷ warm rerun of the baseline."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    with tempfile.TemporaryDirectory() as tmp_name, bench_data_dir():
        baseline_app = warm_app(baseline_script(Path(tmp_name)))
        overview_app = warm_app(APP, "app_pages/vue_ensemble.py")
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

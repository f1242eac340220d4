"""Bench of « Séance du jury »: warm rerun on 5,000 candidatures with a scored prize,
against the warm rerun of the one-bar yardstick page (see :mod:`bench.overview`).

The deliberation is written through the store's real API before the app opens it: every
candidature of one prize scored by five jurors, three shortlisted, one crowned.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from bench.load import Figure
from bench.support import RERUNS, baseline_script, bench_data_dir, best_warm_reruns, warm_app
from dashboard.local_server import APP

EDITION = 2023
PRIZE = "COMM"
JURORS = tuple(f"mesure-jure-{i}" for i in range(1, 6))


def _deliberation(data: Path) -> int:
    """Score the prize's candidatures and decide; how many candidatures were scored."""
    from dashboard.jury import decisions, scoring
    from dashboard.jury.candidatures import candidatures_to_judge
    from dashboard.jury.rules import load_rules
    from dashboard.jury.states import Decision
    from dashboard.jury.store import Store
    from etl import editions

    category = editions.load_editions()[EDITION].category(PRIZE)
    judged = candidatures_to_judge(EDITION, data / "warehouse.duckdb")
    ids = judged.filter(judged["categorie_code"] == PRIZE)["candidature_id"].to_list()
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        scoring.assign(store, "mesures", EDITION, PRIZE, list(JURORS))
        for n, cid in enumerate(ids):
            for j, jure in enumerate(JURORS):
                value = (n * 7 + j * 3) % (category.criteres[0].note_max + 1)
                saisie = scoring.ScoreInput({c.code: value for c in category.criteres})
                scoring.save_score(store, jure, EDITION, category, cid, saisie, submit=True)
        table = decisions.category_results(store.cursor(), EDITION, category, load_rules())
        best = table["candidature_id"].to_list()
        for cid in best[:3]:
            decisions.decide(store, "mesures", EDITION, category, cid, Decision.PRESELECTION)
        decisions.decide(
            store, "mesures", EDITION, category, best[0], Decision.LAUREAT, "Mesure de charge."
        )
    return len(ids)


def measure() -> Iterable[Figure]:
    """``seance_rerun_ratio``: warm rerun of the séance ÷ warm rerun of the yardstick."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    with tempfile.TemporaryDirectory() as tmp_name, bench_data_dir() as data:
        scored = _deliberation(data)
        baseline_app = warm_app(baseline_script(Path(tmp_name)))
        seance_app = warm_app(APP, "app_pages/jury_seance.py")
        baseline, seance = best_warm_reruns(baseline_app, seance_app)
    yield Figure.judged(
        "seance_rerun_ratio",
        round(seance, 4),
        "s",
        round(baseline, 4),
        target=3.0,
        sens="<=",
        description=(
            "Réexécution à chaud de la page « Séance du jury » sur 5 000 candidatures "
            f"(prix {PRIZE} : {scored} candidatures notées par {len(JURORS)} jurés, "
            "présélection et lauréat décidés ; cadre de l'application compris), rapportée "
            "à celle d'une page minimale avec un seul graphique Plotly en barres (meilleur "
            f"de {RERUNS}, réexécutions alternées, AppTest)"
        ),
    )

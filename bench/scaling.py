"""How the pages scale with data size, for ``make bench``: 1 000, 10 000 and 100 000
fictitious candidatures (one edition, built by the real ETL).

For each page most used by the jury, through ``AppTest`` with every cache emptied:

- ``echelle_<page>_froid_10k`` / ``_100k``: the first display (caches empty, as after a
  load), against the same at 1 000 candidatures;
- ``echelle_<page>_chaud_100k``: a warm rerun at 100 000, against the same at 1 000.

Target: at most linear growth (ratio ≤ 10 from 1k to 10k, ≤ 100 from 1k to 100k). A real
edition holds a few hundred candidatures; these sizes look for what would break first.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from bench.load import Figure
from bench.support import admin_app, bench_data_dir
from dashboard.local_server import APP
from etl.french import format_decimal

TAILLES = (1_000, 10_000, 100_000)
PAGES = {
    "vue_ensemble": "Vue d'ensemble",
    "carte": "Carte",
    "comparer": "Comparer",
    "fiche": "Fiche candidature",
}
CHAUDES = 5
"""Warm reruns per page; the shortest is kept."""


def _page_times(page: str) -> tuple[float, float]:
    """(first run with empty caches, best warm rerun) of ``page`` on the current data."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = admin_app(APP, f"app_pages/{page}.py")
    start = time.perf_counter()
    at.run()
    froid = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{page} a échoué : {at.exception}")
    chaud = []
    for _ in range(CHAUDES):
        start = time.perf_counter()
        at.run()
        chaud.append(time.perf_counter() - start)
    return froid, min(chaud)


def timings() -> dict[int, dict[str, tuple[float, float]]]:
    """For each size of :data:`TAILLES`, each page's (cold, warm) times in seconds."""
    result: dict[int, dict[str, tuple[float, float]]] = {}
    with bench_data_dir(TAILLES[0]):  # warm-up: imports and first-use costs paid once
        for page in PAGES:
            _page_times(page)
    for n in TAILLES:
        with bench_data_dir(n):
            result[n] = {page: _page_times(page) for page in PAGES}
    return result


def _fr(s: float) -> str:
    return f"{format_decimal(s, 3)} s"


def measure() -> Iterable[Figure]:
    mesures = timings()
    petit, moyen, grand = TAILLES
    for page, titre in PAGES.items():
        serie = " ; ".join(
            f"{n // 1000} k : {_fr(froid)} à froid, {_fr(chaud)} à chaud"
            for n in TAILLES
            for froid, chaud in [mesures[n][page]]
        )
        quoi = {
            "froid": f"Premier affichage de « {titre} », caches vides (AppTest)",
            "chaud": f"Réexécution à chaud de « {titre} » (meilleure de {CHAUDES}, AppTest)",
        }
        for n, etat in ((moyen, "froid"), (grand, "froid"), (grand, "chaud")):
            rang = 0 if etat == "froid" else 1
            yield Figure.judged(
                f"echelle_{page}_{etat}_{n // 1000}k",
                round(mesures[n][page][rang], 4),
                "s",
                round(mesures[petit][page][rang], 4),
                target=n / petit,
                sens="<=",
                description=(
                    f"{quoi[etat]} sur {n:_} candidatures rapporté à {petit:_} (linéaire : "
                    f"{n // petit}) — {serie}"
                ).replace("_", "\u202f"),
            )


if __name__ == "__main__":
    for figure in measure():
        print(f"{figure.name} = {figure.value} {figure.unit} (ratio {figure.ratio}) ok={figure.ok}")

"""Carte page measures for ``make bench`` (appended by ``python -m dashboard.bench``).

All on a temporary warehouse of 5 000 fictitious candidatures (2023) built by the real ETL:

- ``rerun_ratio_carte``: warm AppTest rerun of the Carte page ÷ warm rerun of a minimal
  page holding one Plotly bar chart;
- ``map_payload_departements_mb`` / ``map_payload_regions_mb``: the figure JSON the
  browser receives (``PlotlyChart.spec``), against the raw GeoJSON file;
- ``browser_map_ratio``: headless Chromium, time from navigation until the map has drawn
  its 96 metropolitan départements, ÷ the same for the minimal bar-chart page, both served
  by real ``streamlit run`` servers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from etl import editions, paths, synthetic, warehouse
from etl.bench import Figure

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "streamlit_app.py"
CANDIDATURES = 5_000
REPEAT = 7
NAVIGATIONS = 5
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_DRAWN = "document.querySelectorAll('.js-plotly-plot .choroplethlayer path').length >= 96"
BAR_DRAWN = "document.querySelectorAll('.js-plotly-plot .barlayer .point path').length >= 5"
MINIMAL_PAGE = """
import plotly.graph_objects as go
import streamlit as st

st.title("Référence")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c", "d", "e"], y=[3, 1, 4, 1, 5])))
"""
"""The yardstick: a page with one small Plotly bar chart and nothing else."""


def bench_data_dir(tmp: Path) -> Path:
    """A data directory (reference symlinked) with a warehouse of 5 000 candidatures."""
    data = tmp / "donnees"
    data.mkdir()
    (data / "reference").symlink_to(paths.reference_dir())
    edition = editions.load_editions()[2023]
    export = synthetic.generate_export(edition, CANDIDATURES, 2023, tmp / "echelle.csv")
    warehouse.load_files(
        [export.path],
        2023,
        warehouse=data / "warehouse.duckdb",
        ref_dir=paths.reference_dir(),
        max_bytes=1 << 30,
    )
    return data


@contextmanager
def _data_dir(data: Path) -> Iterator[None]:
    previous = os.environ.get("TROPHEES_DATA_DIR")
    os.environ["TROPHEES_DATA_DIR"] = str(data)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("TROPHEES_DATA_DIR", None)
        else:
            os.environ["TROPHEES_DATA_DIR"] = previous


def _best_rerun(run: Callable[[], object]) -> float:
    run()  # warm the caches
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _carte_app(maille: str | None = None) -> Any:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page("app_pages/carte.py")
    if maille is not None:
        at.query_params["maille"] = maille
    at.run()
    if at.exception:
        raise RuntimeError(f"La page Carte a échoué : {at.exception[0].value}")
    return at


def _rerun_figures() -> Iterable[Figure]:
    from streamlit.testing.v1 import AppTest

    carte = _carte_app()
    carte_s = _best_rerun(carte.run)
    minimal = AppTest.from_string(MINIMAL_PAGE, default_timeout=60)
    minimal_s = _best_rerun(minimal.run)
    yield Figure.judged(
        "rerun_ratio_carte",
        round(carte_s, 4),
        "s",
        round(minimal_s, 4),
        target=3.0,
        sens="<=",
        description=(
            f"Réexécution à chaud de la page Carte ({format(CANDIDATURES, ',')} candidatures, "
            "AppTest) rapportée à celle d'une page minimale portant un seul graphique en barres"
        ),
    )
    for maille, label, target in (
        ("departement", "Départements", 0.8),
        ("region", "Régions", 0.3),
    ):
        at = carte if maille == "departement" else _carte_app(label)
        spec = at.get("plotly_chart")[0].proto.spec
        raw = paths.reference_dir() / f"{maille}s.geojson"
        yield Figure.judged(
            f"map_payload_{maille}s_mb",
            round(len(spec.encode("utf-8")) / 1e6, 3),
            "Mo",
            round(raw.stat().st_size / 1e6, 3),
            target=target,
            sens="<=",
            cible_sur="valeur",
            description=(
                f"Taille du JSON de la carte par {maille} envoyé au navigateur (fond, bulles, "
                "info-bulles), rapportée au fichier GeoJSON de référence brut"
            ),
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(script: Path, env: dict[str, str]) -> Iterator[str]:
    """``streamlit run script`` on a free port (project config), until its health answers."""
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script)]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true"]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit n'a pas démarré pour {script}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _time_to_drawn(pw: Any, url: str, drawn: str) -> float:
    """A fresh browser: seconds from navigation to ``drawn`` being true."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(drawn, timeout=60_000, polling=50)
        return time.perf_counter() - start
    finally:
        browser.close()


def _browser_figure(data: Path, tmp: Path) -> Figure:
    """Best of :data:`NAVIGATIONS` for each page, alternating the two pages so that both
    see the same machine load (the first navigation of each warms its server)."""
    from playwright.sync_api import sync_playwright

    minimal = tmp / "page_minimale.py"
    minimal.write_text(MINIMAL_PAGE, encoding="utf-8")
    carte: list[float] = []
    reference: list[float] = []
    with (
        _server(APP, {"TROPHEES_DATA_DIR": str(data)}) as app_url,
        _server(minimal, {}) as minimal_url,
        sync_playwright() as pw,
    ):
        for _ in range(NAVIGATIONS):
            carte.append(_time_to_drawn(pw, f"{app_url}/carte", MAP_DRAWN))
            reference.append(_time_to_drawn(pw, minimal_url, BAR_DRAWN))
    return Figure.judged(
        "browser_map_ratio",
        round(min(carte), 3),
        "s",
        round(min(reference), 3),
        target=1.3,
        sens="<=",
        description=(
            "Chromium sans tête : de la navigation au dessin des 96 départements "
            "métropolitains (page Carte, 5 000 candidatures) rapporté au dessin d'une page "
            "minimale à un graphique en barres (serveurs streamlit réels, meilleur de "
            f"{NAVIGATIONS} navigations alternées)"
        ),
    )


def measure() -> Iterable[Figure]:
    """The Carte page's figures (see the module docstring)."""
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        data = bench_data_dir(tmp)
        with _data_dir(data):
            yield from _rerun_figures()
        yield _browser_figure(data, tmp)


if __name__ == "__main__":
    for figure in measure():
        print(f"{figure.name} = {figure.value} {figure.unit} (ratio {figure.ratio}) ok={figure.ok}")

"""Carte page measures for ``make bench`` (appended by ``python -m bench.app``).

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

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load import Figure
from bench.support import RERUNS, baseline_script, bench_data_dir, best_warm_reruns, warm_app
from dashboard.local_server import APP, CHROMIUM, CHROMIUM_ARGS, streamlit_server
from etl import paths
from etl.french import format_decimal

NAVIGATIONS = 5
MAP_DRAWN = "document.querySelectorAll('.js-plotly-plot .choroplethlayer path').length >= 96"
BAR_DRAWN = "document.querySelectorAll('.js-plotly-plot .barlayer .point path').length >= 5"


def _rerun_figures(tmp: Path) -> Iterable[Figure]:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    carte = warm_app(APP, "app_pages/carte.py")
    minimal = warm_app(baseline_script(tmp))
    minimal_s, carte_s = best_warm_reruns(minimal, carte)
    yield Figure.judged(
        "rerun_ratio_carte",
        round(carte_s, 4),
        "s",
        round(minimal_s, 4),
        target=3.0,
        sens="<=",
        description=(
            "Réexécution à chaud de la page Carte (5 000 candidatures, AppTest) rapportée à "
            "celle d'une page minimale portant un seul graphique en barres (meilleur de "
            f"{RERUNS} réexécutions alternées)"
        ),
    )
    for maille, label, target in (
        ("departement", "Départements", 0.8),
        ("region", "Régions", 0.3),
    ):
        at = (
            carte
            if maille == "departement"
            else warm_app(APP, "app_pages/carte.py", {"maille": label})
        )
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


BENCH_LOGIN = "mesures"
BENCH_PASSWORD = "mesures-du-banc-2026"


# The page's own clock (ms since navigation started): the first moment each condition
# holds, checked on every DOM change, and the moment of the first click. Polling from
# Playwright would instead wait for the page's main thread, which may be busy evaluating
# a script the person is not waiting for (Plotly, loaded under the login form).
_HORLOGE = """
window.__mesures = {};
(() => {
  const conditions = {formulaire: () => document.querySelector("input[type=password]"),
                      dessin: () => (%s)};
  const m = window.__mesures;
  new MutationObserver(() => {
    for (const [nom, tenue] of Object.entries(conditions)) {
      if (!(nom in m) && tenue()) m[nom] = performance.now();
    }
  }).observe(document, {subtree: true, childList: true});
  document.addEventListener("click", (e) => { if (!("clic" in m)) m.clic = e.timeStamp; }, true);
})();
"""

# What a person takes at least to read the login form and type an identifier and a
# password: the page may finish its own background work (Plotly) meanwhile.
PAUSE_SAISIE_S = 2.0


@dataclass(frozen=True)
class Navigation:
    """One fresh browser's navigation, in seconds."""

    attente: float  # the page's clock: time a person waits (form, then click → drawn)
    robot: float  # Playwright's clock, robot typing instantly (its typing not counted)


def _navigate(pw: Any, url: str, drawn: str, login: bool = False, pause: float = 0.0) -> Navigation:
    """A fresh browser: navigation → ``drawn`` true.

    Without ``login`` both clocks count navigation → drawn. With ``login`` the app first
    shows its login form; the robot waits ``pause`` seconds, types and clicks « Se
    connecter ». ``attente`` is then navigation → form in the page, plus click → drawn;
    ``robot`` is Playwright's navigation → form seen, plus click → drawn seen.
    """
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.add_init_script(_HORLOGE % drawn)
        start = time.perf_counter()
        page.goto(url)
        if login:
            page.get_by_label("Identifiant", exact=True).wait_for(timeout=60_000)
            to_form = time.perf_counter() - start
            time.sleep(pause)
            page.get_by_label("Identifiant", exact=True).fill(BENCH_LOGIN)
            page.get_by_label("Mot de passe", exact=True).fill(BENCH_PASSWORD)
            clicked = time.perf_counter()
            page.get_by_role("button", name="Se connecter", exact=True).click()
        page.wait_for_function(drawn, timeout=60_000, polling=50)
        seen = time.perf_counter()
        page.wait_for_function("'dessin' in window.__mesures", timeout=60_000)
        m = page.evaluate("window.__mesures")
        if not login:
            return Navigation(m["dessin"] / 1000, seen - start)
        return Navigation(
            (m["formulaire"] + m["dessin"] - m["clic"]) / 1000, to_form + seen - clicked
        )
    finally:
        browser.close()


def _browser_figure(data: Path, tmp: Path) -> Figure:
    """Best of :data:`NAVIGATIONS` for each way, alternating them so that all see the same
    machine load (the first navigation of each warms its server)."""
    from playwright.sync_api import sync_playwright

    minimal = baseline_script(tmp)
    carte: list[float] = []
    robot: list[float] = []
    reference: list[float] = []
    robot_reference: list[float] = []
    from dashboard.accounts import AccountSettings, AccountStore

    comptes = tmp / "comptes-mesures.toml"
    AccountStore(AccountSettings(file=comptes)).add(
        BENCH_LOGIN, "Mesures", "analyste", BENCH_PASSWORD, replace_existing=True
    )
    with (
        streamlit_server(
            {"TROPHEES_DATA_DIR": str(data), "TROPHEES_COMPTES": str(comptes)}
        ) as app_url,
        streamlit_server(script=minimal) as minimal_url,
        sync_playwright() as pw,
    ):
        for _ in range(NAVIGATIONS):
            url = f"{app_url}/carte"
            carte.append(_navigate(pw, url, MAP_DRAWN, True, PAUSE_SAISIE_S).attente)
            robot.append(_navigate(pw, url, MAP_DRAWN, True).robot)
            bar = _navigate(pw, minimal_url, BAR_DRAWN)
            reference.append(bar.attente)
            robot_reference.append(bar.robot)
    robot_ratio = format_decimal(min(robot) / min(robot_reference), 2)
    return Figure.judged(
        "browser_map_ratio",
        round(min(carte), 3),
        "s",
        round(min(reference), 3),
        target=1.3,
        sens="<=",
        description=(
            "Chromium sans tête, horloge de la page : attente d'une personne de la "
            "navigation au dessin des 96 départements métropolitains (page Carte, "
            "5 000 candidatures) : jusqu'au formulaire de connexion, puis du clic « Se "
            "connecter » à la carte dessinée, la saisie prenant "
            f"{format_decimal(PAUSE_SAISIE_S, 0)} s ; rapportée au dessin d'une page "
            "minimale à un graphique en barres (serveurs streamlit réels, meilleur de "
            f"{NAVIGATIONS} navigations alternées). Robot qui tape sans pause, horloge de "
            f"Playwright : {format_decimal(min(robot), 2)} s, rapport {robot_ratio}"
        ),
    )


def measure() -> Iterable[Figure]:
    """The Carte page's figures (see the module docstring)."""
    with bench_data_dir() as data:
        yield from _rerun_figures(data)
        yield _browser_figure(data, data)


if __name__ == "__main__":
    for figure in measure():
        print(f"{figure.name} = {figure.value} {figure.unit} (ratio {figure.ratio}) ok={figure.ok}")

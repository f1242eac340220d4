"""The Carte page in a real headless Chromium against a real server, with no network:
every département is drawn, France fills the frame, nothing is fetched from outside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from tests.helpers import browser_login, server_env

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:")
SHAPES = "document.querySelectorAll('.js-plotly-plot .choroplethlayer path').length"

FILLS_THE_FRAME = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    const box = gd.querySelector('.choroplethlayer').getBBox();
    const size = gd._fullLayout._size;
    return {height: box.height / size.h, width: box.width / size.w};
}"""
"""Share of the plot area's height and width covered by the territories."""


def texts(page: Any, selector: str) -> list[str]:
    """Text of the SVG elements of the map matching ``selector`` (SVG has no innerText)."""
    found: list[str] = page.evaluate(
        "s => [...document.querySelectorAll('.js-plotly-plot ' + s)].map(e => e.textContent)",
        selector,
    )
    return found


@pytest.mark.browser
def test_map_draws_offline_with_insets_and_french_legend(app_env: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    topojson: list[int] = []
    env = server_env(app_env, tmp_path / "donnees")
    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Tall enough for the whole page: Streamlit scrolls inside its own container.
        page = browser.new_page(viewport={"width": 1400, "height": 1900})
        page.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
        page.on(
            "response",
            lambda r: topojson.append(r.status) if r.url.endswith("/world_110m.json") else None,
        )
        browser_login(page, f"{url}/carte")  # each page load is a new session
        page.wait_for_function(f"{SHAPES} >= 96", timeout=60_000)
        departements = page.evaluate(SHAPES)
        legend = texts(page, ".legendtext")
        colorbar = texts(page, ".cbtitle")
        insets = texts(page, ".scattergeo text")
        covered: dict[str, Any] = page.evaluate(FILLS_THE_FRAME)
        page.wait_for_timeout(500)
        page.screenshot(path=ARTIFACTS / "carte.png", full_page=True)

        browser_login(page, f"{url}/carte?maille=R%C3%A9gions")
        page.wait_for_function(f"{SHAPES} == 18", timeout=60_000)
        page.screenshot(path=ARTIFACTS / "carte-regions.png", full_page=True)

        # Zoomed, the choropleth is the first trace: Plotly then loads its base-map topojson,
        # which must come from the app's static folder, not from Plotly's CDN.
        browser_login(page, f"{url}/carte?region=Bretagne")
        page.wait_for_function(f"{SHAPES} == 4", timeout=60_000)
        page.wait_for_timeout(500)
        page.screenshot(path=ARTIFACTS / "carte-bretagne.png", full_page=True)
        browser.close()
    assert departements == 101
    assert outside == []
    assert topojson and set(topojson) <= {200, 304}
    assert "Aucune candidature" in legend
    assert any("aire ∝ heures" in text for text in legend)
    assert colorbar == ["Candidatures"]
    assert insets == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]
    assert covered["height"] > 0.85 or covered["width"] > 0.85, covered

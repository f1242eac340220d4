"""The shared filters round-trip through the URL in a real browser: a link opens the view
it was copied from (real ``streamlit run`` server, headless Chromium, demo warehouse)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest

from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from tests.helpers import browser_login, server_env

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
VIEWPORT = {"width": 1400, "height": 3000}  # tall: Streamlit scrolls inside its own frame
TIMEOUT_MS = 30_000


def count(data_dir: Path, sql: str) -> int:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return int(con.sql(sql).fetchall()[0][0])
    finally:
        con.close()


@pytest.mark.browser
def test_filters_round_trip_through_the_url(app_env: Path, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    def candidatures(page: Page) -> object:
        metric = page.locator('[data-testid="stMetric"]').filter(
            has=page.get_by_text("Candidatures", exact=True)
        )
        return metric.first.locator('[data-testid="stMetricValue"]')

    n_2024 = count(app_env, "select count(*) from candidatures where edition = 2024")
    n_2024_mde = count(
        app_env,
        "select count(*) from candidatures where edition = 2024 and structure_type = 'mde'",
    )
    assert n_2024 == 59 and 0 < n_2024_mde < n_2024
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = server_env(app_env, tmp_path / "donnees")
    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        browser_login(page, f"{url}/?edition=2024")  # the URL's filters survive the login
        expect(candidatures(page)).to_have_text(str(n_2024), timeout=TIMEOUT_MS)

        # change a filter in the sidebar, as a user would
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Type de structure").click()
        page.get_by_role("option", name="Maison de l'emploi", exact=True).click()
        expect(candidatures(page)).to_have_text(str(n_2024_mde), timeout=TIMEOUT_MS)
        page.wait_for_function("() => window.location.search.includes('structure=')")
        shared = page.url
        query = parse_qs(urlparse(shared).query)
        assert query["edition"] == ["2024"]
        assert query["structure"] == ["Maison de l'emploi"]
        page.locator(".js-plotly-plot .bars").first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(1500)  # let Plotly finish drawing before the screenshot
        page.screenshot(path=ARTIFACTS / "vue_ensemble.png")

        # the copied link, opened in a fresh page, gives back the same view
        other = browser.new_page(viewport=VIEWPORT)
        browser_login(other, shared)  # a new page is a new session: log in again
        expect(candidatures(other)).to_have_text(str(n_2024_mde), timeout=TIMEOUT_MS)
        sidebar_filter = other.get_by_role("combobox", name="Type de structure")
        expect(sidebar_filter).to_have_value("Maison de l'emploi")

        browser_login(other, f"{url}/qualite")
        other.get_by_text("Territoires à vérifier", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        other.get_by_text("Télécharger les chargements (CSV)").wait_for(timeout=TIMEOUT_MS)
        other.wait_for_timeout(1000)
        other.screenshot(path=ARTIFACTS / "qualite.png")
        browser.close()

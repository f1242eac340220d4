"""Pages served by a real Streamlit server to Debian's Chromium: the home page (nothing
fetched from outside), Comparer (the selection kept in the URL, print layout) and the
Fiche (maps drawn, the link restored after login). AppTest covers the same pages in
``tests/dashboard/``; these check what only a browser shows."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from etl import editions
from tests.dashboard.test_page_comparer import label as comparer_label
from tests.dashboard.test_page_comparer import top_by_hours
from tests.dashboard.test_page_fiche import label as fiche_label
from tests.helpers import browser_login, server_env
from tests.helpers import warehouse_rows as sql

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture
def empty_env(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with the reference geography but no warehouse yet."""
    (tmp_path / "reference").symlink_to(reference_dir)
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(tmp_path))
    return tmp_path


def test_real_server_serves_home_in_chromium(empty_env: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    env = server_env(empty_env, tmp_path / "serveur")
    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:"))
                else None
            ),
        )
        browser_login(page, url)
        page.get_by_text("Éditions configurées").wait_for(timeout=30_000)
        page.get_by_text("2023 — 2e édition").wait_for(timeout=30_000)
        page.get_by_text("Clauses sociales et prestations intellectuelles").wait_for(timeout=30_000)
        page.screenshot(path=ARTIFACTS / "accueil.png", full_page=True)
        browser.close()
    assert outside == []


def test_real_server_keeps_the_selection_in_the_url(app_env: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ids = top_by_hours(app_env, 2023, "MIXITE")[:3]
    mixite = editions.load_editions()[2023].category("MIXITE")
    # a bound selectbox keeps its displayed label in the URL
    query = f"edition=2023&categorie={quote(f'MIXITE — {mixite.libelle}')}&" + "&".join(
        f"ids={quote(comparer_label(app_env, i))}" for i in ids
    )
    with (
        streamlit_server(server_env(app_env, tmp_path / "donnees")) as url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        browser_login(page, f"{url}/comparer?{query}")
        page.get_by_text("Face à la médiane de la catégorie").wait_for(timeout=60_000)
        page.wait_for_selector(".js-plotly-plot .barlayer", timeout=60_000)
        tags = page.locator("[data-testid=stMultiSelect] [data-tag]")
        # the page is drawn by more than one run after login (the requested page and its
        # URL parameters are restored): wait for the selection to be drawn, then compare
        expect(tags).to_have_count(len(ids), timeout=60_000)
        chips = tags.evaluate_all("tags => tags.map(t => t.getAttribute('aria-label'))")
        assert chips == [comparer_label(app_env, i) for i in ids]
        assert page.url.count("ids=") == 3
        page.get_by_text("catégorie de référence : MIXITE", exact=False).wait_for()
        # removing a candidature in the page writes the new selection back to the URL
        page.get_by_role("button", name=f"Remove {comparer_label(app_env, ids[2])}").click()
        page.wait_for_function("() => location.search.split('ids=').length === 3")
        remaining = parse_qs(urlsplit(page.url).query)["ids"]
        assert remaining == [comparer_label(app_env, i) for i in ids[:2]]
        browser_login(page, f"{url}/comparer?{query}")
        page.wait_for_selector(".js-plotly-plot .barlayer", timeout=60_000)
        time.sleep(2)  # let Plotly finish drawing before the picture
        height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": 1400, "height": int(height) + 40})
        time.sleep(1)
        page.screenshot(path=ARTIFACTS / "comparer.png", full_page=True)
        page.set_viewport_size({"width": 1400, "height": 1000})
        browser_login(page, f"{url}/comparer?imprimable=true&{query}")
        page.wait_for_selector(".js-plotly-plot .barlayer", timeout=60_000)
        # what the jury prints: sidebar closed, A4 width (794 px at 96 dpi), print styles
        page.locator("[data-testid=stSidebar]").hover()
        page.locator("[data-testid=stSidebarCollapseButton] button").click()
        page.set_viewport_size({"width": 794, "height": 1123})
        page.emulate_media(media="print")
        time.sleep(2)
        height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": 794, "height": int(height) + 40})
        time.sleep(1)
        page.screenshot(path=ARTIFACTS / "comparer-imprimable.png", full_page=True)
        page.pdf(path=ARTIFACTS / "comparer-imprimable.pdf", format="A4")
        assert page.locator(".js-plotly-plot").count() == 7
        browser.close()


def test_real_server_renders_the_fiche(app_env: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ((candidature_id,),) = sql(
        app_env,
        """
        select candidature_id from candidature_categories
        where edition = 2023 and categorie_code = 'RURAL' and rural_eligible
        order by candidature_id limit 1
        """,
    )
    query = f"candidature={quote(fiche_label(app_env, candidature_id))}"
    with (
        streamlit_server(server_env(app_env, tmp_path / "donnees")) as url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        browser_login(page, f"{url}/fiche?{query}")
        page.get_by_text("Références nationales").wait_for(timeout=60_000)
        page.wait_for_selector(".js-plotly-plot .choroplethlayer path", timeout=60_000)
        page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=60_000)
        # after the login the app restores the link (spaces may come back as « + »)
        assert parse_qs(urlsplit(page.url).query)["candidature"] == [
            fiche_label(app_env, candidature_id)
        ]
        time.sleep(2)
        height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": 1400, "height": int(height) + 40})
        time.sleep(1)
        page.screenshot(path=ARTIFACTS / "fiche.png", full_page=True)
        browser.close()

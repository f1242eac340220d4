"""Login in a real browser: the communication role gets only its pages, even by URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from tests.helpers import TEST_LOGIN, TEST_PASSWORD, browser_login, server_env

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_MS = 30_000


@pytest.mark.browser
def test_communication_role_in_a_real_browser(app_env: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    env = server_env(app_env, tmp_path / "donnees", role="communication")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})

        # the login page, with the demo banner, refuses a wrong password
        page.goto(f"{url}/qualite?edition=2024")
        page.get_by_text("Données FICTIVES de démonstration").wait_for(timeout=TIMEOUT_MS)
        page.get_by_label("Identifiant", exact=True).fill(TEST_LOGIN)
        page.get_by_label("Mot de passe", exact=True).fill("pas le bon")
        page.get_by_role("button", name="Se connecter", exact=True).click()
        page.get_by_text("Identifiant ou mot de passe incorrect.").wait_for(timeout=TIMEOUT_MS)
        page.screenshot(path=ARTIFACTS / "connexion.png")

        # right password: a page outside the role, asked by URL, is not opened, and a
        # notice says so (not a silent redirect)
        page.get_by_label("Mot de passe", exact=True).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Se connecter", exact=True).click()
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("rôle communication").wait_for(timeout=TIMEOUT_MS)
        heading = page.get_by_role("heading", level=1)
        expect(heading.first).not_to_have_text("Connexion", timeout=TIMEOUT_MS)
        notice = page.get_by_text(
            "La page « Qualité des données » n'est pas ouverte au rôle communication"
        )
        notice.wait_for(timeout=TIMEOUT_MS)
        expect(page.get_by_role("heading", name="Qualité des données")).to_have_count(0)
        links = sidebar.locator('[data-testid="stSidebarNavLink"]')
        names = [n.strip().splitlines()[-1] for n in links.all_inner_texts()]
        assert "Vue d'ensemble" in names and "Carte" in names
        assert "Qualité des données" not in names and "Comparer" not in names
        assert "edition=2024" in page.url  # the URL's filter survived the login

        # « Se déconnecter » brings the login form back
        page.get_by_role("button", name="Se déconnecter").click()
        page.get_by_text("Vous êtes déconnecté·e.").wait_for(timeout=TIMEOUT_MS)
        expect(page.get_by_label("Mot de passe", exact=True)).to_be_visible()

        # a fresh page is a fresh session: the page asked by URL opens after login
        browser_login(page, f"{url}/carte?edition=2023")
        page.get_by_role("heading", name="Carte", exact=True).wait_for(timeout=TIMEOUT_MS)
        browser.close()

"""« Séance du jury » on a projector: two real browsers (1920×1080 and 1366×768) on one
server; the main table never scrolls sideways, the admin records a laureate with its
justification in one, and the other shows it within seconds without a click."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.jury import scoring
from dashboard.jury.candidatures import candidatures_to_judge
from dashboard.jury.store import Store
from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from etl import editions
from tests.helpers import TEST_LOGIN, as_shown, browser_login, db_rows, server_env

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_MS = 30_000
SEEN_WITHIN_MS = 8_000
"""The second screen polls every 2 s; a redraw takes about one more."""
ANNEE = 2024
CATEGORIE = "COMM"
JUSTIFICATION = "Meilleure note normalisée, retenue à l'unanimité des présents."
NO_SIDEWAYS_SCROLL = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const tables = [...document.querySelectorAll('[data-testid="stTable"]')];
    return tables.length > 0 && main.scrollWidth <= main.clientWidth
        && tables.every(t => t.scrollWidth <= t.clientWidth);
}"""


@pytest.mark.browser
def test_seance_on_two_projectors_sees_a_decision_recorded_elsewhere(
    app_env: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    env = server_env(app_env, tmp_path / "donnees", role="admin")
    data = Path(env["TROPHEES_DATA_DIR"])
    category = editions.load_editions()[ANNEE].category(CATEGORIE)
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        scoring.assign(store, TEST_LOGIN, ANNEE, CATEGORIE, ["jure-a", "jure-b"])
        judged = candidatures_to_judge(ANNEE, data / "warehouse.duckdb")
        part = judged.filter(judged["categorie_code"] == CATEGORIE)
        for rank, cid in enumerate(part["candidature_id"]):
            for jure in ("jure-a", "jure-b"):
                value = max(category.criteres[0].note_min, 5 - rank // 3)
                saisie = scoring.ScoreInput(valeurs={c.code: value for c in category.criteres})
                scoring.save_score(store, jure, ANNEE, category, str(cid), saisie, submit=True)
        best = part.filter(part["candidature_id"] == part["candidature_id"][0]).row(0, named=True)
    label = f"{best['structure_nom']} — {best['projet_titre']}"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def open_seance(page: Page) -> None:
        browser_login(page, url)
        page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Séance du jury").click()
        page.get_by_role("heading", name="Séance du jury").wait_for(timeout=TIMEOUT_MS)
        page.get_by_text("Quota : 0 lauréat sur 1").wait_for(timeout=TIMEOUT_MS)
        page.locator('[data-testid="stTable"]').wait_for(timeout=TIMEOUT_MS)

    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        driver = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        follower = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        open_seance(driver)
        open_seance(follower)
        for page, name in ((driver, "1920x1080"), (follower, "1366x768")):
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"défilement horizontal à {name}"
            table = page.locator('[data-testid="stTable"]').first
            expect(table).to_contain_text(as_shown(label))
            table.scroll_into_view_if_needed()
            page.screenshot(path=ARTIFACTS / f"seance-{name}.png")

        form = driver.locator('[data-testid="stForm"]').filter(has_text="Justification")
        form.get_by_text("Nommer lauréate", exact=True).click()
        form.get_by_label("Justification (une ligne)", exact=True).fill(JUSTIFICATION)
        form.get_by_role("button", name="Enregistrer la décision").click()
        driver.get_by_text(as_shown(f"Décision enregistrée : {label} — lauréate.")).wait_for(
            timeout=TIMEOUT_MS
        )

        # the other screen redraws by itself
        follower_table = follower.locator('[data-testid="stTable"]').first
        expect(follower_table).to_contain_text(
            as_shown(f"lauréate — {JUSTIFICATION}"), timeout=SEEN_WITHIN_MS
        )
        expect(follower.get_by_text("Quota : 1 lauréat sur 1")).to_be_visible()
        assert follower.evaluate(NO_SIDEWAYS_SCROLL)
        follower_table.scroll_into_view_if_needed()
        follower.screenshot(path=ARTIFACTS / "seance-1366x768-apres-decision.png")
        browser.close()

    rows = db_rows(
        data / "deliberations.duckdb",
        "select candidature_id, niveau, justification, decide_par from selections",
    )
    assert rows == [(best["candidature_id"], "laureat", JUSTIFICATION, TEST_LOGIN)]

"""A juror in a real browser: logs in, opens « Mes notations », scores a candidature,
sends it and sees it locked (inputs disabled), then the other juror's score."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.jury import scoring
from dashboard.jury.candidatures import candidatures_to_judge
from dashboard.jury.store import Store
from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from etl import editions
from tests.helpers import TEST_LOGIN, browser_login, db_rows, server_env

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
IDLE = (
    "!document.querySelector('[data-stale=\"true\"]')"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"] button')"
)
TIMEOUT_MS = 30_000
ANNEE = 2024
CATEGORIE = "COMM"


@pytest.mark.browser
def test_juror_scores_a_candidature_and_sees_it_locked(app_env: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    env = server_env(app_env, tmp_path / "donnees", role="jury")
    data = Path(env["TROPHEES_DATA_DIR"])
    category = editions.load_editions()[ANNEE].category(CATEGORIE)
    # the store is prepared through the backend API before the server holds it
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        scoring.assign(store, "test-admin", ANNEE, CATEGORIE, [TEST_LOGIN, "autre-jure"])
        file = scoring.queue(
            store.cursor(),
            TEST_LOGIN,
            ANNEE,
            candidatures_to_judge(ANNEE, data / "warehouse.duckdb"),
        )
        first = str(file["candidature_id"][0])
        other = scoring.ScoreInput(valeurs={c.code: 2 for c in category.criteres})
        scoring.save_score(store, "autre-jure", ANNEE, category, first, other, submit=True)
    total = file.height

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        browser_login(page, url)
        sidebar = page.locator('[data-testid="stSidebar"]')
        links = sidebar.locator('[data-testid="stSidebarNavLink"]')
        names = [n.strip().splitlines()[-1] for n in links.all_inner_texts()]
        assert "Mes notations" in names and "Administration du jury" not in names
        sidebar.get_by_text("Mes notations", exact=True).click()
        page.get_by_role("heading", name="Mes notations").wait_for(timeout=TIMEOUT_MS)
        page.get_by_text(f"Notes envoyées : 0 / {total}").wait_for(timeout=TIMEOUT_MS)
        page.get_by_text("s'affichent après l'envoi de la vôtre").wait_for(timeout=TIMEOUT_MS)
        # the run that drew the page must be over, or it may redraw the form under our clicks
        page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=100)

        groups = []
        for critere, value in zip(category.criteres, (4, 3, 5, 2), strict=True):
            group = page.get_by_role("radiogroup", name=critere.libelle)
            group.get_by_text(str(value), exact=True).click()
            expect(group.get_by_role("radio", name=str(value), exact=True)).to_be_checked()
            groups.append(group)
        page.get_by_label("Commentaire général").fill("Démarche exemplaire, à suivre.")
        page.screenshot(path=ARTIFACTS / "jury-notation-saisie.png")
        page.get_by_role("button", name="Envoyer la note (définitif)").click()

        try:  # sent: the app says so and opens the next candidature to score
            page.get_by_text("Note envoyée : elle est verrouillée").wait_for(timeout=TIMEOUT_MS)
        except Exception as err:  # say what the page shows instead
            page.screenshot(path=ARTIFACTS / "jury-notation-echec.png", full_page=True)
            alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
            raise AssertionError(f"pas de note verrouillée ; alertes : {alerts}") from err
        page.get_by_text(f"Notes envoyées : 1 / {total}").wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=100)
        page.get_by_role("button", name="Précédent").click()  # back to the one just sent
        page.get_by_text("Seul un administrateur peut la rouvrir").wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=100)
        scale = range(category.criteres[0].note_min, category.criteres[0].note_max + 1)
        for group in groups:
            radios = group.get_by_role("radio")
            expect(radios).to_have_count(len(scale), timeout=TIMEOUT_MS)
            for i in range(len(scale)):
                expect(radios.nth(i)).to_be_disabled(timeout=TIMEOUT_MS)
        for group, value in zip(groups, (4, 3, 5, 2), strict=True):  # still shown, locked
            expect(group.get_by_role("radio", name=str(value), exact=True)).to_be_checked()
        expect(page.get_by_label("Commentaire général")).to_be_disabled()
        expect(page.get_by_label("Commentaire général")).to_have_value(
            "Démarche exemplaire, à suivre."
        )
        expect(page.get_by_role("button", name="Envoyer la note (définitif)")).to_be_disabled()
        page.get_by_text("Notes des autres jurés").wait_for(timeout=TIMEOUT_MS)
        page.get_by_text("2,00 / 5").wait_for(state="attached", timeout=TIMEOUT_MS)  # in the grid
        page.set_viewport_size({"width": 1400, "height": 2100})
        page.locator('[data-testid="stMain"]').evaluate("main => main.scrollTo(0, 0)")
        page.get_by_role("heading", name="Mes notations").scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / "jury-notation.png")
        browser.close()

    # once the server has stopped, the store says the score is submitted
    rows = db_rows(
        data / "deliberations.duckdb",
        "select statut, note, commentaire from notes where jure = ? and candidature_id = ?",
        [TEST_LOGIN, first],
    )
    poids = [c.poids for c in category.criteres]
    expected = sum(p * v for p, v in zip(poids, (4, 3, 5, 2), strict=True)) / sum(poids)
    assert len(rows) == 1
    assert rows[0][0] == "soumise"
    assert rows[0][1] == pytest.approx(expected)
    assert rows[0][2] == "Démarche exemplaire, à suivre."


@pytest.mark.browser
def test_admin_exports_the_results_as_csv(app_env: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    env = server_env(app_env, tmp_path / "donnees", role="admin")
    data = Path(env["TROPHEES_DATA_DIR"])
    category = editions.load_editions()[ANNEE].category(CATEGORIE)
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        scoring.assign(store, TEST_LOGIN, ANNEE, CATEGORIE, ["jure-a", "jure-b"])
        judged = candidatures_to_judge(ANNEE, data / "warehouse.duckdb")
        ids = judged.filter(judged["categorie_code"] == CATEGORIE)["candidature_id"]
        for jure, valeur in (("jure-a", 4), ("jure-b", 1)):
            saisie = scoring.ScoreInput(
                valeurs={c.code: valeur for c in category.criteres},
                commentaire='=HYPERLINK("http://exemple.invalid")' if jure == "jure-a" else None,
            )
            scoring.save_score(store, jure, ANNEE, category, str(ids[0]), saisie, submit=True)

    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1400}, accept_downloads=True)
        browser_login(page, url)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Résultats du jury", exact=True).click()
        page.get_by_role("heading", name="Résultats du jury").wait_for(timeout=TIMEOUT_MS)
        page.get_by_text("Places restantes").wait_for(timeout=TIMEOUT_MS)
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.get_by_role("button", name="Exporter en CSV").click()
        path = tmp_path / "export.csv"
        download.value.save_as(path)
        page.screenshot(path=ARTIFACTS / "jury-resultats.png")
        browser.close()

    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Édition;Prix;Rang;Candidature;Décision")
    assert len(lines) == 3  # one line per counted score
    assert "'=HYPERLINK" in text  # formula neutralised
    journal = db_rows(
        data / "deliberations.duckdb",
        "select acteur, cible, detail from journal where action = 'export'",
    )
    assert journal == [(TEST_LOGIN, f"{ANNEE}/{CATEGORIE}", "csv, 2 lignes")]

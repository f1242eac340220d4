"""The organiser settles a flagged territory from « Qualité des données » in Chromium,
on a real server: the ambiguous « Saint-Denis » of the demo's export to be corrected is
fixed to Saint-Denis (93066); after the export is loaded again, the candidature counts
in Seine-Saint-Denis on « Carte » and its Fiche says what the organiser corrected."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from etl import paths, warehouse
from tests.helpers import accounts_file, browser_login
from tests.helpers import warehouse_rows as sql

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_MS = 60_000
DIRTY = "reponses-trophees-2023-a-corriger.csv"
SEINE_SAINT_DENIS = "93 — Seine-Saint-Denis"


def seine_saint_denis_count(data: Path) -> int:
    ((n,),) = sql(
        data,
        "select count(*) from candidatures where edition = 2023 and departement_code = '93'",
    )
    return int(n)


def settled(page: Any) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )


@pytest.mark.browser
def test_quality_row_to_correction_kept_by_a_reload(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    data = tmp_path / "donnees"
    data.mkdir()
    (data / "reference").symlink_to((demo_data_dir / "reference").resolve())
    shutil.copy(demo_data_dir / "warehouse.duckdb", data / "warehouse.duckdb")
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    ((cid, structure, projet),) = sql(
        data,
        "select candidature_id, structure_nom, projet_titre from candidatures "
        "where territoire_saisi like 'Saint-Denis%' and territoire_statut = 'ambigu'",
    )
    before_93 = seine_saint_denis_count(data)
    env = {"TROPHEES_DATA_DIR": str(data), "TROPHEES_COMPTES": str(accounts_file(data))}
    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        browser_login(page, f"{url}/qualite?edition=2023")
        page.get_by_text("Problèmes relevés").wait_for(timeout=TIMEOUT_MS)
        # narrow the problems to the ambiguous territories: one row, Saint-Denis
        regle = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Règle")
        regle.click()
        page.keyboard.type("territoire ambigu")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        page.get_by_text("1 problème sur").wait_for(timeout=TIMEOUT_MS)  # the filter applied
        # the problems' table: its proposal column stands beside the candidature
        grid = page.locator('[data-testid="stDataFrame"]').filter(has_text="Fixer le territoire")
        grid.locator("#glide-cell-1-0").wait_for(state="attached", timeout=TIMEOUT_MS)
        settled(page)
        page.wait_for_timeout(500)  # the canvas takes clicks once painted
        grid.click(position={"x": 16, "y": 35 + 17})  # the first row's selector
        page.get_by_text("Fixer le territoire pour").wait_for(timeout=TIMEOUT_MS)
        page.screenshot(path=ARTIFACTS / "qualite-correction-proposee.png", full_page=True)
        page.get_by_role("button", name="Ouvrir cette correction").click()

        page.get_by_text("Correction proposée depuis « Qualité des données »").wait_for(
            timeout=TIMEOUT_MS
        )
        page.get_by_text("Saint-Denis (Seine-Saint-Denis, 93066)").click()
        motif = page.get_by_label("Motif (obligatoire, une phrase)")
        motif.fill("Commune confirmée par le porteur au téléphone")
        motif.press("Enter")
        settled(page)
        page.get_by_role("button", name="Enregistrer et appliquer").click()
        page.get_by_text("Correction n° 1 enregistrée").wait_for(timeout=TIMEOUT_MS)
        page.screenshot(path=ARTIFACTS / "corrections-saint-denis.png", full_page=True)

        # the export is loaded again, as on the next re-export: the correction stays
        raw = demo_data_dir / "raw" / "demo" / "2023" / DIRTY
        warehouse.load_files(
            [raw],
            2023,
            warehouse=data / "warehouse.duckdb",
            ref_dir=paths.reference_dir(),
            fictif=True,
        )
        assert sql(
            data,
            "select departement_code, commune_code, corrige from candidatures "
            "where candidature_id = ?",
            [cid],
        ) == [("93", "93066", True)]
        assert seine_saint_denis_count(data) == before_93 + 1

        carte = browser.new_page(viewport={"width": 1440, "height": 1000})
        browser_login(carte, f"{url}/carte?edition=2023&departement={quote(SEINE_SAINT_DENIS)}")
        carte.wait_for_selector(".js-plotly-plot .choroplethlayer path", timeout=TIMEOUT_MS)
        expect(carte.get_by_text("Périmètre : ").first).to_be_visible(timeout=TIMEOUT_MS)
        # the map's ranking, zoomed on the département: its candidatures, one more
        row = carte.locator('[data-testid="stTable"] tbody tr').filter(has_text=SEINE_SAINT_DENIS)
        expect(row).to_have_count(1, timeout=TIMEOUT_MS)
        cells = [c.strip() for c in row.locator("td, th").all_inner_texts()]
        assert cells[:3] == ["1", SEINE_SAINT_DENIS, str(before_93 + 1)], cells
        carte.screenshot(path=ARTIFACTS / "carte-seine-saint-denis.png", full_page=True)

        fiche = browser.new_page(viewport={"width": 1440, "height": 1000})
        label = quote(f"{structure} — {projet} (2023)")
        browser_login(fiche, f"{url}/fiche?candidature={label}")
        fiche.get_by_text("Données corrigées par l'organisateur").wait_for(timeout=TIMEOUT_MS)
        expect(
            fiche.get_by_text("Commune confirmée par le porteur au téléphone").first
        ).to_be_visible()
        expect(
            fiche.get_by_text("Territoire fixé par l'organisateur le").filter(
                has_text="Saint-Denis (Seine-Saint-Denis, 93066)"
            )
        ).to_be_visible()
        fiche.screenshot(path=ARTIFACTS / "fiche-corrigee.png", full_page=True)
        browser.close()

"""A real server left running sees a new load and a purge on its own, within seconds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from etl import warehouse
from tests.etl.test_warehouse_freshness import more_candidatures
from tests.helpers import MINI, accounts_file, browser_login

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 30_000
SEEN_WITHIN_MS = 20_000  # generous for a busy CI machine; make bench measures the delay


def trophees(data: Path, *args: str) -> None:
    """Run the real console (``trophees …``) on ``data`` as the organiser would."""
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args],
        cwd=ROOT,
        env={**os.environ, "TROPHEES_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def candidatures_metric(page: Any) -> Any:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Candidatures")
    return metric.first.locator('[data-testid="stMetricValue"]')


@pytest.mark.browser
def test_open_pages_show_a_new_load_and_a_purge_without_a_click(
    tmp_path: Path, reference_dir: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    data = tmp_path / "donnees"
    (data / "raw" / "2023").mkdir(parents=True)
    (data / "reference").symlink_to(reference_dir)
    first = data / "raw" / "2023" / MINI.name
    shutil.copy(MINI, first)
    warehouse.load_files([first], 2023, warehouse=data / "warehouse.duckdb", ref_dir=reference_dir)
    env = {"TROPHEES_DATA_DIR": str(data), "TROPHEES_COMPTES": str(accounts_file(data))}
    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        overview = browser.new_page(viewport={"width": 1440, "height": 1000})
        browser_login(overview, f"{url}/vue_ensemble?edition=2023")
        # (the tiny export's four candidatures: decimal hours and unreadable figures no
        # longer set a line aside)
        expect(candidatures_metric(overview)).to_have_text("4", timeout=TIMEOUT_MS)
        # no banner: the warehouse is real
        expect(overview.get_by_text("Données FICTIVES de démonstration")).to_have_count(0)

        sheet = browser.new_page(viewport={"width": 1440, "height": 1000})
        browser_login(sheet, f"{url}/fiche?edition=2023")
        sheet.get_by_role("button", name="Afficher les contacts").click()
        sheet.get_by_text("camille@exemple.fr").first.wait_for(timeout=TIMEOUT_MS)

        late = more_candidatures(data / "raw" / "2023" / "lot-tardif.csv", 3)
        trophees(data, "load", str(late), "--edition", "2023")
        loaded_at = time.monotonic()
        expect(candidatures_metric(overview)).to_have_text("7", timeout=SEEN_WITHIN_MS)
        seen_after_s = time.monotonic() - loaded_at

        trophees(data, "purge", "--date", "2030-01-01", "--confirmer")
        # the sheet redraws by itself (the contacts shown are gone with the old file)...
        expect(sheet.get_by_text("camille@exemple.fr")).to_have_count(0, timeout=SEEN_WITHIN_MS)
        # ...and asked again, the contacts are read from the purged warehouse
        sheet.get_by_role("button", name="Afficher les contacts").click()
        sheet.get_by_text("Aucun contact conservé pour cette candidature").wait_for(
            timeout=TIMEOUT_MS
        )
        assert sheet.get_by_text("camille@exemple.fr").count() == 0
        assert sheet.get_by_text("01 99 00 12 34").count() == 0
        browser.close()
    print(f"nouvelle donnée visible {seen_after_s:.2f} s après la fin du chargement")

"""Hostile candidate text never runs: a real server, a real Chromium, every page.

Candidatures whose structure names, titles and descriptions hold ``<script>``, an
``<img onerror>``, a markdown ``javascript:`` link and an HTML ``javascript:`` link are
loaded by the real ETL; an admin (who sees every page) walks each page of the navigation
and hovers the charts' points. The page must show the text as text (the positive control:
the literal ``<script>`` appears) and never execute it: no script element of ours, no
event-handler attribute, no ``javascript:`` link, and the flag the payloads would set is
never set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from dashboard import navigation
from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from tests.helpers import browser_login, server_env

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"

PAYLOADS = (
    "<script>window.__xss=1</script>Script",
    '<img src=x onerror="window.__xss=2">Image',
    "[cliquez ici](javascript:window.__xss=3) Lien",
    '<a href="javascript:window.__xss=4">Ancre</a> <b onmouseover="window.__xss=5">gras</b>',
)
FIELDS = ("structure_nom", "projet_titre", "projet_description")
SHOWS_TEXT = ("Comparer", "Fiche candidature")
"""Pages that show candidate titles as text (the positive control)."""

FINDINGS = """() => {
    const all = [...document.querySelectorAll('*')];
    const handlers = all.flatMap(e => [...e.attributes]
        .filter(a => a.name.toLowerCase().startsWith('on'))
        .map(a => `${e.tagName}[${a.name}=${a.value}]`));
    const links = all.flatMap(e => [...e.attributes]
        .filter(a => /href$/i.test(a.name) && /^\\s*javascript:/i.test(a.value))
        .map(a => `${e.tagName}[${a.name}=${a.value}]`));
    const scripts = [...document.querySelectorAll('script')]
        .filter(s => (s.textContent || '').includes('__xss')).map(s => s.outerHTML);
    const images = [...document.querySelectorAll('img')]
        .filter(i => i.getAttribute('src') === 'x').map(i => i.outerHTML);
    return {handlers, links, scripts, images, flag: window.__xss ?? null};
}"""


def _hostile_export(source: Path, target: Path) -> Path:
    """The generated export with every row's text fields replaced by the payloads."""
    from etl import editions

    edition = editions.load_editions()[2023]
    frame = pl.read_csv(source, infer_schema=False)
    columns = {}
    for field in edition.champs:
        if field.nom in FIELDS:
            columns[field.nom] = next(h for h in field.accepted_headers if h in frame.columns)
    assert set(columns) == set(FIELDS), columns
    replaced = frame.with_columns(
        pl.Series(header, [f"{name} {PAYLOADS[i % len(PAYLOADS)]}" for i in range(frame.height)])
        for name, header in columns.items()
    )
    replaced.write_csv(target)
    return target


@pytest.fixture(scope="module")
def hostile_data(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl import demo, editions, warehouse

    data = tmp_path_factory.mktemp("donnees-hostiles")
    (data / "reference").symlink_to(reference_dir)
    raw = data / "raw"
    raw.mkdir()
    export = demo.generate_export(editions.load_editions()[2023], 40, 7, raw / "genere.csv").path
    hostile = _hostile_export(export, raw / "hostile.csv")
    (report,) = warehouse.load_files(
        [hostile], 2023, warehouse=data / "warehouse.duckdb", ref_dir=reference_dir, fictif=True
    )
    assert report.lignes_chargees >= 20, report
    return data


def _settle(page: Any) -> None:
    """Wait until Streamlit has finished running the page."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"] button')"
        " && !document.querySelector('[data-testid=\"stSpinner\"]')",
        timeout=60_000,
    )
    page.wait_for_timeout(700)


def _hover_points(page: Any) -> int:
    """Hover a few points of every Plotly chart, so their tooltips are drawn."""
    hovered = 0
    points = page.locator(".js-plotly-plot .point, .js-plotly-plot .choroplethlocation")
    for i in range(min(points.count(), 12)):
        try:
            points.nth(i).hover(timeout=2_000, force=True)
            hovered += 1
        except Exception:  # a point hidden behind another one: try the next
            continue
    return hovered


@pytest.mark.browser
def test_hostile_text_is_shown_as_text_on_every_page(hostile_data: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    titles = [p.title for p in navigation.PAGES if "admin" in p.roles]
    env = server_env(hostile_data, tmp_path / "donnees")
    report: dict[str, Any] = {}
    shown_as_text: list[str] = []
    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        browser_login(page, url)
        for title in titles:
            page.get_by_role("link", name=title, exact=True).first.click()
            _settle(page)
            hovered = _hover_points(page)
            found = page.evaluate(FINDINGS)
            report[title] = {**found, "survols": hovered}
            if title in SHOWS_TEXT:  # wait for the candidature's own text to be drawn
                page.wait_for_function(
                    "document.body.innerText.includes('projet_titre')", timeout=60_000
                )
            text = page.inner_text("body")
            if any(marker in text for marker in ("<script>", "onerror=", "javascript:")):
                shown_as_text.append(title)
            slug = title.lower().replace(" ", "-").replace("'", "")
            page.screenshot(path=ARTIFACTS / f"xss-{slug}.png", full_page=True)
        # the detector itself sees an executed payload (else the checks above prove nothing)
        page.set_content(f"<div>{PAYLOADS[1]}{PAYLOADS[3]}</div>")
        page.wait_for_function("window.__xss === 2", timeout=5_000)
        control = page.evaluate(FINDINGS)
        browser.close()
    assert control["handlers"] and control["links"] and control["images"], control
    bad = {
        title: {k: v for k, v in found.items() if v and k != "survols"}
        for title, found in report.items()
        if any(v for k, v in found.items() if k != "survols")
    }
    assert bad == {}, bad
    assert dialogs == []
    # positive control: the payloads did reach the pages, as visible text
    assert sorted(shown_as_text) == sorted(SHOWS_TEXT), shown_as_text
    assert sum(found["survols"] for found in report.values()) > 0

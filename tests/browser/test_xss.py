"""Hostile candidate text never runs: a real server, a real Chromium, every page.

Candidatures whose structure names, titles and descriptions hold ``<script>``, an
``<img onerror>``, a markdown ``javascript:`` link and an HTML ``javascript:`` link are
loaded by the real ETL; an admin (who sees every page) walks each page of the navigation
and hovers the charts' points. The page must show the text as text (the positive control:
the literal ``<script>`` appears) and never execute it: no script element of ours, no
event-handler attribute, no ``javascript:`` link, and the flag the payloads would set is
never set. Markdown and HTML payloads point at a local listener: a rendered image would
fetch it, a rendered link would point at it; it must receive 0 requests and no element
may point at it (the file name, the contacts and the rejected values carry payloads
too). One server serves every test of this file.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

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
MARKDOWN_FIELDS = ("contact_nom", "contact_fonction", "epci", "nb_actions_communication")
"""More typed fields, with Markdown payloads: contacts (admin table), a free text and a
number that is not one (its raw value appears in « Avertissements sur les données »)."""
FILE_NAME = "hostile-**gras**-[lien](cible)-_x_.csv"


def markdown_payloads(port: int) -> tuple[str, ...]:
    target = f"http://127.0.0.1:{port}"
    return (
        f"![p]({target}/image-markdown.png) Image",
        f"[cliquez ici]({target}/lien-markdown) Lien",
        f'<img src="{target}/image-html.png"> Balise',
        f"{target}/lien-automatique Auto",
    )


class Listener:
    """A local HTTP server that counts the requests it receives."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.paths.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


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
    const outside = all.flatMap(e => [...e.attributes]
        .filter(a => /^(href|src|srcset|xlink:href)$/i.test(a.name)
                     && a.value.includes(window.__port))
        .map(a => `${e.tagName}[${a.name}=${a.value}]`));
    const scripts = [...document.querySelectorAll('script')]
        .filter(s => (s.textContent || '').includes('__xss')).map(s => s.outerHTML);
    const images = [...document.querySelectorAll('img')]
        .filter(i => i.getAttribute('src') === 'x').map(i => i.outerHTML);
    return {handlers, links, outside, scripts, images, flag: window.__xss ?? null};
}"""


def _hostile_export(source: Path, target: Path, port: int) -> Path:
    """The generated export with every row's text fields replaced by the payloads."""
    from etl import editions

    edition = editions.load_editions()[2023]
    frame = pl.read_csv(source, infer_schema=False)
    columns = {}
    for field in edition.champs:
        if field.nom in FIELDS + MARKDOWN_FIELDS:
            columns[field.nom] = next(h for h in field.accepted_headers if h in frame.columns)
    assert set(columns) == set(FIELDS + MARKDOWN_FIELDS), columns
    payloads = PAYLOADS + markdown_payloads(port)
    replaced = frame.with_columns(
        pl.Series(
            header,
            [
                f"{name} {payloads[(i + k) % len(payloads)]}"
                if name in FIELDS or i % 2 == 0
                else frame[header][i]
                for i in range(frame.height)
            ],
        )
        for k, (name, header) in enumerate(columns.items())
    )
    replaced.write_csv(target)
    return target


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def hostile_data(
    reference_dir: Path, tmp_path_factory: pytest.TempPathFactory, listener: Listener
) -> Path:
    from etl import demo, editions, warehouse

    data = tmp_path_factory.mktemp("donnees-hostiles")
    (data / "reference").symlink_to(reference_dir)
    raw = data / "raw"
    raw.mkdir()
    export = demo.generate_export(editions.load_editions()[2023], 40, 7, raw / "genere.csv").path
    hostile = _hostile_export(export, raw / FILE_NAME, listener.port)
    (report,) = warehouse.load_files(
        [hostile], 2023, warehouse=data / "warehouse.duckdb", ref_dir=reference_dir, fictif=True
    )
    assert report.lignes_chargees >= 20, report
    return data


@pytest.fixture(scope="module")
def env(hostile_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The server's environment: its own data directory and accounts file (admin)."""
    return server_env(hostile_data, tmp_path_factory.mktemp("app"))


@pytest.fixture(scope="module")
def server(env: dict[str, str]) -> Iterator[str]:
    """One app server on the hostile data for every test of this file."""
    with streamlit_server(env) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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


def _findings(page: Any, port: int) -> dict[str, Any]:
    page.evaluate(f"window.__port = '127.0.0.1:{port}'")
    found: dict[str, Any] = page.evaluate(FINDINGS)
    return found


def test_hostile_text_is_shown_as_text_on_every_page(
    server: str, browser: Any, listener: Listener
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    titles = [p.title for p in navigation.PAGES if "admin" in p.roles]
    report: dict[str, Any] = {}
    shown_as_text: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    browser_login(page, server)
    for title in titles:
        page.get_by_role("link", name=title, exact=True).first.click()
        _settle(page)
        if title == "Fiche candidature":  # the admin's contacts table, drawn on request
            page.get_by_role("button", name="Afficher les contacts").click()
            _settle(page)
        hovered = _hover_points(page)
        found = _findings(page, listener.port)
        report[title] = {**found, "survols": hovered}
        if title in SHOWS_TEXT:  # wait for the candidature's own text to be drawn
            page.wait_for_function(
                "document.body.innerText.includes('projet_titre')", timeout=60_000
            )
        text = page.inner_text("body").replace("\u2060", "")  # plain.WORD_JOINER
        if any(marker in text for marker in ("<script>", "onerror=", "javascript:")):
            shown_as_text.append(title)
        if title == "Fiche candidature":
            # Markdown in tables and captions is shown literally: file name, contacts,
            # the raw value of a rejected number
            assert f"Fichier : {FILE_NAME}" in text
            assert f"![p](http://127.0.0.1:{listener.port}/image-markdown.png)" in text
            assert "contact_nom" in text
        slug = title.lower().replace(" ", "-").replace("'", "")
        page.screenshot(path=ARTIFACTS / f"xss-{slug}.png", full_page=True)
    # Comparer's printable tables (st.table), opened by a deep link after login
    printable = browser.new_page(viewport={"width": 1400, "height": 1600})
    browser_login(printable, f"{server}/comparer?imprimable=true")
    _settle(printable)
    printable.get_by_text("Version imprimable : refermez").wait_for(timeout=30_000)
    report["Comparer (imprimable)"] = {**_findings(printable, listener.port), "survols": 0}
    printable.close()
    # the detector itself sees an executed payload (else the checks above prove nothing)
    page.set_content(
        f"<div>{PAYLOADS[1]}{PAYLOADS[3]}"
        f'<a href="http://127.0.0.1:{listener.port}/temoin">t</a></div>'
    )
    page.wait_for_function("window.__xss === 2", timeout=5_000)
    control = _findings(page, listener.port)
    page.close()
    assert control["handlers"] and control["links"] and control["images"], control
    assert control["outside"], control
    bad = {
        title: {k: v for k, v in found.items() if v and k != "survols"}
        for title, found in report.items()
        if any(v for k, v in found.items() if k != "survols")
    }
    assert bad == {}, bad
    assert dialogs == []
    assert listener.paths == []  # no image, no link prefetch reached the listener
    # positive control: the payloads did reach the pages, as visible text
    assert sorted(shown_as_text) == sorted(SHOWS_TEXT), shown_as_text
    assert sum(found["survols"] for found in report.values()) > 0


def test_a_deep_link_to_one_sheet_opens_that_sheet_after_login(
    server: str, browser: Any, hostile_data: Path
) -> None:
    """A link to one sheet (by identifier, or by the label the page itself puts in the
    address) opens that sheet after the login form, not the first one."""
    from tests.helpers import warehouse_rows

    rows = warehouse_rows(
        hostile_data, "select candidature_id, ligne from candidatures order by candidature_id"
    )
    wanted, line = rows[len(rows) // 2]  # neither the first nor the last of the list
    shown = f"Fichier : {FILE_NAME}, ligne {line}."  # the sheet's own caption
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    browser_login(page, f"{server}/fiche?candidature={wanted}")
    page.get_by_text(shown).wait_for(timeout=30_000)
    chosen = page.locator('[data-testid="stSelectbox"]').filter(has_text="Candidature").last
    label = chosen.locator("input").input_value()
    page.close()
    # the same sheet by its label, as copied from the address bar
    again = browser.new_page(viewport={"width": 1400, "height": 1200})
    browser_login(again, f"{server}/fiche?{urlencode({'candidature': label})}")
    again.get_by_text(shown).wait_for(timeout=30_000)
    # an unknown sheet is not silently replaced by another one
    browser_login(again, f"{server}/fiche?candidature=2023-inconnue")
    again.get_by_text("La candidature demandée (2023-inconnue) n'est pas affichée").wait_for(
        timeout=30_000
    )
    again.close()


def test_a_page_outside_the_role_says_so_after_login(
    server: str, browser: Any, env: dict[str, str]
) -> None:
    from dashboard.accounts import AccountSettings, AccountStore
    from tests.helpers import TEST_PASSWORD

    accounts = Path(env["TROPHEES_COMPTES"])
    AccountStore(AccountSettings(file=accounts)).add(
        "jure-xss", "Juré", "jury", TEST_PASSWORD, replace_existing=True
    )
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    browser_login(page, f"{server}/qualite", identifiant="jure-xss")
    page.get_by_text("La page « Qualité des données » n'est pas ouverte au rôle jury").wait_for(
        timeout=30_000
    )
    page.close()

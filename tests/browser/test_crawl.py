"""Every page for every role, in a real browser: French only, names not codes.

One server on the demo warehouse and the demo deliberation; for each role an account
signs in, opens every page of its menu, opens every expander and every tab, and the test
collects what a person can read — visible text, input placeholders, table headers and
cells, the chart toolbar's tooltips. It fails on:

- an English interface string of :data:`ENGLISH` (Streamlit's and Plotly's defaults);
- a candidature identifier used as a label (allowed only where the text says
  « identifiant », or in a table column named « Identifiant »);
- a snake_case code (``mise_en_avant``, ``en_projet``…) in text people read.

The page says ``<html lang="fr">`` (``dashboard/server.py``).

Known and left: Streamlit's keyboard-only « Skip to main content » link (hidden until
focused) and the hover tooltips of its table toolbar are English and cannot be set.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from dashboard.accounts import AccountSettings, AccountStore
from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from dashboard.navigation import PAGES, ROLES
from tests.helpers import IDLE, TEST_PASSWORD, browser_login

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_MS = 30_000
ENGLISH = (
    "Select all",
    "View",
    "Select ",
    "Choose an option",
    "Choose options",
    "Choose or add",
    "No options to select",
    "No results",
    "Add an option",
    "Press Enter",
    "Drag and drop",
    "Browse files",
    "Download",
    "Fullscreen",
    "Autoscale",
    "Zoom in",
    "Zoom out",
    "Reset axes",
    "Reset view",
    "Box Select",
    "Lasso Select",
    "Pan",
    "Produced with",
    "Show closest data",
    "Compare data",
    "Double-click",
    "Clear all",
    "Running",
    "Loading",
    "Please",
    "Error",
    "None",
    "null",
    "true",
    "false",
    "NaN",
)
"""English interface strings (and raw Python/JSON values) nobody should read."""
ENGLISH_RE = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(e) for e in ENGLISH) + r")(?![\w-])")
IDENTIFIER = re.compile(r"\b20\d\d-[0-9a-f]{10}\b")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
EMAIL = re.compile(r"\S+@\S+")
READABLE = """() => {
    const skip = '[data-testid="stIconMaterial"], [data-testid="stSkipToContent"], script, style';
    const icon = el => getComputedStyle(el).fontFamily.includes('Material');
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement, text = node.textContent.trim();
        if (!el || !text || el.closest(skip) || el.closest('[data-testid="stDataFrame"]')) continue;
        if (icon(el)) continue;  // a Material Symbols ligature draws an icon, not a word
        if (!el.checkVisibility({visibilityProperty: true})) continue;
        texts.push(text);
    }
    // a select shows its placeholder as text (collected above) only when it has no value
    const placeholders = [...document.querySelectorAll('input[placeholder], textarea[placeholder]')]
        .filter(e => e.checkVisibility() && !e.closest('[data-baseweb="select"]'))
        .map(e => e.placeholder).filter(Boolean);
    const toolbar = [...document.querySelectorAll('.modebar-btn')]
        .map(e => e.getAttribute('data-title')).filter(Boolean);
    const tables = [...document.querySelectorAll('[data-testid="stDataFrame"] table')].map(t => ({
        headers: [...t.querySelectorAll('thead th')].map(h => h.textContent.trim()),
        rows: [...t.querySelectorAll('tbody tr')].map(
            r => [...r.querySelectorAll('td')].map(c => c.textContent.trim())),
    }));
    return {texts, placeholders, toolbar, tables};
}"""


def problems_in(page_name: str, seen: dict[str, Any]) -> list[str]:
    """What a person should not read on a page, each as « page : what (where) »."""
    found: list[str] = []
    strings = [("texte", t) for t in seen["texts"]]
    strings += [("champ", p) for p in seen["placeholders"]]
    strings += [("barre d'outils du graphique", t) for t in seen["toolbar"]]
    for table in seen["tables"]:
        strings += [("en-tête de tableau", h) for h in table["headers"]]
        for row in table["rows"]:
            for header, cell in zip(table["headers"][-len(row) :], row, strict=False):
                strings.append(("tableau", cell))
                if IDENTIFIER.search(cell) and header != "Identifiant":
                    found.append(f"{page_name} : identifiant dans la colonne « {header} » ({cell})")
    for where, text in strings:
        if match := ENGLISH_RE.search(text):
            found.append(f"{page_name} : anglais « {match.group()} » ({where} : {text[:80]})")
        plain = EMAIL.sub("", text)
        if match := SNAKE.search(plain):
            found.append(f"{page_name} : code « {match.group()} » ({where} : {text[:80]})")
        if where != "tableau" and IDENTIFIER.search(text) and "identifiant" not in text.lower():
            found.append(f"{page_name} : identifiant comme libellé ({where} : {text[:80]})")
    return found


def settle(page: Any) -> None:
    """Wait until the page's run is over and stays over (a run may start another)."""
    page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=50)
    page.wait_for_timeout(150)
    page.wait_for_function(IDLE, timeout=TIMEOUT_MS, polling=50)


OPTIONS = (
    """() => [...document.querySelectorAll('[role="option"]')].map(o => o.textContent.trim())"""
)


def read_choices(page: Any, name: str) -> list[str]:
    """Open every drop-down list of the page: what its first options say."""
    found: list[str] = []
    widgets = page.locator('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]')
    for i in range(widgets.count()):
        widget = widgets.nth(i)
        if not widget.is_visible() or widget.locator("input").first.is_disabled():
            continue
        field = widget.locator("input").first
        field.scroll_into_view_if_needed()
        field.click()
        page.keyboard.press("ArrowDown")  # opens the list (a click only focuses it)
        label = widget.locator("label").first.inner_text()
        try:
            page.locator('[role="listbox"]').first.wait_for(state="attached", timeout=3_000)
        except Exception as err:
            page.screenshot(path=ARTIFACTS / "parcours-liste.png")
            raise AssertionError(f"{name} › liste « {label} » : la liste ne s'ouvre pas") from err
        seen = {"texts": page.evaluate(OPTIONS), "placeholders": [], "toolbar": [], "tables": []}
        found += problems_in(f"{name} › liste « {label} »", seen)
        page.keyboard.press("Escape")
    return found


def read_page(page: Any, name: str, choices: bool) -> list[str]:
    """Open every expander and every tab of the current page (and with ``choices`` every
    drop-down list of each tab); the problems seen."""
    settle(page)
    closed = page.locator('[data-testid="stExpander"] details:not([open]) > summary')
    for _ in range(closed.count()):
        closed.first.click()
    found = problems_in(name, page.evaluate(READABLE))
    found += read_choices(page, name) if choices else []
    tabs = page.get_by_role("tab")
    for i in range(1, tabs.count()):
        tabs.nth(i).click()
        settle(page)
        where = f"{name} › {tabs.nth(i).inner_text()}"
        found += problems_in(where, page.evaluate(READABLE))
        found += read_choices(page, where) if choices else []
    return found


@pytest.mark.browser
def test_every_page_for_every_role_speaks_french_and_names_candidatures(
    deliberated_data_dir: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    data = tmp_path / "donnees"
    data.mkdir()
    for name in ("reference", "warehouse.duckdb", "deliberations.duckdb"):
        (data / name).symlink_to((deliberated_data_dir / name).resolve())
    accounts = data / "comptes.toml"
    accounts.write_bytes((deliberated_data_dir / "comptes.toml").read_bytes())
    comptes = AccountStore(AccountSettings(file=accounts))
    logins = {role: f"crawl-{role}" for role in ROLES}
    logins["jury"] = "demo-jure-01"  # a juror with a queue, sent scores and a séance
    for role, login in logins.items():
        if role != "jury":
            comptes.add(login, f"Compte {role}", role, TEST_PASSWORD)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    visited: dict[str, list[str]] = {}
    listed: set[str] = set()  # pages whose drop-down lists were opened (same for every role)
    env = {"TROPHEES_DATA_DIR": str(data), "TROPHEES_COMPTES": str(accounts)}
    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role, login in logins.items():
            page = browser.new_context(viewport={"width": 1440, "height": 1200}).new_page()
            browser_login(page, url, login, TEST_PASSWORD)
            assert page.evaluate("document.documentElement.lang") == "fr"
            links = page.locator('[data-testid="stSidebarNavLink"]')
            names = [n.strip().splitlines()[-1] for n in links.all_inner_texts()]
            visited[role] = names
            for name in names:
                link = links.filter(has_text=name).first
                path = (link.get_attribute("href") or "").rsplit("/", 1)[-1]
                link.click()
                page.wait_for_url(f"**/{path}*", timeout=TIMEOUT_MS)
                problems += read_page(page, f"{role} › {name}", name not in listed)
                listed.add(name)
            page.screenshot(path=ARTIFACTS / f"parcours-{role}.png")
            page.context.close()
        browser.close()

    assert set(visited) == set(ROLES)
    for role in ROLES:  # every page of the role was listed (no menu folded behind a button)
        assert sorted(visited[role]) == sorted(p.title for p in PAGES if role in p.roles), role
    assert "Séance du jury" in visited["admin"] and "Mes notations" in visited["jury"]
    assert not problems, "\n".join(dict.fromkeys(problems))

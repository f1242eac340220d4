"""The public palmarès site in Debian Chromium, opened from disk and from a static server:
every page renders with its images, no request leaves the folder, axe-core finds no WCAG
A/AA violation, and the embed snippet works in another site's page."""

from __future__ import annotations

import functools
import html
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dashboard.exports import images
from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS
from dashboard.site import build_site
from etl import paths

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE_PACKAGE = Path(__file__).resolve().parent / "axe"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_script() -> Path:
    """axe-core as pinned by ``tests/browser/axe/package-lock.json`` (``npm ci`` into the
    cache the first time, and again when the lock file changes)."""
    cache = paths.data_dir() / "cache" / "axe"
    lock = AXE_PACKAGE / "package-lock.json"
    script = cache / "node_modules" / "axe-core" / "axe.min.js"
    installed = cache / "package-lock.json"
    if not script.exists() or not installed.exists() or installed.read_bytes() != lock.read_bytes():
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copy(AXE_PACKAGE / "package.json", cache / "package.json")
        shutil.copy(lock, cache / "package-lock.json")
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"],
            cwd=cache,
            check=True,
            timeout=300,
        )
    return script


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """A plain static file server on 127.0.0.1 (any static host would do)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))

    class Quiet(handler.func):  # type: ignore[name-defined, misc]
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(deliberated_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "palmares-2023"
    try:
        build_site(
            2023,
            out,
            aujourdhui=date(2024, 1, 15),
            warehouse_path=deliberated_data_dir / "warehouse.duckdb",
            store_path=deliberated_data_dir / "deliberations.duckdb",
        )
    finally:
        images.stop()
    return out


IMAGES_LOADED = (
    """() => [...document.images].map(i => ({src: i.src, ok: i.complete && i.naturalWidth > 0}))"""
)


def test_site_renders_offline_accessible_and_embeddable(site: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    axe = axe_script().read_text(encoding="utf-8")
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    assert len(pages) == 12  # home, map, list, embed help and 8 laureates
    outside: list[str] = []
    violations: dict[str, list[str]] = {}
    broken: list[str] = []
    errors: list[str] = []
    embed_page = tmp_path / "autre-site" / "index.html"
    embed_page.parent.mkdir()
    with static_server(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        allowed = (site.as_uri(), url, "data:")

        def watch(request: Any) -> None:
            if not request.url.startswith(allowed):
                outside.append(request.url)

        page.on("request", watch)
        for base in (site.as_uri(), url):
            for name in pages:
                page.goto(f"{base}/{name}")
                page.wait_for_load_state("load")
                loaded = page.evaluate(IMAGES_LOADED)
                broken += [f"{name}: {i['src']}" for i in loaded if not i["ok"]]
                if base == url:  # the audit once per page (the same HTML from disk)
                    page.add_script_tag(content=axe)
                    result = page.evaluate(
                        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
                    )
                    found = [f"{v['id']}: {v['help']}" for v in result["violations"]]
                    if found:
                        violations[name] = found
        page.goto(f"{url}/index.html")
        page.screenshot(path=ARTIFACTS / "site-accueil.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(f"{url}/{next(p for p in pages if p.startswith('laureats/'))}")
        page.screenshot(path=ARTIFACTS / "site-laureat.png", full_page=True)

        page.remove_listener("request", watch)  # what follows is another site, on purpose

        # the snippet of « Intégrer », pasted in another site's page, shows the map and list
        help_page = (site / "integrer.html").read_text(encoding="utf-8")
        snippets = [
            html.unescape(code.split("</code></pre>")[0]).replace(
                "https://exemple.fr/palmares", url
            )
            for code in help_page.split("<pre><code>")[1:]
        ]
        assert len(snippets) == 2
        embed_page.write_text(
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Autre site</title>'
            '<link rel="icon" href="data:,">'
            "</head><body><h1>Notre réseau</h1>" + "".join(snippets) + "</body></html>",
            encoding="utf-8",
        )
        with static_server(embed_page.parent) as other:
            page.goto(f"{other}/index.html")
            frames = page.frame_locator("iframe")
            map_frame = frames.nth(0)
            map_frame.locator("img").wait_for(timeout=30_000)
            assert map_frame.locator("img").evaluate("i => i.naturalWidth") > 0
            list_frame = frames.nth(1)
            assert list_frame.locator("li").count() == 8
            page.screenshot(path=ARTIFACTS / "site-integre.png", full_page=True)
        # the audit can fail: a page without language, an image without text alternative
        page.set_content('<img src="data:,"><p style="color:#bbb">peu lisible</p>')
        page.add_script_tag(content=axe)
        control = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        browser.close()
    assert {"image-alt", "html-has-lang", "color-contrast"} <= {
        v["id"] for v in control["violations"]
    }
    assert violations == {}
    assert broken == []
    assert outside == []
    assert errors == []

"""Security and faults measures for ``make bench`` (issue « Security and faults »).

- ``connexion_sous_attaque_s``: a juror's login (click « Se connecter » → signed-in page)
  while 8 other clients hammer the login form with wrong passwords for that juror's
  identifier, against the same login on an idle server, same run. The server is set as
  behind the production proxy (``entete_adresse = "X-Real-IP"``); each browser context
  sends its own address in that header, as nginx would.
- ``rechargement_visible_s``: from the end of a ``trophees load`` (the console returns) to
  the new count shown by an open, signed-in page, with nobody clicking; the baseline is
  the load command's own duration.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.load import Figure
from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from etl import demo, editions, paths, warehouse
from etl.french import format_decimal

ATTACKERS = 8
LOGINS = 5
JUROR = "jure-mesure"
PASSWORD = "mot-de-passe-de-mesure-2026"
METRIC = '[data-testid="stMetric"]'


@contextmanager
def _data(candidatures: int) -> Iterator[tuple[Path, Path]]:
    """A data directory (real load of a generated export) and a configuration directory
    whose ``app.toml`` reads the client address from ``X-Real-IP``."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "donnees"
        (data / "raw").mkdir(parents=True)
        (data / "reference").symlink_to(paths.reference_dir())
        edition = editions.load_editions()[2023]
        export = demo.generate_export(edition, candidatures, 11, data / "raw" / "lot-1.csv")
        warehouse.load_files(
            [export.path], 2023, warehouse=data / "warehouse.duckdb", ref_dir=paths.reference_dir()
        )
        config = tmp / "config"
        shutil.copytree(paths.config_dir(), config)
        app_toml = config / "app.toml"
        app_toml.write_text(
            app_toml.read_text(encoding="utf-8").replace(
                'entete_adresse = ""', 'entete_adresse = "X-Real-IP"'
            ),
            encoding="utf-8",
        )
        yield data, config


def _env(data: Path, config: Path) -> dict[str, str]:
    from dashboard.accounts import AccountSettings, AccountStore

    accounts = data / "comptes.toml"
    AccountStore(AccountSettings(file=accounts)).add(
        JUROR, "Juré de mesure", "jury", PASSWORD, replace_existing=True
    )
    return {
        "TROPHEES_DATA_DIR": str(data),
        "TROPHEES_COMPTES": str(accounts),
        "TROPHEES_CONFIG_DIR": str(config),
    }


async def _fill(page: Any, identifier: str, password: str) -> None:
    await page.get_by_label("Identifiant", exact=True).fill(identifier, timeout=180_000)
    await page.get_by_label("Mot de passe", exact=True).fill(password, timeout=180_000)


async def _login_s(browser: Any, url: str, address: str) -> float:
    """Seconds from the click on « Se connecter » to the signed-in page (the juror)."""
    context = await browser.new_context(extra_http_headers={"X-Real-IP": address})
    page = await context.new_page()
    await page.goto(url, timeout=180_000)
    await _fill(page, JUROR, PASSWORD)
    started = time.perf_counter()
    await page.get_by_role("button", name="Se connecter", exact=True).click()
    await page.get_by_role("button", name="Se déconnecter").wait_for(timeout=180_000)
    elapsed = time.perf_counter() - started
    await context.close()
    return elapsed


def _rerun(url: str, states: list[tuple[str, str | bool]]) -> bytes:
    """A BackMsg asking Streamlit to run the page with these widget values."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    back = BackMsg()
    back.rerun_script.query_string = ""
    back.rerun_script.context_info.url = url
    for widget, value in states:
        state = back.rerun_script.widget_states.widgets.add()
        state.id = widget
        if value is True:
            state.trigger_value = True
        else:
            state.string_value = str(value)
    return bytes(back.SerializeToString())


async def _until_finished(ws: Any) -> dict[str, str]:
    """Messages of one script run; the login form's widget ids by label."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ids: dict[str, str] = {}
    while True:
        msg = ForwardMsg.FromString(await ws.recv())
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "text_input":
                ids[element.text_input.label] = element.text_input.id
            elif element.WhichOneof("type") == "button" and element.button.is_form_submitter:
                ids["envoi"] = element.button.id
        if kind == "script_finished":
            return ids


async def _hammer(url: str, address: str, stop: asyncio.Event) -> int:
    """Wrong passwords for the juror's identifier from ``address`` until ``stop``, each
    sent as soon as the previous answer is in. A script, not a browser: the WebSocket
    messages Chromium would send (the attackers' CPU is not the server's)."""
    import websockets

    host = url.removeprefix("http://")
    async with websockets.connect(
        f"ws://{host}/_stcore/stream",
        subprotocols=[websockets.Subprotocol("streamlit")],
        additional_headers={"X-Real-IP": address},
        max_size=None,
    ) as ws:
        await ws.send(_rerun(url, []))
        ids = await _until_finished(ws)
        tries = 0
        while not stop.is_set():
            states: list[tuple[str, str | bool]] = [
                (ids["Identifiant"], JUROR),
                (ids["Mot de passe"], f"mauvais-{tries}"),
                (ids["envoi"], True),
            ]
            await ws.send(_rerun(url, states))
            await _until_finished(ws)
            tries += 1
    return tries


async def _attack_run(url: str) -> tuple[list[float], list[float], int]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await _login_s(browser, url, "198.51.100.99")  # warm the server
        idle = [await _login_s(browser, url, f"198.51.100.{i}") for i in range(LOGINS)]
        stop = asyncio.Event()
        attackers = [
            asyncio.create_task(_hammer(url, f"203.0.113.{i}", stop)) for i in range(ATTACKERS)
        ]
        await asyncio.sleep(3)  # the attack is under way
        attacked = [await _login_s(browser, url, f"198.51.100.{50 + i}") for i in range(LOGINS)]
        stop.set()
        tries = sum(await asyncio.gather(*attackers))
        await browser.close()
    return idle, attacked, tries


def _attack_figure(data: Path, config: Path) -> Figure:
    with streamlit_server(_env(data, config)) as url:
        idle, attacked, tries = asyncio.run(_attack_run(url))
    idle_s, attacked_s = statistics.median(idle), statistics.median(attacked)
    return Figure.judged(
        "connexion_sous_attaque_s",
        round(attacked_s, 3),
        "s",
        round(idle_s, 3),
        target=2.0,
        sens="<=",
        description=(
            f"Connexion d'un juré depuis son poste (clic « Se connecter » → page connectée, "
            f"médiane de {LOGINS}) pendant que {ATTACKERS} autres clients (adresses "
            "distinctes, en-tête X-Real-IP comme derrière nginx ; des scripts qui parlent le "
            "WebSocket de Streamlit, chaque essai envoyé dès la réponse au précédent) "
            f"envoient des mots de passe faux pour son identifiant ({tries} essais au "
            "total, refusés après 5 par adresse), rapportée à la même "
            "connexion sur un serveur au repos (même passage). Chaque juré a été admis : "
            "l'attaque ne bloque que ses auteurs"
        ),
    )


def _reload_figure(data: Path, config: Path) -> Figure:
    from playwright.sync_api import sync_playwright

    env = _env(data, config)
    extra = demo.generate_export(
        editions.load_editions()[2023], 20, 12, data / "raw" / "lot-2.csv"
    ).path
    with streamlit_server(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{url}/vue_ensemble?edition=2023")
        page.get_by_label("Identifiant", exact=True).fill(JUROR)
        page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Se connecter", exact=True).click()
        metric = page.locator(METRIC).filter(has_text="Candidatures").first
        value = metric.locator('[data-testid="stMetricValue"]')
        value.wait_for(timeout=60_000)
        before = value.inner_text()
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "dashboard.cli", "load", str(extra), "--edition", "2023"],
            cwd=paths.ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        loaded_at = time.perf_counter()
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        page.wait_for_function(
            "([sel, old]) => { const m = [...document.querySelectorAll(sel)]"
            ".find(e => e.innerText.includes('Candidatures'));"
            " const v = m && m.querySelector('[data-testid=\"stMetricValue\"]');"
            " return v && v.innerText !== old; }",
            arg=[METRIC, before],
            timeout=60_000,
        )
        seen = time.perf_counter() - loaded_at
        after = value.inner_text()
        browser.close()
    return Figure.judged(
        "rechargement_visible_s",
        round(seen, 3),
        "s",
        round(loaded_at - started, 3),
        target=5.0,
        sens="<=",
        cible_sur="valeur",
        description=(
            "Du retour de « trophees load » (20 candidatures de plus) au nouveau nombre "
            f"affiché ({before} → {after}) par une page Vue d'ensemble ouverte et connectée, "
            "sans clic (la page vérifie le fichier toutes les 2 s) ; base : la durée du "
            f"chargement lui-même ({format_decimal(loaded_at - started, 1)} s)"
        ),
    )


def measure() -> Iterable[Figure]:
    """The figures of the module docstring."""
    with _data(200) as (data, config):
        yield _attack_figure(data, config)
        yield _reload_figure(data, config)


if __name__ == "__main__":
    for figure in measure():
        print(f"{figure.name} = {figure.value} {figure.unit} (ratio {figure.ratio}) ok={figure.ok}")

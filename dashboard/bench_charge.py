"""Load measures for ``make bench``: a busy jury day on one real app server.

A real ``streamlit run`` server on 5 000 fictitious candidatures; one headless Chromium
with ``SESSIONS`` separate contexts (separate cookies, separate Streamlit sessions), each
signed in through the login form, then for ``DUREE_S`` seconds moving between Vue
d'ensemble, Carte and Comparer and changing the région filter, all at once:

- ``charge_p95_s``: 95th percentile of the server's script runs during the loaded
  period (each run's duration is written by the app to ``TROPHEES_JOURNAL_DUREES``),
  against the same actions by one session alone (same run);
- ``charge_p95_navigateur_s``: 95th percentile of the time from a click to the page
  drawn again in the browser (no stale element left). All the browsers share the
  machine's two processors with the server, so this one measures the test rig as much
  as the app;
- ``charge_erreurs``: exceptions shown by the app or actions that failed (target 0);
- ``charge_memoire_mo``: growth of the server's resident memory over the loaded period;
- ``sessions_50_memoire_mo``: server memory growth after 50 more sessions were opened
  (login, Carte) and closed, measured after a pause, against the memory before them.

Scoring at the same time is measured by ``jury simuler`` (``jury_lost_writes``,
``jury_write_p95_ms``): 10 jurors writing through the store the app uses.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.bench_support import bench_data_dir
from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, SERVER_PIDS, rss_mb, streamlit_server
from etl.bench import Figure

SESSIONS = 10
DUREE_S = 120.0
SESSIONS_OUVERTES = 50
PAGES = {
    "Vue d'ensemble": "Vue d'ensemble",
    "Carte": "Carte",
    "Comparer": "Comparer des candidatures",
}
"""Navigation link → the page's title once drawn."""
REGIONS = ("Bretagne", "Occitanie", "Île-de-France", "Grand Est", "Toutes")
LOGIN = "charge"
PASSWORD = "mesures-de-charge-2026"

IDLE = """() => {
    const h1 = document.querySelector('[data-testid="stMain"] h1');
    const stale = document.querySelector('[data-stale="true"]');
    return h1 !== null && stale === null;
}"""


@dataclass
class Record:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _idle(page: Any, title: str | None = None) -> None:
    await page.wait_for_timeout(50)
    if title is not None:
        await page.locator('[data-testid="stMain"] h1', has_text=title).first.wait_for(
            timeout=60_000
        )
    await page.wait_for_function(IDLE, timeout=60_000, polling=50)


async def _login(context: Any, url: str) -> Any:
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_label("Identifiant", exact=True).fill(LOGIN, timeout=60_000)
    await page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter", exact=True).click()
    await page.get_by_role("button", name="Se déconnecter").wait_for(timeout=60_000)
    await _idle(page)
    return page


async def _act(page: Any, draw: random.Random, record: Record) -> None:
    """One user action, timed: open a page, or pick a région in the sidebar."""
    start = time.perf_counter()
    try:
        if draw.random() < 0.6:
            link = draw.choice(list(PAGES))
            await page.get_by_role("link", name=link, exact=True).first.click()
            await _idle(page, PAGES[link])
        else:
            box = page.get_by_label("Région", exact=True)
            await box.click()
            await page.keyboard.type(draw.choice(REGIONS))
            await page.keyboard.press("Enter")
            await _idle(page)
        record.times.append(time.perf_counter() - start)
        shown = await page.locator('[data-testid="stException"]').count()
        if shown:
            record.errors.append(f"{shown} exception(s) affichée(s) sur {page.url}")
    except Exception as err:  # counted, never hidden
        record.errors.append(repr(err)[:300])


async def _user(browser: Any, url: str, seed: int, stop: float, record: Record) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await _login(context, url)
        draw = random.Random(seed)
        while True:  # every session acts at least once, however slow its login was
            await _act(page, draw, record)
            if time.perf_counter() >= stop:
                break
            await page.wait_for_timeout(draw.randint(200, 1500))  # a person reads
    except Exception as err:
        record.errors.append(f"session {seed} : {err!r}"[:300])
    finally:
        await context.close()


async def _alone(browser: Any, url: str, actions: int) -> Record:
    record = Record()
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await _login(context, url)
        draw = random.Random(0)
        for _ in range(actions):
            await _act(page, draw, record)
    finally:
        await context.close()
    return record


async def _open_and_close(browser: Any, url: str, n: int) -> None:
    for _ in range(n):
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = await _login(context, url)
            await page.get_by_role("link", name="Carte", exact=True).first.click()
            await _idle(page, "Carte")
        finally:
            await context.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def _runs(journal: Path, skip: int = 0) -> list[float]:
    """Durations of the server's script runs written to ``journal``, after ``skip`` lines."""
    if not journal.exists():
        return []
    lines = journal.read_text(encoding="utf-8").splitlines()[skip:]
    return [float(line.split("\t")[1]) for line in lines if "\t" in line]


async def _run(
    url: str, pid: int, journal: Path, duree_s: float, sessions: int, ouvertes: int
) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        alone = await _alone(browser, url, 20)
        runs_alone = _runs(journal)
        memory_before = rss_mb(pid)
        loaded = Record()
        stop = time.perf_counter() + duree_s
        await asyncio.gather(*(_user(browser, url, i, stop, loaded) for i in range(sessions)))
        runs_loaded = _runs(journal, skip=len(runs_alone))
        await asyncio.sleep(2)
        memory_loaded = rss_mb(pid)
        await _open_and_close(browser, url, 5)  # warm-up
        await asyncio.sleep(2)
        memory_warm = rss_mb(pid)
        await _open_and_close(browser, url, ouvertes)
        await asyncio.sleep(5)
        memory_after = rss_mb(pid)
        await browser.close()
    return {
        "server_alone_p95": percentile(runs_alone, 0.95),
        "server_p95": percentile(runs_loaded, 0.95),
        "server_runs": len(runs_loaded),
        "alone_p95": percentile(alone.times, 0.95),
        "alone_errors": alone.errors,
        "p95": percentile(loaded.times, 0.95),
        "actions": len(loaded.times),
        "errors": loaded.errors + alone.errors,
        "memory_before": memory_before,
        "memory_growth": memory_loaded - memory_before,
        "memory_warm": memory_warm,
        "sessions_growth": memory_after - memory_warm,
    }


def run_load(data: Path, tmp: Path, duree_s: float, sessions: int, ouvertes: int) -> dict[str, Any]:
    """The loaded period against a real server on ``data`` (see the module docstring)."""
    from dashboard.accounts import Comptes, Reglages

    comptes = tmp / "comptes-charge.toml"
    Comptes(Reglages(fichier=comptes)).ajouter(
        LOGIN, "Mesures de charge", "analyste", PASSWORD, remplacer=True
    )
    journal = tmp / "durees-des-executions.tsv"
    journal.unlink(missing_ok=True)
    env = {
        "TROPHEES_DATA_DIR": str(data),
        "TROPHEES_COMPTES": str(comptes),
        "TROPHEES_JOURNAL_DUREES": str(journal),
    }
    with streamlit_server(env) as url:
        return asyncio.run(_run(url, SERVER_PIDS[url], journal, duree_s, sessions, ouvertes))


def measure(duree_s: float = DUREE_S) -> Iterable[Figure]:
    with bench_data_dir() as data:
        result = run_load(data, data, duree_s, SESSIONS, SESSIONS_OUVERTES)
    periode = (
        f"{SESSIONS} sessions Chromium en parallèle pendant {duree_s:.0f} s sur un serveur "
        f"réel, {result['actions']} actions (changer de page, de région), 5 000 candidatures"
    )
    yield Figure.judged(
        "charge_p95_s",
        round(result["server_p95"], 3),
        "s",
        round(result["server_alone_p95"], 3),
        target=1.0,
        sens="<=",
        cible_sur="valeur",
        description=f"95e centile de la durée d'exécution des pages par le serveur sous "
        f"charge ({result['server_runs']} exécutions) : {periode} ; référence = les mêmes "
        "actions par une session seule",
    )
    yield Figure.judged(
        "charge_p95_navigateur_s",
        round(result["p95"], 3),
        "s",
        round(result["alone_p95"], 3),
        target=3.0,
        sens="<=",
        cible_sur="valeur",
        description=f"95e centile du temps entre un clic et la page redessinée dans le "
        f"navigateur : {periode} ; les {SESSIONS} navigateurs partagent les 2 processeurs "
        "avec le serveur ; référence = les mêmes actions par une session seule",
    )
    yield Figure.judged(
        "charge_erreurs",
        float(len(result["errors"])),
        "erreurs",
        float(max(result["actions"], 1)),
        target=0.0,
        sens="<=",
        cible_sur="valeur",
        description=f"Exceptions affichées ou actions échouées pendant la charge : {periode} ; "
        "référence = nombre d'actions",
    )
    yield Figure.judged(
        "charge_memoire_mo",
        round(result["memory_growth"], 1),
        "Mo",
        round(result["memory_before"], 1),
        target=300.0,
        sens="<=",
        cible_sur="valeur",
        description=f"Croissance de la mémoire résidente du serveur pendant la charge : "
        f"{periode} ; référence = sa mémoire avant la charge",
    )
    yield Figure.judged(
        "sessions_50_memoire_mo",
        round(result["sessions_growth"], 1),
        "Mo",
        round(result["memory_warm"], 1),
        target=100.0,
        sens="<=",
        cible_sur="valeur",
        description=f"Croissance de la mémoire résidente du serveur après {SESSIONS_OUVERTES} "
        "sessions ouvertes (connexion, Carte) puis fermées, après 5 sessions de chauffe ; "
        "référence = sa mémoire après la chauffe",
    )

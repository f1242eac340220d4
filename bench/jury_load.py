"""Load measures for ``make bench``: a busy jury day on one real app server.

Long module: the scripted juror (login, navigation, scoring), the settle-before-acting
checks and the priority thread are one measurement and only make sense together.

A real ``streamlit run`` server on 5 000 fictitious candidatures; one headless Chromium
with ``SESSIONS`` separate contexts (separate cookies, separate Streamlit sessions), each
signed in through the login form as a juror, then for ``DUREE_S`` seconds moving
between Vue d'ensemble, Carte and Comparer, changing the région filter and scoring
candidatures in « Mes notations » (criteria ticked, score sent, « Suivant »), all at once.
The browsers run at the lowest CPU priority (:class:`_Renice`), the server at its own:
in production they are on the jurors' machines, here they share its two processors.

- ``charge_p95_s``: 95th percentile of the server's script runs during the loaded
  period (each run's duration is written by the app to ``TROPHEES_JOURNAL_DUREES``),
  against the same actions by one session alone (same run);
- ``charge_p95_navigateur_s``: 95th percentile of the time from a click to the page
  drawn again in the browser (no stale element left). All the browsers share the
  machine's two processors with the server, so this one measures the test rig as much
  as the app;
- ``charge_erreurs``: exceptions shown by the app or actions that failed (target 0);
- ``charge_notes_perdues``: scores a browser saw locked after « Envoyer » that the
  deliberation store does not hold once the server has stopped (target 0);
- ``charge_memoire_mo``: growth of the server's resident memory over the loaded period;
- ``sessions_50_memoire_mo``: server memory growth after 50 more sessions were opened
  (login, Carte) and closed, measured after a pause, against the memory before them.

``jury simuler`` (``jury_lost_writes``, ``jury_write_p95_ms``) measures the store alone
under 10 jurors writing at once, without browsers.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.load import Figure
from bench.support import bench_data_dir
from dashboard.local_server import CHROMIUM, CHROMIUM_ARGS, SERVER_PIDS, rss_mb, streamlit_server

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
PASSWORD = "mesures-de-charge-2026"
ANNEE = 2023
"""The edition scored during the load (the bench warehouse holds 2023)."""
NOTATIONS = "Mes notations"
LOCKED = "Seul un administrateur peut la rouvrir"
"""What « Mes notations » says of a score sent earlier (the form is locked)."""
SENT = "Note envoyée : elle est verrouillée"
"""What it says right after « Envoyer » (and the next candidature opens)."""
NICE = 19
"""CPU priority of the browsers (higher = lower priority), see the module docstring."""


def jure(i: int) -> str:
    """Login of the ``i``-th juror of the load run (0 acts alone, before the others)."""
    return f"charge-{i:02d}"


IDLE = """() => {
    const h1 = document.querySelector('[data-testid="stMain"] h1');
    const stale = document.querySelector('[data-stale="true"]');
    const running = document.querySelector('[data-testid="stStatusWidget"] button');
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app === null ? null : app.getAttribute("data-test-script-state");
    return h1 !== null && stale === null && running === null && state === "notRunning";
}"""


CALME_MS = 300
"""Before each action the page must have stayed unchanged this long (not timed)."""

_CALME = """
window.__derniere_mutation = performance.now();
new MutationObserver(() => { window.__derniere_mutation = performance.now(); })
  .observe(document, {subtree: true, childList: true, characterData: true});
"""
"""Init script of every context: when the page's content last changed (page clock)."""

SETTLED = f"() => ({IDLE})() && performance.now() - window.__derniere_mutation > {CALME_MS}"
"""Idle, and nothing drawn for :data:`CALME_MS`: a run chained after the one the action
waited for (``st.rerun()``, a widget value sent back) has had time to start. Acting
earlier, the robot clicked pages still being redrawn: two « Suivant » buttons at once,
or criteria ticked on a form about to be replaced. A person reads before acting."""


async def _new_context(browser: Any) -> Any:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(_CALME)
    return context


@dataclass
class Record:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)
    """Scores each juror saw locked after sending them."""
    retries: int = 0
    """Criterion ticks clicked again because a late redraw of the form had undone them."""


async def _idle(page: Any, title: str | None = None) -> None:
    await page.wait_for_timeout(50)
    if title is not None:
        await page.locator('[data-testid="stMain"] h1', has_text=title).first.wait_for(
            timeout=60_000
        )
    await page.wait_for_function(IDLE, timeout=60_000, polling=50)


async def _login(context: Any, url: str, login: str) -> Any:
    page = await context.new_page()
    await page.goto(url, timeout=60_000)
    await page.get_by_label("Identifiant", exact=True).fill(login, timeout=60_000)
    await page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter", exact=True).click()
    await page.get_by_role("button", name="Se déconnecter").wait_for(timeout=60_000)
    await _idle(page)
    return page


async def _title(page: Any) -> str:
    return str(await page.locator('[data-testid="stMain"] h1').first.inner_text()).strip()


async def _score(page: Any, draw: random.Random, login: str, record: Record) -> None:
    """One scoring step, timed from its click: open « Mes notations »; or, on a score
    already sent, « Suivant »; or tick every criterion (not timed: the person's choice)
    and send the score, until the page says it is locked."""
    from playwright.async_api import expect

    main = page.locator('[data-testid="stMain"]')
    if NOTATIONS not in await _title(page):
        start = time.perf_counter()
        await page.get_by_role("link", name=NOTATIONS, exact=True).first.click()
        await _idle(page, NOTATIONS)
    elif await main.get_by_text(LOCKED).count():  # a score sent earlier: move on
        start = time.perf_counter()
        await main.get_by_role("button", name="Suivant").click()
        await main.get_by_text(LOCKED).first.wait_for(state="detached", timeout=60_000)
        await _idle(page)
    else:
        envoyer = page.get_by_role("button", name="Envoyer la note (définitif)")
        form = main.locator('[data-testid="stForm"]').filter(has=envoyer)
        groups = form.get_by_role("radiogroup")
        # the line drawn just after the form: every criterion is on the page
        await main.get_by_text("Note pondérée actuelle").first.wait_for(timeout=60_000)
        await _idle(page)  # a rerun drawing the form again would drop the ticks
        values: list[str] = []
        for attempt in range(3):  # a late redraw of the form may undo ticks: check them all
            # counted on each pass: a form counted while still arriving had one criterion
            values += [str(draw.randint(1, 5)) for _ in range(await groups.count() - len(values))]
            missing = [
                (i, value)
                for i, value in enumerate(values)
                if not await groups.nth(i).get_by_role("radio", name=value, exact=True).is_checked()
            ]
            if not missing:
                break
            if attempt:
                record.retries += len(missing)
            for i, value in missing:
                await groups.nth(i).get_by_text(value, exact=True).click()
                radio = groups.nth(i).get_by_role("radio", name=value, exact=True)
                with contextlib.suppress(AssertionError):  # checked again on the next pass
                    await expect(radio).to_be_checked(timeout=5_000)
            await _idle(page)
        # the confirmation of the previous score may still be on the page: a score counts
        # as sent once the app's own count of sent scores (« Notes envoyées : 12 / 30 »)
        # has moved on, and the app confirms
        progress = main.locator('[data-testid="stProgress"]').first
        before = await progress.inner_text()
        start = time.perf_counter()
        await form.get_by_role("button", name="Envoyer la note (définitif)").click()
        try:  # the app confirms, then opens the next candidature to score
            await expect(progress).not_to_have_text(before, timeout=60_000)
            await main.get_by_text(SENT).first.wait_for(timeout=60_000)
        except Exception as err:  # say what the page shows instead
            alerts = await main.locator('[data-testid="stAlert"]').all_inner_texts()
            raise AssertionError(f"note non verrouillée ; alertes : {alerts}") from err
        await _idle(page)
        record.sent[login] = record.sent.get(login, 0) + 1
    record.times.append(time.perf_counter() - start)


async def _act(page: Any, draw: random.Random, login: str, record: Record) -> None:
    """One user action, timed: open a page, pick a région in the sidebar, or score."""
    start = time.perf_counter()
    try:
        await page.wait_for_function(SETTLED, timeout=60_000, polling=50)
        start = time.perf_counter()
        choice = draw.random()
        if choice < 0.4:
            await _score(page, draw, login, record)
        elif choice < 0.75:
            link = draw.choice(list(PAGES))
            await page.get_by_role("link", name=link, exact=True).first.click()
            await _idle(page, PAGES[link])
            record.times.append(time.perf_counter() - start)
        elif not await page.get_by_label("Région", exact=True).count():
            # jury pages have no sidebar filters: open a page that has them
            link = draw.choice(list(PAGES))
            await page.get_by_role("link", name=link, exact=True).first.click()
            await _idle(page, PAGES[link])
            record.times.append(time.perf_counter() - start)
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
    context = await _new_context(browser)
    try:
        page = await _login(context, url, jure(seed))
        draw = random.Random(seed)
        while True:  # every session acts at least once, however slow its login was
            await _act(page, draw, jure(seed), record)
            if time.perf_counter() >= stop:
                break
            await page.wait_for_timeout(draw.randint(200, 1500))  # a person reads
    except Exception as err:
        record.errors.append(f"session {seed} : {err!r}"[:300])
    finally:
        await context.close()


async def _alone(browser: Any, url: str, actions: int) -> Record:
    record = Record()
    context = await _new_context(browser)
    try:
        page = await _login(context, url, jure(0))
        draw = random.Random(0)
        for _ in range(actions):
            await _act(page, draw, jure(0), record)
    finally:
        await context.close()
    return record


async def _open_and_close(browser: Any, url: str, n: int) -> None:
    for _ in range(n):
        context = await _new_context(browser)
        try:
            page = await _login(context, url, jure(0))
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
    url: str,
    pid: int,
    journal: Path,
    duree_s: float,
    sessions: int,
    ouvertes: int,
    seul: int,
    repos_s: float,
) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        alone = await _alone(browser, url, seul)
        runs_alone = _runs(journal)
        memory_before = rss_mb(pid)
        loaded = Record()
        stop = time.perf_counter() + duree_s
        await asyncio.gather(
            *(_user(browser, url, i, stop, loaded) for i in range(1, sessions + 1))
        )
        runs_loaded = _runs(journal, skip=len(runs_alone))
        await asyncio.sleep(repos_s)
        memory_loaded = rss_mb(pid)
        await _open_and_close(browser, url, 5)  # warm-up
        await asyncio.sleep(repos_s)
        memory_warm = rss_mb(pid)
        await _open_and_close(browser, url, ouvertes)
        await asyncio.sleep(repos_s * 2.5)
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
        "sent": {**alone.sent, **loaded.sent},
        "retries": alone.retries + loaded.retries,
        "memory_before": memory_before,
        "memory_growth": memory_loaded - memory_before,
        "memory_warm": memory_warm,
        "sessions_growth": memory_after - memory_warm,
    }


def _children() -> dict[int, list[int]]:
    """Parent pid → child pids, read from ``/proc``."""
    tree: dict[int, list[int]] = {}
    for fichier in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            ppid = int(fichier.read_text().rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(fichier.parent.name))
    return tree


def _descendants(root: int, tree: dict[int, list[int]]) -> set[int]:
    found: set[int] = set()
    todo = list(tree.get(root, []))
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(tree.get(pid, []))
    return found


class _Renice(threading.Thread):
    """Keeps every thread of this process's other children (Chromium, Playwright's driver)
    at priority :data:`NICE` while the load runs, the server excepted. Chromium raises its
    foreground renderers again by itself (even above 0 when it may), so starting it under
    ``nice`` is not enough: this pass runs every half second."""

    def __init__(self, server: int) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            tree = _children()
            server = _descendants(self.server, tree) | {self.server}
            for pid in _descendants(os.getpid(), tree) - server:
                for task in Path(f"/proc/{pid}/task").glob("[0-9]*"):
                    with contextlib.suppress(OSError, ValueError):
                        os.setpriority(os.PRIO_PROCESS, int(task.name), NICE)


def _prepare_jury(data: Path, tmp: Path, sessions: int) -> Path:
    """Juror accounts 0…``sessions`` (one accounts file) assigned in turn to the
    categories of :data:`ANNEE` in the deliberation store the server will use."""
    from dashboard.accounts import AccountSettings, AccountStore
    from dashboard.jury import scoring
    from dashboard.jury.store import Store
    from etl import editions

    comptes = tmp / "comptes-charge.toml"
    store = AccountStore(AccountSettings(file=comptes))
    categories = [c.code for c in editions.load_editions()[ANNEE].categories]
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as jury:
        for i in range(sessions + 1):
            store.add(jure(i), f"Juré de charge {i}", "jury", PASSWORD, replace_existing=True)
            scoring.assign(jury, "mesures", ANNEE, categories[i % len(categories)], [jure(i)])
    return comptes


def stored_scores(data: Path) -> dict[str, int]:
    """Submitted scores per juror in the deliberation store of ``data`` (server stopped)."""
    from dashboard.jury.store import open_reader

    with open_reader(data / "deliberations.duckdb") as reader:
        frame = reader.frame(
            "select jure, count(*) as n from notes where statut = 'soumise' group by jure"
        )
    return dict(zip(frame["jure"].to_list(), frame["n"].to_list(), strict=True))


ALONE_ACTIONS = 20
"""Actions of the lone juror whose runs are the reference of the loaded ones."""
SETTLE_S = 2.0
"""Wait before each memory reading (the one after the sessions are closed waits 2,5 times
as long): the server's allocator gives memory back, sessions expire."""


def run_load(
    data: Path,
    tmp: Path,
    duree_s: float,
    sessions: int,
    ouvertes: int,
    seul: int = ALONE_ACTIONS,
    repos_s: float = SETTLE_S,
) -> dict[str, Any]:
    """The loaded period against a real server on ``data`` (see the module docstring).

    Adds ``stored`` (submitted scores per juror read from the store once the server has
    stopped) and ``lost`` (scores a browser saw locked that the store does not hold).
    ``seul`` and ``repos_s`` shorten the reference and the memory readings (a test's run).
    """
    comptes = _prepare_jury(data, tmp, sessions)
    journal = tmp / "durees-des-executions.tsv"
    journal.unlink(missing_ok=True)
    env = {
        "TROPHEES_DATA_DIR": str(data),
        "TROPHEES_COMPTES": str(comptes),
        "TROPHEES_JOURNAL_DUREES": str(journal),
    }
    with streamlit_server(env) as url:
        renice = _Renice(SERVER_PIDS[url])
        renice.start()
        try:
            result = asyncio.run(
                _run(url, SERVER_PIDS[url], journal, duree_s, sessions, ouvertes, seul, repos_s)
            )
        finally:
            renice.done.set()
            renice.join()
    stored = stored_scores(data)
    result["stored"] = stored
    result["lost"] = sum(max(0, n - stored.get(j, 0)) for j, n in result["sent"].items())
    return result


def measure(duree_s: float = DUREE_S) -> Iterable[Figure]:
    with bench_data_dir() as data:
        result = run_load(data, data, duree_s, SESSIONS, SESSIONS_OUVERTES)
    periode = (
        f"{SESSIONS} sessions Chromium en parallèle pendant {duree_s:.0f} s sur un serveur "
        f"réel, {result['actions']} actions (changer de page, de région, noter), 5 000 "
        f"candidatures ; navigateurs en priorité basse (nice {NICE})"
    )
    envoyees = sum(result["sent"].values())
    # (name, value, unit, baseline, target on the value, description): all « ≤ target »
    figures: list[tuple[str, float, str, float, float, str]] = [
        (
            "charge_p95_s",
            round(result["server_p95"], 3),
            "s",
            round(result["server_alone_p95"], 3),
            1.0,
            f"95e centile de la durée d'exécution des pages par le serveur sous charge "
            f"({result['server_runs']} exécutions) : {periode} ; référence = les mêmes "
            "actions par une session seule",
        ),
        (
            "charge_p95_navigateur_s",
            round(result["p95"], 3),
            "s",
            round(result["alone_p95"], 3),
            3.0,
            f"95e centile du temps entre un clic et la page redessinée dans le navigateur : "
            f"{periode} ; les {SESSIONS} navigateurs partagent les 2 processeurs avec le "
            "serveur ; référence = les mêmes actions par une session seule",
        ),
        (
            "charge_erreurs",
            float(len(result["errors"])),
            "erreurs",
            float(max(result["actions"], 1)),
            0.0,
            f"Exceptions affichées ou actions échouées pendant la charge : {periode} ; "
            f"référence = nombre d'actions ({result['retries']} coche(s) de critère "
            "refaite(s) après un redessin tardif du formulaire, non comptées comme erreurs)"
            + "".join(f" ; erreur : {error}" for error in result["errors"][:3]),
        ),
        (
            "charge_notes_perdues",
            float(result["lost"]),
            "notes",
            float(envoyees),
            0.0,
            f"Notes vues verrouillées dans un navigateur après « Envoyer » mais absentes de "
            f"la base du jury une fois le serveur arrêté : {periode} ; référence = notes "
            f"envoyées ({envoyees})",
        ),
        (
            "charge_memoire_mo",
            round(result["memory_growth"], 1),
            "Mo",
            round(result["memory_before"], 1),
            300.0,
            f"Croissance de la mémoire résidente du serveur pendant la charge : {periode} ; "
            "référence = sa mémoire avant la charge",
        ),
        (
            "sessions_50_memoire_mo",
            round(result["sessions_growth"], 1),
            "Mo",
            round(result["memory_warm"], 1),
            100.0,
            f"Croissance de la mémoire résidente du serveur après {SESSIONS_OUVERTES} "
            "sessions ouvertes (connexion, Carte) puis fermées, après 5 sessions de "
            "chauffe ; référence = sa mémoire après la chauffe",
        ),
    ]
    for name, value, unit, baseline, target, description in figures:
        yield Figure.judged(
            name,
            value,
            unit,
            baseline,
            target=target,
            sens="<=",
            cible_sur="valeur",
            description=description,
        )

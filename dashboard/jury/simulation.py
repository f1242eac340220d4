"""Many jurors scoring at once in one process, through the app's own code path.

``simulate(jures=10, notes=100)`` starts one thread per juror; each submits ``notes``
scores with ``notation.save_score`` on the shared ``Store`` (its own cursor, short
retried transactions), then the rows actually written are counted. Nothing may be lost
or doubled: ``ecrites`` must equal ``attendues`` with ``erreurs`` = 0.
"""

from __future__ import annotations

import json
import random
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from dashboard.jury import scoring
from dashboard.jury.states import ScoreStatus
from dashboard.jury.store import Store
from etl.editions.model import Category, Criterion

EDITION = 9999
"""Edition number of simulated rows: no real edition can collide with it."""

CATEGORY = Category(
    code="SIMULATION",
    numero=1,
    libelle="Catégorie simulée",
    description="Charge simultanée de jurés (trophees jury simuler).",
    laureats_max=1,
    criteres=(
        Criterion("IMPACT", "Impact", 40, 0, 5),
        Criterion("INNOVATION", "Innovation", 30, 0, 5),
        Criterion("RESULTATS", "Résultats", 30, 0, 5),
    ),
)


@dataclass(frozen=True)
class SimulationReport:
    """Rows expected and written, failed writes, write latency, replayed conflicts."""

    attendues: int
    ecrites: int
    erreurs: int
    p95_ms: float
    rejouees: int
    duree_s: float

    def json_line(self) -> str:
        """The last line printed by ``trophees jury simuler`` (read by ``make bench``)."""
        return json.dumps(
            {
                "attendues": self.attendues,
                "ecrites": self.ecrites,
                "erreurs": self.erreurs,
                "p95_ms": self.p95_ms,
            }
        )


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0–1) of ``values``, nearest rank (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def _juror(
    store: Store, jure: str, notes: int, seed: int, latencies: list[float], errors: list[str]
) -> None:
    draw = random.Random(seed)
    for i in range(notes):
        saisie = scoring.ScoreInput(
            valeurs={c.code: draw.randint(0, 5) for c in CATEGORY.criteres},
            commentaires={"IMPACT": f"commentaire {i}"},
            commentaire="=simulation",  # formula-like on purpose: stored as text
        )
        start = time.perf_counter()
        try:
            scoring.save_score(store, jure, EDITION, CATEGORY, f"sim-{i:05d}", saisie, submit=True)
        except Exception as err:  # counted and reported, never hidden
            errors.append(f"{jure} {i}: {err!r}")
            continue
        latencies.append((time.perf_counter() - start) * 1000)


def run(store: Store, jures: int, notes: int, seed: int = 2023) -> SimulationReport:
    """Run the simulation on an open store (its simulated rows are added to it)."""
    names = [f"sim-jure-{j:03d}" for j in range(jures)]
    scoring.assign(store, "simulation", EDITION, CATEGORY.code, names)
    latencies: list[float] = []
    errors: list[str] = []
    retries_before = store.retries_done
    threads = [
        threading.Thread(target=_juror, args=(store, name, notes, seed + j, latencies, errors))
        for j, name in enumerate(names)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - start
    written = store.frame(
        "select count(*) as n from notes where edition = ? and categorie_code = ?"
        " and statut = ? and jure in (select unnest(?))",
        [EDITION, CATEGORY.code, ScoreStatus.SOUMISE.value, names],
    )["n"][0]
    return SimulationReport(
        attendues=jures * notes,
        ecrites=int(written),
        erreurs=len(errors),
        p95_ms=round(percentile(latencies, 0.95), 2),
        rejouees=store.retries_done - retries_before,
        duree_s=round(duration, 3),
    )


def simulate(
    jures: int = 10, notes: int = 100, path: Path | None = None, seed: int = 2023
) -> SimulationReport:
    """The simulation on a fresh store (a temporary file unless ``path`` is given)."""
    if path is not None:
        with Store(path) as store:
            return run(store, jures, notes, seed)
    with (
        tempfile.TemporaryDirectory(prefix="jury-simulation-") as tmp,
        Store(Path(tmp) / "deliberations.duckdb") as store,
    ):
        return run(store, jures, notes, seed)

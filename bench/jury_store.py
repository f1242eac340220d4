"""Bench of the jury store: 10 simultaneous jurors × 100 scores in one process.

``jury_lost_writes``: rows expected minus rows written (plus failed writes); must be 0.
``jury_write_p95_ms``: 95th percentile of one score's write (validation, transaction,
retries), judged on its value; its baseline is the same figure for a single juror
writing alone, so the ratio shows what concurrency costs on this machine.
"""

from __future__ import annotations

from collections.abc import Iterable

from bench.load import Figure
from dashboard.jury.simulation import simulate

JURES = 10
NOTES = 100


def measure() -> Iterable[Figure]:
    alone = simulate(1, NOTES)
    crowd = simulate(JURES, NOTES)
    lost = crowd.attendues - crowd.ecrites + crowd.erreurs
    yield Figure.judged(
        "jury_lost_writes",
        lost,
        "notes",
        crowd.attendues,
        target=0,
        sens="<=",
        cible_sur="valeur",
        description=(
            f"{JURES} jurés simultanés × {NOTES} notes dans un processus (trophees jury "
            f"simuler) : notes attendues − écrites + erreurs ({crowd.ecrites} écrites sur "
            f"{crowd.attendues}, {crowd.erreurs} erreur(s), {crowd.rejouees} rejouée(s))"
        ),
    )
    yield Figure.judged(
        "jury_write_p95_ms",
        crowd.p95_ms,
        "ms",
        alone.p95_ms,
        target=250.0,
        sens="<=",
        cible_sur="valeur",
        description=(
            f"95e centile du temps d'écriture d'une note avec {JURES} jurés simultanés ; "
            "référence : le même centile pour un juré seul"
        ),
    )


measures = measure
"""Alias: ``bench.app`` calls ``measure()``."""

"""App figures for ``make bench`` (AppTest reruns, map payloads, browser timings).

Appended to ``data/bench/latest.json`` after the ETL's (:mod:`bench.load`); each subject's
measures live in its own module of :mod:`bench` (``MODULES``).
"""

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Iterable

from bench import report
from bench.load import Figure, append_figures

MODULES = (
    "bench.overview",
    "bench.seance",
    "bench.map",
    "bench.scaling",
    "bench.jury_store",
    "bench.press",
    "bench.site",
    "bench.jury_load",
    "bench.intake",
    "bench.security",
)


FAILED: list[str] = []
"""Modules whose measure failed in this run (named at the end; the others are kept)."""


def measures() -> Iterable[Figure]:
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            print(f"  {name} : absent", file=sys.stderr)
            continue
        try:
            # a module's figures are kept only when it completes
            yield from list(module.measure())
        except Exception as err:  # one failed bench must not discard the others' figures
            FAILED.append(name)
            print(f"  {name} : ÉCHEC ({err.__class__.__name__} : {err})", file=sys.stderr)
            traceback.print_exc()


def main() -> int:
    figures = list(measures())
    path = append_figures(figures)
    for f in figures:
        print(f"  {f.name} = {f.value} {f.unit} (ratio {f.ratio}, cible {f.sens} {f.target})")
    print(f"Mesures de l'application ajoutées à {path}")
    print(f"Page des performances régénérée : {report.write_report(path)}")
    if FAILED:
        print(f"Mesures en échec : {', '.join(FAILED)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""App figures for ``make bench`` (AppTest reruns, map payloads, browser timings).

Appended to ``data/bench/latest.json`` after the ETL's (:mod:`bench.load`); each subject's
measures live in its own module of :mod:`bench` (``MODULES``).
"""

from __future__ import annotations

import importlib
import sys
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


def measures() -> Iterable[Figure]:
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            print(f"  {name} : absent", file=sys.stderr)
            continue
        yield from module.measure()


def main() -> int:
    figures = list(measures())
    path = append_figures(figures)
    for f in figures:
        print(f"  {f.name} = {f.value} {f.unit} (ratio {f.ratio}, cible {f.sens} {f.target})")
    print(f"Mesures de l'application ajoutées à {path}")
    print(f"Page des performances régénérée : {report.write_report(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

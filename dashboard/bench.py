"""App figures for ``make bench`` (AppTest reruns, map payloads, browser timings).

``etl`` never imports the app, so these measures live here and are appended to the same
``data/bench/latest.json`` by ``python -m dashboard.bench`` (run by ``make bench`` right
after ``trophees bench``). Each page's measures live in ``dashboard/bench_<page>.py``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable

from etl import bench_report
from etl.bench import Figure, append_figures

MODULES = (
    "dashboard.bench_vue",
    "dashboard.bench_carte",
    "dashboard.bench_echelle",
    "dashboard.bench_jury",
    "dashboard.bench_presse",
    "dashboard.bench_charge",
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
    print(f"Page des performances régénérée : {bench_report.write_report(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

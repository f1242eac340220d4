"""App figures for ``make bench`` (AppTest reruns, map payloads, browser timings).

Appended to ``data/bench/latest.json`` after the ETL's (:mod:`bench.load`); each subject's
measures live in its own module of :mod:`bench` (``MODULES``).
"""

from __future__ import annotations

import importlib
import json
import sys
import traceback
from collections.abc import Iterable

from bench import report
from bench.load import Figure, append_figures
from etl import paths

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
    "bench.corrections",
    "bench.security",
)


FAILED: dict[str, str] = {}
"""Modules whose measure failed in this run, with the error (the others' figures are kept;
the required figures left unmeasured are written as such, with the error)."""


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
            first_line = (str(err).splitlines() or [""])[0]
            FAILED[name] = f"{err.__class__.__name__} : {first_line}"[:300]
            print(f"  {name} : ÉCHEC ({FAILED[name]})", file=sys.stderr)
            traceback.print_exc()


def unmeasured(name: str) -> Figure:
    """A required figure this run could not measure: written with no value, missed, and
    why (so the page says it rather than keeping an older figure)."""
    why = " ; ".join(f"{module} en échec : {error}" for module, error in FAILED.items())
    nan = float("nan")
    return Figure(
        name, nan, "", nan, nan, nan, False, "<=", "valeur", f"NON MESURÉE dans ce passage ({why})"
    )


def main() -> int:
    figures = list(measures())
    if FAILED:
        latest = paths.bench_dir() / "latest.json"
        done = {f.name for f in figures}
        if latest.exists():
            done |= {f["name"] for f in json.loads(latest.read_text(encoding="utf-8"))["figures"]}
        figures += [unmeasured(name) for name in report.REQUIRED if name not in done]
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

"""Performance suite behind ``make bench``: figures measured against a baseline of the same run.

Each figure is a ``Figure``; the run writes ``data/bench/latest.json`` and a timestamped copy.
A figure's ``ratio`` compares it with a baseline measured in the same process a moment
before, so results stay comparable across machines; ``target`` applies to ``ratio`` unless
``cible_sur`` says ``valeur`` (an absolute target written in an issue).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Literal

import numpy as np

from etl import paths

Sens = Literal["<=", ">="]


@dataclass(frozen=True)
class Figure:
    """One measured figure with the baseline it is judged against."""

    name: str
    value: float
    unit: str
    baseline: float
    ratio: float
    target: float
    ok: bool
    sens: Sens
    cible_sur: Literal["ratio", "valeur"]
    description: str

    @classmethod
    def judged(
        cls,
        name: str,
        value: float,
        unit: str,
        baseline: float,
        target: float,
        sens: Sens,
        description: str,
        cible_sur: Literal["ratio", "valeur"] = "ratio",
    ) -> Figure:
        """A figure whose ``ok`` is computed from its ratio (or value) and target."""
        ratio = value / baseline if baseline else float("inf")
        judged_on = ratio if cible_sur == "ratio" else value
        ok = judged_on <= target if sens == "<=" else judged_on >= target
        return cls(
            name, value, unit, baseline, round(ratio, 4), target, ok, sens, cible_sur, description
        )


Measure = Callable[[], Iterable[Figure]]


def _best_of(func: Callable[[], object], repeat: int) -> float:
    """Shortest wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def memcpy_gb_s(size_mb: int = 256) -> float:
    """Memory copy bandwidth in GB/s: a yardstick of the machine's speed."""
    src = np.ones(size_mb * 1024 * 1024 // 8)
    dst = np.empty_like(src)
    seconds = _best_of(lambda: np.copyto(dst, src), repeat=5)
    return round(src.nbytes / seconds / 1e9, 2)


def machine_facts() -> dict[str, object]:
    """What a reader needs to compare two bench files."""
    versions = {}
    for dist in ("duckdb", "polars", "plotly", "streamlit", "geopandas", "shapely"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "absent"
    return {
        "cpu_count": os.cpu_count(),
        "memcpy_gb_s": memcpy_gb_s(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def measure_reference_build() -> Iterable[Figure]:
    """Cold build of the reference geography vs the floor of reading its inputs."""
    from etl import reference

    baseline = _best_of(reference.read_sources, repeat=1)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        reference.build_reference(force=True, out_dir=Path(tmp))
        cold = time.perf_counter() - start
    yield Figure.judged(
        "reference_build_s",
        round(cold, 2),
        "s",
        round(baseline, 2),
        target=8.0,
        sens="<=",
        description=(
            "Construction à froid de la géographie de référence, rapportée à la seule "
            "lecture de ses sources (décompression et analyse des fichiers)"
        ),
    )


def measure_resolver() -> Iterable[Figure]:
    """Territory resolutions per second on a realistic mix vs a bare dict lookup."""
    from etl import reference, territory

    ref = reference.load_reference()
    resolver = territory.TerritoryResolver.from_reference(ref)
    sample = territory.resolution_sample(ref, n=10_000, seed=2023)

    def resolve_all() -> None:
        for item in sample:
            resolver.resolve(**item)

    seconds = _best_of(resolve_all, repeat=3)
    index = {territory.normalise_place_name(n): n for n in ref.communes["nom"].to_list()}

    def lookup_all() -> None:
        for item in sample:
            index.get(territory.normalise_place_name(item.get("commune") or ""))

    floor = _best_of(lookup_all, repeat=3)
    per_s = len(sample) / seconds
    floor_per_s = len(sample) / floor
    yield Figure.judged(
        "resolver_per_s",
        round(per_s),
        "résolutions/s",
        round(floor_per_s),
        target=5000,
        sens=">=",
        cible_sur="valeur",
        description=(
            "Résolutions de territoire par seconde (10 000 saisies réalistes) ; référence : "
            "normalisation du nom et simple recherche dans un dictionnaire"
        ),
    )


MEASURES: dict[str, Measure] = {
    "reference": measure_reference_build,
    "resolver": measure_resolver,
}


def run_benchmarks(only: list[str] | None = None) -> Path:
    """Run every measure (or ``only`` those), write latest.json and a timestamped copy."""
    unknown = sorted(set(only or []) - set(MEASURES))
    if unknown:
        raise SystemExit(
            f"Mesure inconnue : {', '.join(unknown)}. Mesures connues : {', '.join(MEASURES)}."
        )
    figures: list[Figure] = []
    for name, measure in MEASURES.items():
        if only and name not in only:
            continue
        figures.extend(measure())
        print(f"  {name} : mesuré")
    now = datetime.now(UTC)
    payload = {
        "mesure_le": now.isoformat(timespec="seconds"),
        "machine": machine_facts(),
        "figures": [asdict(f) for f in figures],
    }
    out = paths.bench_dir()
    out.mkdir(parents=True, exist_ok=True)
    latest = out / "latest.json"
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    tmp = latest.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, latest)
    shutil.copyfile(latest, out / f"bench-{now:%Y%m%dT%H%M%SZ}.json")
    for f in figures:
        verdict = "OK" if f.ok else "HORS CIBLE"
        cible = f"{f.cible_sur} {f.sens} {f.target}"
        print(f"  {f.name} = {f.value} {f.unit} (ratio {f.ratio}, cible : {cible}) {verdict}")
    return latest

"""Fictitious, realistic, reproducible form exports (``trophees demo``, benchmarks).

Public API:

- :func:`generate_demo`: the demonstration files under ``paths.raw_dir() / "demo"``:
  ``2023/reponses-trophees-2023.csv`` (Google Forms CSV), ``2024/reponses-trophees-2024.xlsx``
  (Google Sheets download) and ``2023/reponses-trophees-2023-a-corriger.csv`` (a CSV
  re-saved by Excel with one injected problem per row, and its JSON manifest of expected
  problems, see ``etl.demo.dirty``);
- :func:`generate_export`: ``n`` submissions of any edition as CSV or XLSX (benchmarks);
- :func:`generate_dirty_export`: the dirty export of an edition and its manifest;
- :class:`DemoExport`: what was written.

Everything is fiction: territories are real communes drawn from the reference geography,
but structures, people, e-mails (``exemple.fr``, ``example.org``), phones (ranges ARCEP
reserves for fiction), SIRETs (SIREN starting 000) and figures are invented. The same
seed gives byte-identical files. Layout: ``synthetic_territory`` (where), ``_metrics``
(figures), ``_vocabulary`` and ``_text`` (words), ``_answers`` and ``_candidatures``
(rows), ``_writers`` (files), ``_dirty`` and ``_dirty_plan`` (the export to correct).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np

from etl import paths
from etl.demo import writers as ecr
from etl.demo.candidatures import candidatures
from etl.demo.dirty import write_dirty_export
from etl.demo.territory import TerritoryPools, territory_pools
from etl.editions import Edition, load_editions
from etl.reference import load_reference
from etl.rural import RuralThresholds

__all__ = [
    "DEMO_EDITIONS",
    "DemoExport",
    "date_de_telechargement",
    "generate_demo",
    "generate_dirty_export",
    "generate_export",
    "territory_pools_for",
]

Format = Literal["csv", "xlsx"]

DEMO_EDITIONS: dict[int, tuple[Format, tuple[int, int]]] = {
    2023: ("csv", (75, 105)),
    2024: ("xlsx", (60, 90)),
}
"""Demo files: edition → (format, range of the number of rows)."""

EDITION_SALE = 2023
"""Edition of the dirty demo export."""


@dataclass(frozen=True)
class DemoExport:
    """One generated export: its path, edition, format, number of data rows (header
    excluded), whether it is the dirty export, and for that one its JSON manifest."""

    path: Path
    edition: int
    format: Format
    lignes: int
    sale: bool
    attendus: Path | None


@lru_cache(maxsize=4)
def _pools(ref_dir: Path, seuils: RuralThresholds | None) -> TerritoryPools:
    return territory_pools(load_reference(ref_dir), seuils)


def territory_pools_for(edition: Edition) -> TerritoryPools:
    """The territory pools of the default reference, split by the edition's rural test."""
    return _pools(paths.reference_dir(), edition.eligibilite.rural)


def date_de_telechargement(edition: Edition) -> datetime:
    """When the organiser downloads the responses: the day after the deadline, 9:00 Paris
    time, as naive UTC (the workbook metadata convention); written into XLSX files so that
    they are reproducible."""
    fuseau = ZoneInfo(edition.calendrier.fuseau)
    lendemain = edition.calendrier.cloture.astimezone(fuseau) + timedelta(days=1)
    neuf_heures = lendemain.replace(hour=9, minute=0, second=0, microsecond=0)
    return neuf_heures.astimezone(UTC).replace(tzinfo=None)


def generate_export(
    edition: Edition, n: int, seed: int, path: Path, format: Format = "csv"
) -> DemoExport:
    """Write ``n`` fictitious submissions of ``edition`` (rows of the file, re-submissions
    and the duplicate included) to ``path`` as a Google Forms CSV or a Google Sheets XLSX.

    Vectorised: 100 000 rows take a few seconds as CSV. Same ``seed`` → same bytes.
    """
    if n < 1:
        raise ValueError("Le nombre de lignes doit être au moins 1.")
    rng = np.random.default_rng([seed, edition.annee])
    frame = candidatures(edition, n, rng, territory_pools_for(edition))
    if format == "csv":
        ecr.write_google_csv(frame, edition, path)
    else:
        ecr.write_google_xlsx(frame, edition, path, date_de_telechargement(edition))
    return DemoExport(path, edition.annee, format, frame.height, sale=False, attendus=None)


def generate_dirty_export(edition: Edition, seed: int, path: Path) -> DemoExport:
    """Write the dirty export of ``edition`` and its manifest (``<name>.attendus.json``)."""
    lignes, manifeste = write_dirty_export(edition, seed, path, territory_pools_for(edition))
    return DemoExport(path, edition.annee, "csv", lignes, sale=True, attendus=manifeste)


def generate_demo(out_dir: Path | None = None, seed: int = 2023) -> list[DemoExport]:
    """Write the three demo files under ``out_dir`` (default ``paths.raw_dir() / "demo"``)
    and return them; running it again with the same seed rewrites identical bytes."""
    dossier = out_dir if out_dir is not None else paths.raw_dir() / "demo"
    editions = load_editions()
    rng = np.random.default_rng([seed, 0])
    exports: list[DemoExport] = []
    for annee, (format_, (minimum, maximum)) in DEMO_EDITIONS.items():
        n = int(rng.integers(minimum, maximum + 1))
        chemin = dossier / str(annee) / f"reponses-trophees-{annee}.{format_}"
        exports.append(generate_export(editions[annee], n, seed, chemin, format_))
    sale = dossier / str(EDITION_SALE) / f"reponses-trophees-{EDITION_SALE}-a-corriger.csv"
    exports.append(generate_dirty_export(editions[EDITION_SALE], seed, sale))
    return exports

"""National (and clearly scoped regional) reference figures shown beside candidatures."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from etl import paths


@dataclass(frozen=True)
class NationalFigure:
    """One context figure: value with its unit, year, geographic scope and source."""

    code: str
    libelle: str
    valeur: float
    unite: Literal["h", "part"]
    annee: int
    portee: str
    source: str
    prefixe: str = ""


def national_figures(path: Path | None = None) -> dict[str, NationalFigure]:
    """The figures of ``config/references_nationales.toml``, by code."""
    source = path or paths.config_dir() / "references_nationales.toml"
    with source.open("rb") as handle:
        document = tomllib.load(handle)
    figures = [NationalFigure(**entry) for entry in document["reference"]]
    return {f.code: f for f in figures}

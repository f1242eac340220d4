"""National (and clearly scoped regional) reference figures shown beside candidatures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from etl import settings


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
    document = settings.national_references(path)
    return {r.code: NationalFigure(**r.model_dump()) for r in document.reference}

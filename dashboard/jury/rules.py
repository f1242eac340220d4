"""Jury rules of ``config/jury.toml``: conflict-of-interest hints and result alerts."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from etl import paths


@dataclass(frozen=True)
class ConflictRules:
    """Which resemblances between a juror and a candidature suggest a conflict."""

    meme_structure: bool = True
    meme_departement: bool = True
    meme_region: bool = False
    meme_reseau: bool = False


@dataclass(frozen=True)
class JuryRules:
    """Everything ``config/jury.toml`` sets (defaults when the file is absent)."""

    conflits: ConflictRules = ConflictRules()
    desaccord_part_echelle: float = 0.3
    preselection: int = 3


def rules_path() -> Path:
    """``config/jury.toml`` (``TROPHEES_CONFIG_DIR`` moves it)."""
    return paths.config_dir() / "jury.toml"


def load_rules(path: Path | None = None) -> JuryRules:
    """The jury rules; unknown keys are refused with a French message."""
    target = path or rules_path()
    if not target.exists():
        return JuryRules()
    document = tomllib.loads(target.read_text(encoding="utf-8"))
    conflits = document.get("conflits", {})
    resultats = document.get("resultats", {})
    known = set(ConflictRules.__dataclass_fields__)
    unknown = set(conflits) - known
    if unknown:
        raise ValueError(
            f"{target.name} : règle(s) de conflit inconnue(s) {sorted(unknown)} "
            f"(connues : {sorted(known)})."
        )
    part = float(resultats.get("desaccord_part_echelle", 0.3))
    if not 0 < part <= 1:
        raise ValueError(f"{target.name} : desaccord_part_echelle doit être entre 0 et 1.")
    return JuryRules(
        conflits=ConflictRules(**{k: bool(v) for k, v in conflits.items()}),
        desaccord_part_echelle=part,
        preselection=int(resultats.get("preselection", 3)),
    )

"""Jury rules of ``config/jury.toml``: conflict-of-interest hints and result alerts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from etl import paths, settings


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
    """The jury rules (defaults when the file is absent); a typo or a wrong type is refused
    with a French message naming the key (``etl.settings.ConfigError``)."""
    document = settings.jury_settings(path or rules_path())
    return JuryRules(
        conflits=ConflictRules(**document.conflits.model_dump()),
        desaccord_part_echelle=document.resultats.desaccord_part_echelle,
        preselection=document.resultats.preselection,
    )

"""``docs/performance.md`` from the latest bench run, so the page and the JSON agree.

``make bench`` ends with ``write_report()``: it copies ``data/bench/latest.json`` to
``docs/bench/latest.json`` (versioned) and rewrites the generated section of
``docs/performance.md`` (between the two markers) from it. A test renders that JSON again
and compares it with the page.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

from etl import paths
from etl.french import format_decimal

DEBUT = "<!-- mesures:debut (généré par make bench, ne pas modifier à la main) -->"
FIN = "<!-- mesures:fin -->"

REQUIRED = (
    # issue « Foundation »
    "reference_build_s",
    "resolver_per_s",
    # issue « ETL »
    "load_100k_ratio",
    "load_scaling_10k_100k",
    "load_100k_peak_mb",
    "load_scaling_1k_10k",
    # issue « Dashboard »
    "rerun_ratio_overview",
    "rerun_ratio_carte",
    "map_payload_departements_mb",
    "map_payload_regions_mb",
    "browser_map_ratio",
    # issue « Jury »
    "jury_lost_writes",
    "jury_write_p95_ms",
    # issue « Communication »
    "presse_card_s",
    "presse_kit_s",
    # issue « Operations »
    "charge_p95_s",
    "charge_erreurs",
    "charge_notes_perdues",
    "charge_memoire_mo",
    "sessions_50_memoire_mo",
    "echelle_vue_ensemble_froid_100k",
    "echelle_carte_froid_100k",
    "echelle_comparer_froid_100k",
    "echelle_fiche_froid_100k",
    # issue « Organiser's intake »
    "correspondance_100k_ratio",
    "televersement_essai_s",
    # issue « Security and faults »
    "connexion_sous_attaque_s",
    "rechargement_visible_s",
    # issue « Jury day »
    "seance_rerun_ratio",
    # issue « After the ceremony »
    "site_s",
    "lettres_s",
    # issue « Organiser's corrections »
    "correction_rechargement_ratio",
)
"""Figures every complete run must hold (the issues name them)."""


def doc_path() -> Path:
    return paths.ROOT / "docs" / "performance.md"


def versioned_json() -> Path:
    return paths.ROOT / "docs" / "bench" / "latest.json"


SENS = {"<=": "≤", ">=": "≥"}


def _nombre(x: float) -> str:
    if math.isnan(float(x)):
        return "—"
    if float(x).is_integer():
        return format_decimal(float(x), 0)
    decimales = 4 if abs(x) < 0.01 else (3 if abs(x) < 1 else 2)
    return format_decimal(float(x), decimales)


def render(payload: dict[str, Any]) -> str:
    """The generated section: machine facts, then one line per figure."""
    machine = payload.get("machine", {})
    versions = ", ".join(f"{k} {v}" for k, v in machine.get("versions", {}).items())
    lines = [
        DEBUT,
        "",
        f"Mesuré le {payload.get('mesure_le', '?')} (UTC) · {machine.get('cpu_count', '?')} "
        f"processeurs · copie mémoire {_nombre(machine.get('memcpy_gb_s', 0))} Go/s · "
        f"Python {machine.get('python', '?')} · {versions}",
        "",
        "| mesure | valeur | référence du même passage | rapport | cible | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for f in payload["figures"]:
        sur = "rapport" if f["cible_sur"] == "ratio" else "valeur"
        verdict = "atteinte" if f["ok"] else "**manquée**"
        if math.isnan(float(f["value"])):
            lines.append(f"| `{f['name']}` | non mesurée | — | — | — | **manquée** |")
            continue
        lines.append(
            f"| `{f['name']}` | {_nombre(f['value'])} {f['unit']} | {_nombre(f['baseline'])} "
            f"| {_nombre(f['ratio'])} | {sur} {SENS[f['sens']]} {_nombre(f['target'])} "
            f"| {verdict} |"
        )
    lines += ["", "Définitions :", ""]
    lines += [f"- `{f['name']}` : {f['description']}." for f in payload["figures"]]
    lines += ["", FIN]
    return "\n".join(lines)


def section(text: str) -> str:
    """The generated section of a performance page (markers included)."""
    start, end = text.index(DEBUT), text.index(FIN) + len(FIN)
    return text[start:end]


def write_report(
    latest: Path | None = None, doc: Path | None = None, versioned: Path | None = None
) -> Path:
    """Copy the latest run beside the docs and regenerate the page's section from it."""
    latest = latest or paths.bench_dir() / "latest.json"
    doc = doc or doc_path()
    versioned = versioned or versioned_json()
    payload = json.loads(latest.read_text(encoding="utf-8"))
    versioned.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(latest, versioned)
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace(section(text), render(payload)), encoding="utf-8")
    return doc

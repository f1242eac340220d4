"""The organiser's corrections as tables of a new warehouse, derived afresh at every build.

Every load (and ``trophees corrections appliquer``) applies the active corrections of the
store (``etl.corrections.store``, outside the warehouse) to the answers as read, edition
by edition (``etl.corrections.apply``), and writes three tables beside them:
``reponses_corrigees``, ``categories_corrigees`` and ``corrections`` (each active
correction with its state, « appliquee » or « a_revoir »). They are never carried over
from the previous warehouse: the raw answers are, and the corrections are applied to them
again, so a re-export that changed a corrected value puts the correction « à revoir ».

``digest`` says whether the corrections changed since a warehouse was built: a load of
files already loaded identically still rebuilds when they did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from etl import identity
from etl.corrections import store
from etl.corrections.apply import STATE_SCHEMA, apply
from etl.corrections.model import Correction
from etl.editions import Edition
from etl.reference import Reference

NAMES = ("reponses_corrigees", "categories_corrigees", "corrections")
"""Tables written by every build from the corrections (views read them)."""
DIGEST = "corrections_empreinte"
"""One-row table: the digest of the corrections the warehouse was built with."""
EXTRA_COLUMNS: dict[str, pl.DataType] = {
    "corrige": pl.Boolean(),
    "statut_correction": pl.String(),
    "fusionnee_dans": pl.String(),
}
CATEGORY_EXTRA: dict[str, pl.DataType] = {
    "eligible_calcule": pl.Boolean(),
    "decision_organisateur": pl.String(),
}


def active(path: Path | None = None) -> list[Correction]:
    """Every active correction of the store (none when it does not exist yet)."""
    target = path or store.default_path()
    if not target.exists():
        return []
    with store.connect(target) as con:
        return store.corrections(con)


def digest(corrections: list[Correction]) -> str:
    """SHA-256 of what the corrections say (a new, changed or undone one changes it)."""
    h = hashlib.sha256()
    for c in corrections:
        h.update(repr((c.id, c.nature, c.champ, c.categorie, c.valeur, c.valeur_saisie)).encode())
    return h.hexdigest()


def _with(frame: pl.DataFrame, columns: Mapping[str, pl.DataType]) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(None, dtype).alias(name) for name, dtype in columns.items() if name not in frame
    )


def corrected_tables(
    tables: Mapping[str, pl.DataFrame],
    corrections: list[Correction],
    editions: Mapping[int, Edition],
    reference: Reference,
) -> dict[str, pl.DataFrame]:
    """The three tables of the corrections applied to ``tables`` (see module docstring),
    plus the digest table."""
    reponses = tables["reponses"].filter(pl.col("statut_version") == identity.Statut.COURANTE.value)
    categories = tables["categories_reponses"].filter(
        pl.col("statut_version") == identity.Statut.COURANTE.value
    )
    rows: list[pl.DataFrame] = []
    cats: list[pl.DataFrame] = []
    states: list[pl.DataFrame] = []
    for year in sorted({c.edition for c in corrections}):
        edition = editions.get(year)
        mine = [c for c in corrections if c.edition == year]
        if edition is None:
            continue
        current = reponses.filter(pl.col("edition") == year)
        done = apply(
            current, categories.filter(pl.col("edition") == year), mine, edition, reference
        )
        rows.append(_with(done.reponses, EXTRA_COLUMNS))
        cats.append(_with(done.categories, CATEGORY_EXTRA))
        states.append(done.state)
    empty_rows = _with(reponses.clear(), EXTRA_COLUMNS)
    empty_cats = _with(categories.clear(), CATEGORY_EXTRA)
    return {
        "reponses_corrigees": pl.concat([empty_rows, *rows], how="diagonal_relaxed"),
        "categories_corrigees": pl.concat([empty_cats, *cats], how="diagonal_relaxed"),
        "corrections": pl.concat(
            [pl.DataFrame(schema=STATE_SCHEMA), *states], how="vertical_relaxed"
        ),
        DIGEST: pl.DataFrame({"empreinte": [digest(corrections)]}),
    }

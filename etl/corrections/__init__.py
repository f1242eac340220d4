"""The organiser's corrections: settle flagged data once, keep it across reloads.

Six kinds (:class:`~etl.corrections.model.Kind`): set a territory, override a value,
exclude a value from totals, decide eligibility for a prize, merge two candidatures,
withdraw a candidature. Each targets a stable candidature id and says why; it is stored
outside the warehouse (:mod:`etl.corrections.store`, SQLite) and applied by every load
(:mod:`etl.corrections.apply`), from the console or the app. A correction whose target
is gone, or whose typed value changed since it was made, is listed « à revoir » instead
of being applied to something else.

:func:`prepare` turns what someone asks into a checked correction, reading the current
warehouse for the value the export holds (``valeur_saisie``).
"""

from __future__ import annotations

import dataclasses

import duckdb

from etl.corrections.model import (
    TERRITORY_FIELD,
    Correction,
    CorrectionInvalide,
    Decision,
    Kind,
    check,
)
from etl.editions.model import Edition

__all__ = [
    "TERRITORY_FIELD",
    "Correction",
    "CorrectionInvalide",
    "Decision",
    "Kind",
    "prepare",
    "typed_value",
]


def typed_value(
    con: duckdb.DuckDBPyConnection, edition: int, candidature_id: str, field: str
) -> str | None:
    """The value the export holds for ``field`` of a current candidature, as text (None
    when empty; the table ``reponses`` keeps the values as read, before any correction);
    :class:`CorrectionInvalide` when there is no such candidature."""
    rows = con.sql(
        "select * from reponses where edition = ? and candidature_id = ? "
        "and statut_version = 'courante'",
        params=[edition, candidature_id],
    ).pl()
    if rows.height == 0:
        raise CorrectionInvalide(
            f"Aucune candidature {candidature_id} dans l'édition {edition} de l'entrepôt."
        )
    if field not in rows.columns:
        return None
    value = rows[field][0]
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def prepare(correction: Correction, edition: Edition, con: duckdb.DuckDBPyConnection) -> Correction:
    """``correction`` checked against the edition and the warehouse, with the value the
    export holds recorded as ``valeur_saisie`` (what a reload compares against)."""
    checked = check(correction, edition)
    field = {
        Kind.VALEUR: checked.champ,
        Kind.EXCLUSION: checked.champ,
        Kind.TERRITOIRE: TERRITORY_FIELD,
    }.get(checked.nature)
    saisie = typed_value(con, checked.edition, checked.candidature_id, field or "candidature_id")
    if checked.nature is Kind.FUSION:
        typed_value(con, checked.edition, checked.valeur or "", "candidature_id")
    return dataclasses.replace(checked, valeur_saisie=saisie if field else None)

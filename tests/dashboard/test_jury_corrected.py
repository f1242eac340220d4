"""Which corrections reach the jury after scoring began (dashboard/jury/corrected.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from dashboard.jury.corrected import after_scoring, describe

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def at(hour: int) -> datetime:
    return T0.replace(hour=hour)


def corrections(*rows: tuple[int, str, str, str | None, str, int]) -> pl.DataFrame:
    """(number, candidature, kind, field, state, hour made)."""
    return pl.DataFrame(
        {
            "correction_id": [r[0] for r in rows],
            "edition": [2024] * len(rows),
            "candidature_id": [r[1] for r in rows],
            "nature": [r[2] for r in rows],
            "champ": [r[3] for r in rows],
            "categorie": [None] * len(rows),
            "valeur": ["93066"] * len(rows),
            "motif": ["motif"] * len(rows),
            "cree_le": [at(r[5]) for r in rows],
            "etat": [r[4] for r in rows],
        },
        schema_overrides={"champ": pl.String, "categorie": pl.String},
    )


NOTES = pl.DataFrame(
    {
        "candidature_id": ["A", "A", "B", "C"],
        "jure": ["j1", "j2", "j1", "j1"],
        "categorie_code": ["COMM"] * 4,
        "statut": ["soumise", "brouillon", "soumise", "soumise"],
        "modifiee_le": [at(10), at(15), at(10), at(10)],
        "soumise_le": [at(10), None, at(10), at(10)],
    }
)


def test_only_scores_started_before_a_jury_relevant_applied_correction_are_flagged() -> None:
    made = corrections(
        (1, "A", "territoire", None, "appliquee", 12),  # j1 scored at 10: flagged
        (2, "B", "valeur", "heures_insertion", "appliquee", 12),  # a figure: not for the jury
        (3, "B", "valeur", "categories", "appliquee", 12),  # the prizes applied for: flagged
        (4, "C", "eligibilite", None, "a_revoir", 12),  # not applied: nothing changed
        (5, "C", "retrait", None, "appliquee", 8),  # before the score: it was seen
    )
    found = after_scoring(made, NOTES)
    assert found.select("correction_id", "jure").rows() == [(1, "j1"), (3, "j1")]
    assert found["statut"].to_list() == ["soumise", "soumise"]


def test_nothing_to_flag_without_corrections_or_scores() -> None:
    assert after_scoring(corrections(), NOTES).is_empty()
    made = corrections((1, "A", "territoire", None, "appliquee", 12))
    assert after_scoring(made, NOTES.clear()).is_empty()


def test_a_correction_is_described_by_names() -> None:
    row = {"nature": "territoire", "valeur": "93066", "categorie": None}
    assert describe(row, {}, {}, {"93066": "Saint-Denis (93)"}) == (
        "territoire fixé : Saint-Denis (93)"
    )
    row = {"nature": "eligibilite", "valeur": "refusee", "categorie": "COMM"}
    assert describe(row, {"COMM": "Prix 2"}, {}, {}) == "éligibilité au Prix 2 décidée : refusée"
    row = {"nature": "fusion", "valeur": "2024-b", "categorie": None}
    assert (
        describe(row, {}, {"2024-b": "Maison — Projet"}, {}) == "fusionnée dans « Maison — Projet »"
    )

"""A correction proposed on « Qualité des données », handed to « Corrections ».

Clicking a flagged row's « Ouvrir cette correction » stores a :class:`Proposee` in the
session under :data:`PROPOSEE` and opens « Corrections », which takes it once and fills
its form: edition, kind, candidature, field, the commune search. Nothing is recorded
until the organiser writes a reason and saves.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.corrections import Kind

PROPOSEE = "corrections_proposee"
"""Session key of the proposal waiting for « Corrections »."""


@dataclass(frozen=True)
class Proposee:
    edition: int
    candidature_id: str
    nature: Kind
    champ: str | None = None
    recherche: str | None = None

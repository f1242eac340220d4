"""Every state and kind the deliberation store records, with its French label.

The values are the strings stored in ``data/deliberations.duckdb`` (the data contract:
they never change); ``label`` is what a person reads. Code compares members, never bare
strings, and pages show ``label``, never the value (``mise_en_avant`` is a code,
« mise en avant » is French).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Labelled(StrEnum):
    """A stored code with the French label people read."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def label_of(cls, value: str | None, default: str = "") -> str:
        """The label of a stored value (``default`` for None or an unknown value)."""
        member = cls._value2member_map_.get(value) if value is not None else None
        return member.label if isinstance(member, Labelled) else default


class ScoreStatus(Labelled):
    """``notes.statut``: a draft, or a submitted (locked) score."""

    BROUILLON = "brouillon", "brouillon"
    SOUMISE = "soumise", "envoyée"


class QueueState(Labelled):
    """A juror's queue item (``scoring.queue`` column ``etat``)."""

    A_NOTER = "à noter", "À noter"
    BROUILLON = "brouillon", "Brouillon"
    ENVOYEE = "envoyée", "Envoyée"
    ABSTENTION = "abstention", "Abstention (envoyée)"

    @property
    def done(self) -> bool:
        """Counts as done in « 12 / 30 » (sent, or abstained)."""
        return self in (QueueState.ENVOYEE, QueueState.ABSTENTION)


DONE_STATES = tuple(s.value for s in QueueState if s.done)
"""Queue states that count as done, as stored strings (for polars filters)."""
TODO_STATES = tuple(s.value for s in QueueState if not s.done)


class ConflictOrigin(Labelled):
    """``conflits.origine``: who raised the conflict."""

    DECLARATION = "declaration", "déclaré par le juré"
    SUGGESTION = "suggestion", "suggéré par les règles"


class ConflictStatus(Labelled):
    """``conflits.statut``: what an admin decided."""

    EN_ATTENTE = "en_attente", "en attente"
    CONFIRME = "confirme", "récusation confirmée"
    REJETE = "rejete", "écarté"


class Decision(Labelled):
    """``selections.niveau``: what the jury decided for a candidature of a prize.

    ``LAUREAT`` takes one of the prize's ``laureats_max`` places; ``EX_AEQUO`` shares the
    prize with a laureate (only where the edition allows it, see ``Category.ex_aequo``);
    ``MENTION`` is a special mention (at most ``Category.mentions_max``).
    """

    PRESELECTION = "preselection", "présélectionnée"
    LAUREAT = "laureat", "lauréate"
    EX_AEQUO = "ex_aequo", "lauréate ex æquo"
    MENTION = "mention", "mention du jury"

    @property
    def crowned(self) -> bool:
        """A laureate of the prize (alone or ex æquo)."""
        return self in (Decision.LAUREAT, Decision.EX_AEQUO)


class AuditAction(Labelled):
    """``journal.action``: every action the audit log knows."""

    NOTE = "note", "note envoyée"
    REOUVERTURE = "reouverture", "réouverture d'une note"
    RECUSATION = "recusation", "récusation"
    CONFLIT = "conflit", "conflit d'intérêts"
    AFFECTATION = "affectation", "affectation"
    DECISION = "decision", "décision"
    NOTE_DELIBERATION = "note_deliberation", "note de délibération"
    EXPORT = "export", "export"
    SAUVEGARDE = "sauvegarde", "sauvegarde"
    CONSULTATION_CONTACTS = "consultation_contacts", "consultation des contacts"
    CONNEXION = "connexion", "connexion"
    MISE_EN_AVANT = "mise_en_avant", "mise en avant"
    PARTAGE_COMMENTAIRE = "partage_commentaire", "partage d'un commentaire"
    LETTRES = "lettres", "lettres aux candidats"
    PROCES_VERBAL = "proces_verbal", "procès-verbal"
    PRESENCE = "presence", "présences à la séance"
    TELEVERSEMENT = "televersement", "export déposé"
    CHARGEMENT = "chargement", "chargement d'un export"


class HighlightKind(Labelled):
    """``mises_en_avant.type``: what the communication team puts forward."""

    COUP_DE_COEUR = "coup_de_coeur", "Coup de cœur"
    CHIFFRE_MARQUANT = "chiffre_marquant", "Chiffre marquant"
    CITATION = "citation", "Citation"

"""What an edition of the awards is, once its TOML file is loaded and validated.

Frozen dataclasses whose attribute names are the TOML keys (see ``docs/editions.md``), plus
the header/answer normalisation the ETL uses to match a form export against them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from etl.editions.summary import edition_summary_fr
from etl.french import fold_accents
from etl.rural import RuralThresholds

FieldType = Literal[
    "texte",
    "entier",
    "decimal",
    "pourcentage",
    "booleen",
    "choix",
    "choix_multiples",
    "horodatage",
    "email",
    "telephone",
    "siret",
    "code_postal",
    "commune",
    "departement",
]
FIELD_TYPES: tuple[FieldType, ...] = (
    "texte",
    "entier",
    "decimal",
    "pourcentage",
    "booleen",
    "choix",
    "choix_multiples",
    "horodatage",
    "email",
    "telephone",
    "siret",
    "code_postal",
    "commune",
    "departement",
)
NUMERIC_TYPES: frozenset[str] = frozenset({"entier", "decimal", "pourcentage"})
CHOICE_TYPES: frozenset[str] = frozenset({"choix", "choix_multiples", "booleen"})
CATEGORIES_VOCABULARY = "categories"
"""Reserved vocabulary name: built from the edition's categories, not written by hand."""
AUTRE = "autre"
"""Code of a vocabulary's open answer: Google Forms writes « Autre : <texte> » when
« Autre » is ticked; such an answer is read as this code, its text kept beside it."""
ESSENTIAL_FIELDS = ("horodateur", "structure_nom", "projet_titre", "categories")
"""Fields every edition declares and requires: a candidature's identity (who, what, when)
and its prizes rest on them; no edition file nor mapping makes them optional."""
AUTRE_SUFFIX = "_autre"
"""Suffix of the column holding the free text of a field's « Autre : … » answers."""

_NOT_ALNUM = re.compile(r"[\W_]+")
_OPEN_ANSWER = re.compile(r"^(?P<tete>[^:\-–—]+?)\s*[:\-–—]\s*(?P<texte>\S.*)$", re.S)


@lru_cache(maxsize=65536)
def normalise_header(text: str) -> str:
    """The matching key of a form header or answer: case, accents, spaces, punctuation off.

    ``« Nombre d'heures d'insertion réalisées (total) »`` → ``nombre d heures d insertion
    realisees total``. Two texts match when their keys are equal.
    """
    bare = fold_accents(text).casefold()
    return _NOT_ALNUM.sub(" ", bare).strip()


@dataclass(frozen=True)
class Calendar:
    """Key dates of an edition, timezone-aware in ``fuseau`` (Europe/Paris).

    A date without time in the file means 00:00 that day; the deadline always has a time.
    ``lancement`` and ``jury`` may be unknown (``None``).
    """

    fuseau: str
    cloture: datetime
    ceremonie: datetime
    lancement: datetime | None = None
    jury: datetime | None = None
    ceremonie_lieu: str | None = None

    def after_deadline(self, horodatage: datetime) -> bool:
        """Whether a submission is « hors délai »; a naive time is read in ``fuseau``."""
        if horodatage.tzinfo is None:
            horodatage = horodatage.replace(tzinfo=ZoneInfo(self.fuseau))
        return horodatage > self.cloture

    @property
    def answers_window(self) -> tuple[datetime, datetime]:
        """When an answer to this edition's form can have been sent: from six months before
        the deadline (or a month before the launch, if earlier: forms are tested) to a
        month after the ceremony (late answers are kept, flagged « hors délai »).
        Answers of another year fall outside."""
        debut = self.cloture - timedelta(days=183)
        if self.lancement is not None:
            debut = min(debut, self.lancement - timedelta(days=31))
        return debut, self.ceremonie + timedelta(days=31)


@dataclass(frozen=True)
class Criterion:
    """One jury criterion: integer note from ``note_min`` to ``note_max``, weight in %."""

    code: str
    libelle: str
    poids: int
    note_min: int
    note_max: int


@dataclass(frozen=True)
class Category:
    """One prize of an edition. ``suite_de``: codes it continues in the previous edition."""

    code: str
    numero: int
    libelle: str
    description: str
    laureats_max: int
    criteres: tuple[Criterion, ...]
    prix_rural: bool = False
    ex_aequo: bool = False
    """Whether the jury may crown a second laureate ex æquo beyond ``laureats_max``."""
    mentions_max: int = 0
    """Special mentions of the jury the prize allows (0: none)."""
    suite_de: tuple[str, ...] = ()
    reponses: tuple[str, ...] = ()

    @property
    def accepted_answers(self) -> tuple[str, ...]:
        """Form answers meaning this category: label, « N. label », then ``reponses``."""
        return (self.libelle, f"{self.numero}. {self.libelle}", *self.reponses)


@dataclass(frozen=True)
class VocabularyValue:
    """A canonical answer (``code``), its display label and the other accepted answers."""

    code: str
    libelle: str
    reponses: tuple[str, ...] = ()

    @property
    def accepted_answers(self) -> tuple[str, ...]:
        """Every text meaning this value: its code, its label and ``reponses``."""
        return (self.code, self.libelle, *self.reponses)


@dataclass(frozen=True)
class MultipleChoice:
    """A parsed « choix multiples » answer: recognised codes, unrecognised fragments and
    the free text of an « Autre : … » answer."""

    codes: tuple[str, ...]
    inconnus: tuple[str, ...]
    autre: str | None = None


@dataclass(frozen=True)
class Choice:
    """A parsed single-choice answer: its code (None if unknown) and « Autre » text."""

    code: str | None
    autre: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    """The accepted answers of a choice field, each mapped to a canonical code."""

    nom: str
    valeurs: tuple[VocabularyValue, ...]
    _index: Mapping[str, str] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {normalise_header(a): v.code for v in self.valeurs for a in v.accepted_answers}
        object.__setattr__(self, "_index", index)

    @property
    def codes(self) -> tuple[str, ...]:
        """Canonical codes in file order."""
        return tuple(v.code for v in self.valeurs)

    def code_for(self, answer: str) -> str | None:
        """The canonical code of a single answer, or ``None`` when not recognised."""
        return self._index.get(normalise_header(answer))

    @property
    def open(self) -> bool:
        """Whether the vocabulary has an « Autre » value (code :data:`AUTRE`)."""
        return AUTRE in self.codes

    def open_answer(self, answer: str) -> str | None:
        """The free text of « Autre : <texte> » (also « Autre - <texte> »), when the
        vocabulary is :attr:`open` and the part before the colon means « Autre »."""
        if not self.open:
            return None
        forme = _OPEN_ANSWER.match(answer.strip())
        if forme is None or self.code_for(forme["tete"]) != AUTRE:
            return None
        return " ".join(forme["texte"].split())

    def choice_for(self, answer: str) -> Choice:
        """A single answer read: a known answer, else an « Autre : … » one, else unknown."""
        code = self.code_for(answer)
        if code is not None:
            return Choice(code)
        texte = self.open_answer(answer)
        return Choice(AUTRE, texte) if texte is not None else Choice(None)

    def codes_for(self, answer: str, separateur: str = ", ") -> MultipleChoice:
        """Parse a Google Forms multiple answer joined by ``separateur``.

        Labels may contain the separator (« (QPV, senior, femmes) »), so pieces are
        re-joined greedily: at each position the longest run of pieces forming a known
        answer wins; a piece « Autre : texte » takes the following pieces into its text
        until one starts a known answer; any other piece is reported in ``inconnus``.
        """
        pieces = answer.split(separateur) if answer.strip() else []
        codes: list[str] = []
        inconnus: list[str] = []
        autres: list[str] = []
        i = 0
        while i < len(pieces):
            j = self._known_run(pieces, i, separateur)
            if j is not None:
                code = self.code_for(separateur.join(pieces[i:j]))
                if code is not None and code not in codes:
                    codes.append(code)
                i = j
                continue
            texte = self.open_answer(pieces[i])
            if texte is None:
                if pieces[i].strip():
                    inconnus.append(pieces[i].strip())
                i += 1
                continue
            i += 1
            while i < len(pieces) and self._known_run(pieces, i, separateur) is None:
                texte = f"{texte}{separateur}{pieces[i].strip()}"
                i += 1
            if AUTRE not in codes:
                codes.append(AUTRE)
            autres.append(texte)
        return MultipleChoice(tuple(codes), tuple(inconnus), separateur.join(autres) or None)

    def _known_run(self, pieces: list[str], i: int, separateur: str) -> int | None:
        """End of the longest run of pieces from ``i`` forming a known answer, if any."""
        for j in range(len(pieces), i, -1):
            if self.code_for(separateur.join(pieces[i:j])) is not None:
                return j
        return None


@dataclass(frozen=True)
class FormField:
    """A canonical field of the form export and how to recognise and read it.

    ``alias``: header wordings seen in exports (the field name is accepted too);
    ``unite``: unit of a numeric answer (h, personnes, marchés…); ``au_plus``: another
    field this one may not exceed; ``composante_de``: total this field is a part of
    (parts sum to the total when all are given).
    """

    nom: str
    libelle: str
    type: FieldType
    alias: tuple[str, ...]
    obligatoire: bool = False
    unite: str | None = None
    donnee_personnelle: bool = False
    vocabulaire: str | None = None
    au_plus: str | None = None
    composante_de: str | None = None

    @property
    def accepted_headers(self) -> tuple[str, ...]:
        """Every header meaning this field: its canonical name, then its aliases."""
        return (self.nom, *self.alias)


@dataclass(frozen=True)
class EligibilityRules:
    """Who may apply: structure types, guichet competence, network, project status, rural."""

    types_structure_admis: tuple[str, ...]
    competence_guichet_requise: bool
    reseau_un_parmi: tuple[str, ...]
    statuts_projet_acceptes: tuple[str, ...]
    rural: RuralThresholds | None = None
    rural_texte_appel: str | None = None


@dataclass(frozen=True)
class Edition:
    """One edition of the awards, as configured in ``config/editions/<annee>.toml``."""

    annee: int
    numero: int
    nom: str
    source_fichier: Path
    calendrier: Calendar
    categories: tuple[Category, ...]
    eligibilite: EligibilityRules
    champs: tuple[FormField, ...]
    vocabulaires: tuple[Vocabulary, ...]
    separateur_choix_multiples: str = ", "
    organisateur: str | None = None
    source: str | None = None
    precedente: int | None = None
    herite_de: int | None = None
    colonnes: tuple[tuple[str, str], ...] = ()
    """Columns assigned by a mapping file: (header as written, field), ``""`` = ignored;
    they win over the aliases."""
    _headers: Mapping[str, str] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {normalise_header(h): f.nom for f in self.champs for h in f.accepted_headers}
        index.update({normalise_header(h): nom for h, nom in self.colonnes})
        object.__setattr__(self, "_headers", index)

    def category(self, code: str) -> Category:
        """The category with this code (``KeyError`` if none)."""
        for categorie in self.categories:
            if categorie.code == code:
                return categorie
        raise KeyError(code)

    def field(self, nom: str) -> FormField:
        """The canonical form field with this name (``KeyError`` if none)."""
        for champ in self.champs:
            if champ.nom == nom:
                return champ
        raise KeyError(nom)

    def vocabulary(self, nom: str) -> Vocabulary:
        """A choice vocabulary by name (``KeyError`` if none)."""
        for vocabulaire in self.vocabulaires:
            if vocabulaire.nom == nom:
                return vocabulaire
        raise KeyError(nom)

    @property
    def header_index(self) -> Mapping[str, str]:
        """Normalised header (see :func:`normalise_header`) → canonical field name."""
        return self._headers

    def match_header(self, header: str) -> FormField | None:
        """The canonical field a form header stands for, or ``None``."""
        nom = self._headers.get(normalise_header(header))
        return None if not nom else self.field(nom)

    def ignores(self, header: str) -> bool:
        """Whether a mapping file said to leave this column out."""
        return self._headers.get(normalise_header(header)) == ""

    @property
    def open_choice_fields(self) -> tuple[str, ...]:
        """Choice fields whose vocabulary has an « Autre » value: each has a text column
        ``<nom>_autre`` (:data:`AUTRE_SUFFIX`) for the text of « Autre : … » answers."""
        return tuple(
            f.nom
            for f in self.champs
            if f.type in ("choix", "choix_multiples")
            and f.vocabulaire is not None
            and self.vocabulary(f.vocabulaire).open
        )

    @property
    def champs_personnels(self) -> tuple[str, ...]:
        """Names of fields holding personal data (never shown in communication outputs)."""
        return tuple(f.nom for f in self.champs if f.donnee_personnelle)

    @property
    def rural_categories(self) -> tuple[str, ...]:
        """Codes of the categories that require the rural test."""
        return tuple(c.code for c in self.categories if c.prix_rural)

    def summary_fr(self) -> str:
        """A French multi-line summary of the edition (printed by ``trophees editions``)."""
        return edition_summary_fr(self)

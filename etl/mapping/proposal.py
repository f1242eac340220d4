"""A proposed mapping: each column of an export matched to a field of the edition.

For every (column, field) pair a confidence from 0 to 1 combines:

- the question: 1 when it is one of the field's known wordings (its name, ``alias``, or a
  column a mapping file assigned), else the similarity of the words
  (``etl.mapping.similarity``) to the closest of its wordings and its label;
- the answers: how well they read as that field (``etl.mapping.shapes``): timestamps,
  numbers, postcodes, département codes, the edition's categories, a vocabulary's answers…
  A column whose answers do not fit loses up to a third of its confidence.

Columns are then given fields greedily, surest pair first, one column per field; a column
whose best remaining pair is below :data:`MIN_CONFIDENCE` stays unmatched (ignored by the
load, with a warning). Answers of choice columns that no vocabulary entry recognises are
listed with the closest entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl import normalise as nz
from etl.editions import Edition, FormField, normalise_header
from etl.mapping import shapes
from etl.mapping.similarity import Scorer, Weights, closest_answer, words
from etl.reading import COLONNE_LIGNE, MO, RawExport, read_columns, read_export

MIN_CONFIDENCE = 0.5
"""Below this confidence a column is left unmatched rather than guessed."""
SHAPE_WEIGHT = 1 / 3
"""Share of the confidence the answers can take away when they do not fit the field."""
SHAPE_ROWS = 500
"""Lines whose answers are sampled to judge a column's shape (the first ones)."""


@dataclass(frozen=True)
class Candidate:
    """A field and the confidence that a column holds it."""

    champ: str
    confiance: float


@dataclass(frozen=True)
class ColumnProposal:
    """One column of the export and the field proposed for it (None: left out)."""

    colonne: str
    exemples: tuple[str, ...]
    champ: str | None
    confiance: float
    raison: str
    """Why, in French: « intitulé connu », « intitulé proche », « aucun champ reconnu »…"""
    second: Candidate | None
    """The runner-up field, for a person to check."""


@dataclass(frozen=True)
class UnknownAnswer:
    """An answer of a choice column that the field's vocabulary does not recognise."""

    champ: str
    vocabulaire: str
    reponse: str
    lignes: int
    proche: str | None
    """Code of the closest vocabulary entry."""
    score: float


@dataclass(frozen=True)
class Proposal:
    """What ``trophees correspondance proposer`` (and the app's upload) propose."""

    edition: int
    fichier: str
    entetes: str
    """Signature of the export's headers (:func:`header_signature`)."""
    colonnes: tuple[ColumnProposal, ...]
    reponses_inconnues: tuple[UnknownAnswer, ...]
    manquants: tuple[str, ...]
    """Required fields no column was matched to (the load would refuse the file)."""

    def assignments(self) -> dict[str, str]:
        """Column → field (``""`` for a column left out), in the file's order."""
        return {c.colonne: c.champ or "" for c in self.colonnes}


def header_signature(headers: list[str]) -> str:
    """A short fingerprint of an export's questions (their normalised wording, in order):
    a file with the same questions gets the mapping saved for the previous one."""
    text = "\n".join(normalise_header(h) for h in headers if h != COLONNE_LIGNE)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _wordings(champ: FormField) -> list[str]:
    return [champ.nom.replace("_", " "), champ.libelle, *champ.alias]


REQUIRED_FIRST = 0.05
"""Lead a required field gets over an optional one when columns are given out."""
DISTINCTIVE = 0.9
"""A column's answers fit at least this well only one or two fields: they say which."""
NAME_EVIDENCE = 0.3
"""The question must say at least this much of a field for its answers to confirm it."""


def _scores(
    header: str,
    fitted: dict[str, float],
    edition: Edition,
    scorer: Scorer,
) -> dict[str, tuple[float, str]]:
    """Field → (confidence, reason) for one column."""
    exact = edition.match_header(header)
    assigned = {normalise_header(h) for h, _ in edition.colonnes}
    # free text fits any text field: only the other kinds of answers can be distinctive
    typed = [c.nom for c in edition.champs if c.type not in ("texte", "commune")]
    distinctive = sum(fitted[n] >= DISTINCTIVE for n in typed) <= 2
    scores: dict[str, tuple[float, str]] = {}
    for champ in edition.champs:
        if exact is not None and exact.nom == champ.nom:
            reason = (
                "affectée par la correspondance"
                if normalise_header(header) in assigned
                else "intitulé connu"
            )
            scores[champ.nom] = (1.0, reason)
            continue
        name = max(scorer.similarity(header, w) for w in _wordings(champ))
        fit = fitted[champ.nom]
        confidence = name * (1 - SHAPE_WEIGHT * (1 - fit))
        if distinctive and fit >= DISTINCTIVE and champ.nom in typed and name >= NAME_EVIDENCE:
            # answers only this kind of field takes (timestamps, a vocabulary…) confirm a
            # question that says a little of it
            confidence += (1 - confidence) * fit / 2
            reason = "intitulé proche, réponses caractéristiques"
        elif name >= 1:
            reason = "intitulé équivalent (mêmes mots)"
        elif fit >= 0.8:
            reason = "intitulé proche"
        else:
            reason = "intitulé proche, réponses peu conformes"
        scores[champ.nom] = (confidence, reason)
    return scores


def propose_file(
    path: Path, edition: Edition, *, sheet: str | None = None, max_bytes: int = 20 * MO
) -> Proposal:
    """The proposed mapping of an export file: its first lines decide the columns, then
    only the choice columns of the whole file are read, for their unknown answers (a
    100 000-line CSV costs less than reading it whole, see ``docs/performance.md``)."""
    raw = read_export(path, sheet=sheet, max_bytes=max_bytes, lignes_max=SHAPE_ROWS)
    if raw.lignes_lues < SHAPE_ROWS:
        return propose(raw, edition)
    return propose(
        raw, edition, lambda cols: read_columns(path, cols, sheet=sheet, max_bytes=max_bytes)
    )


def propose(
    raw: RawExport,
    edition: Edition,
    answers: Callable[[list[str]], pl.DataFrame] | None = None,
) -> Proposal:
    """The proposed mapping of an export read by ``etl.reading.read_export``: whole, or
    its first lines with ``answers`` giving the whole file's given columns.

    ``edition`` may already carry a mapping file (``etl.mapping.load_edition_with_mapping``):
    its assigned and ignored columns are then kept as they are.
    """
    headers = [h for h in raw.frame.columns if h != COLONNE_LIGNE]
    chosen, scores, shape_of = match_columns(raw.frame.head(SHAPE_ROWS), edition)
    colonnes = tuple(_column(h, shape_of[h], chosen.get(h), scores[h], edition) for h in headers)
    manquants = tuple(
        f.nom for f in edition.champs if f.obligatoire and f.nom not in chosen.values()
    )
    return Proposal(
        edition=edition.annee,
        fichier=raw.fichier,
        entetes=header_signature(headers),
        colonnes=colonnes,
        reponses_inconnues=unknown_answers(
            raw.frame if answers is None else answers(_choice_headers(chosen, edition)),
            chosen,
            edition,
        ),
        manquants=manquants,
    )


def match_columns(
    frame: pl.DataFrame, edition: Edition
) -> tuple[dict[str, str], dict[str, dict[str, tuple[float, str]]], dict[str, shapes.Shape]]:
    """Column → field chosen, every (column, field) confidence, and each column's shape."""
    headers = [h for h in frame.columns if h != COLONNE_LIGNE]
    weights = Weights.of([w for text in _wordings(c) for w in words(text)] for c in edition.champs)
    scorer = Scorer(headers, [w for c in edition.champs for w in _wordings(c)], weights)
    shape_of = shapes.column_shapes(frame, headers)
    fitted = shapes.fits(shape_of, edition)
    scores = {h: _scores(h, fitted[h], edition, scorer) for h in headers}
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    required = {c.nom for c in edition.champs if c.obligatoire}
    pairs = sorted(
        ((s[0], h, nom) for h in headers for nom, s in scores[h].items()),
        # about as likely: the required field first (one left without a column refuses
        # the whole file, an optional one only leaves its answers out)
        key=lambda p: (-(p[0] + REQUIRED_FIRST * (p[2] in required)), headers.index(p[1])),
    )
    for confidence, header, nom in pairs:
        if confidence < MIN_CONFIDENCE:
            break
        if header in chosen or nom in taken or edition.ignores(header):
            continue
        chosen[header] = nom
        taken.add(nom)
    return chosen, scores, shape_of


def _choice_headers(chosen: dict[str, str], edition: Edition) -> list[str]:
    """The columns whose every answer is checked against a vocabulary."""
    return [
        h for h, nom in chosen.items() if edition.field(nom).type in ("choix", "choix_multiples")
    ]


def _column(
    header: str,
    shape: shapes.Shape,
    champ: str | None,
    scores: dict[str, tuple[float, str]],
    edition: Edition,
) -> ColumnProposal:
    ranked = sorted(scores.items(), key=lambda kv: -kv[1][0])
    others = [(n, s) for n, s in ranked if n != champ]
    second = Candidate(others[0][0], round(others[0][1][0], 2)) if others else None
    if champ is not None:
        confidence, reason = scores[champ]
        return ColumnProposal(header, shape.exemples, champ, round(confidence, 2), reason, second)
    reason = "ignorée par la correspondance" if edition.ignores(header) else "aucun champ reconnu"
    return ColumnProposal(header, shape.exemples, None, 0.0, reason, second)


def unknown_answers(
    frame: pl.DataFrame, chosen: dict[str, str], edition: Edition
) -> tuple[UnknownAnswer, ...]:
    """Answers of the choice columns (whole file) that no vocabulary entry recognises."""
    found: list[UnknownAnswer] = []
    for header, nom in chosen.items():
        champ = edition.field(nom)
        if header not in frame.columns:
            continue
        if champ.vocabulaire is None or champ.type not in ("choix", "choix_multiples"):
            continue
        vocabulaire = edition.vocabulary(champ.vocabulaire)
        accepted = {a: v.code for v in vocabulaire.valeurs for a in v.accepted_answers}
        counts = frame[header].drop_nulls().value_counts(sort=True, name="n")
        per_answer: dict[str, int] = {}
        for answer, n in counts.iter_rows():
            text = " ".join(str(answer).split())
            if not text or text.lower() in nz.NULS or normalise_header(text) in nz.NULS:
                continue
            if champ.type == "choix_multiples":
                pieces = vocabulaire.codes_for(text, edition.separateur_choix_multiples).inconnus
            else:
                pieces = () if vocabulaire.choice_for(text).code else (text,)
            for piece in pieces:
                per_answer[piece] = per_answer.get(piece, 0) + int(n)
        for answer, n in sorted(per_answer.items(), key=lambda kv: (-kv[1], kv[0])):
            near = closest_answer(answer, accepted)
            found.append(
                UnknownAnswer(
                    nom,
                    vocabulaire.nom,
                    answer,
                    n,
                    near[0] if near else None,
                    round(near[1], 2) if near else 0.0,
                )
            )
    return tuple(found)


def likely_edition(raw: RawExport, editions: Mapping[int, Edition]) -> int | None:
    """The edition whose answers window (``Calendar.answers_window``) holds most of the
    export's timestamps (the column any edition recognises as ``horodateur``), if any."""
    header = next(
        (
            h
            for h in raw.frame.columns
            for e in editions.values()
            if (f := e.match_header(h)) is not None and f.nom == "horodateur"
        ),
        None,
    )
    if header is None:
        return None
    read = nz.normaliser(raw.frame.select(header), {"t": nz.horodatage(header)})
    dates = read["t"].drop_nulls().dt.convert_time_zone("Europe/Paris")
    if dates.is_empty():
        return None
    median = dates.sort()[dates.len() // 2]
    held = [
        annee
        for annee, e in editions.items()
        if int(dates.is_between(*e.calendrier.answers_window).sum()) * 2 > dates.len()
    ]
    # windows may overlap: the edition whose deadline is nearest the typical answer
    return min(held, key=lambda a: abs(editions[a].calendrier.cloture - median), default=None)

"""What a column's answers look like, and how well they fit each kind of field.

The answers are read by the very readers of a load (``etl.rules.field_reader``) on a
sample of distinct answers: a column whose answers read as timestamps fits
``horodatage``, one whose answers are the edition's category labels fits ``categories``,
5-digit codes fit ``code_postal``… Free text fits any text field, less so when it reads
as numbers; paragraphs are not place names. Every reader runs once over the answers of
all columns together (one polars query), so judging a whole export costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from etl import normalise as nz
from etl.editions import Edition, FormField
from etl.rules import field_reader

SAMPLE = 40
"""Distinct answers per column read to judge its shape."""
READ_CHARS = 120
"""Answers are read on their first characters only: a number, a date or a code is short,
and a paragraph is no number however it ends."""
EXAMPLES = 3
LONG_TEXT = 80
"""Mean length (characters) from which answers are paragraphs rather than names."""
_NUMERIC = "__nombre"


@dataclass(frozen=True)
class Shape:
    """A column's answers: a sample of distinct ones and their mean length."""

    distinctes: tuple[str, ...]
    longueur_moyenne: float

    @property
    def exemples(self) -> tuple[str, ...]:
        """A few answers to show a person (the first distinct ones, shortened)."""
        return tuple(a if len(a) <= 60 else a[:57] + "…" for a in self.distinctes[:EXAMPLES])


def column_shapes(frame: pl.DataFrame, headers: list[str]) -> dict[str, Shape]:
    """The shape of each column of raw text answers (one polars query for all)."""
    samples = frame.lazy().select(
        pl.col(h)
        .filter(pl.col(h).str.strip_chars() != "")
        .unique(maintain_order=True)
        .head(SAMPLE)
        .implode()
        for h in headers
    )
    row = samples.collect().row(0, named=True)
    shapes: dict[str, Shape] = {}
    for header in headers:
        distinct = tuple(row[header] or ())
        mean = sum(len(a) for a in distinct) / len(distinct) if distinct else 0.0
        shapes[header] = Shape(distinct, mean)
    return shapes


def _reader_key(champ: FormField) -> str | None:
    """Fields read alike share one reading (all counts, all booleans of a vocabulary…)."""
    if champ.type in ("choix", "choix_multiples", "booleen", "texte", "commune"):
        return None
    return f"{champ.type}|{champ.unite or ''}"


def _readable_shares(shapes: Mapping[str, Shape], edition: Edition) -> dict[str, dict[str, float]]:
    """Reader key → column → share of its answers read (cleanly or with a warning)."""
    readers: dict[str, nz.Lecture] = {_NUMERIC: nz.nombre("v", unites=nz.UNITES_HEURES)}
    for champ in edition.champs:
        key = _reader_key(champ)
        if key is not None and key not in readers:
            reader = field_reader(champ, "v", champ.libelle)
            if reader is not None:
                readers[key] = reader
    headers = [h for h, s in shapes.items() for _ in s.distinctes]
    answers = [a[:READ_CHARS] for s in shapes.values() for a in s.distinctes]
    if not answers:
        return {}
    frame = pl.DataFrame({"h": headers, "v": answers}, schema={"h": pl.String, "v": pl.String})
    read = nz.normaliser(frame, readers)
    shares = read.group_by("h").agg(
        nz.statut(key).is_in(["ok", "avertissement"]).mean().alias(key) for key in readers
    )
    result: dict[str, dict[str, float]] = {key: {} for key in readers}
    for row in shares.iter_rows(named=True):
        for key in readers:
            result[key][row["h"]] = float(row[key] or 0.0)
    return result


CHOICE_SAMPLE = 30
"""Distinct answers checked against a vocabulary (a dictionary lookup each)."""


def _choice_share(distinct: tuple[str, ...], champ: FormField, edition: Edition) -> float:
    assert champ.vocabulaire is not None
    vocabulaire = edition.vocabulary(champ.vocabulaire)
    longest = max(len(a) for v in vocabulaire.valeurs for a in v.accepted_answers)
    answers = distinct[:CHOICE_SAMPLE]
    if champ.type == "choix_multiples":
        # a paragraph is no list of ticked boxes: not parsed piece by piece
        bound = sum(len(a) + 2 for v in vocabulaire.valeurs for a in v.accepted_answers[:2])
        known = [
            len(a) <= bound
            and not vocabulaire.codes_for(a, edition.separateur_choix_multiples).inconnus
            for a in answers
        ]
    else:
        known = [
            len(a) <= 2 * longest + 40 and vocabulaire.choice_for(a).code is not None
            for a in answers
        ]
    return sum(known) / len(known)


def fits(shapes: Mapping[str, Shape], edition: Edition) -> dict[str, dict[str, float]]:
    """Column → field → how well its answers fit the field, 0 to 1 (an empty column fits
    any field: its question decides)."""
    shares = _readable_shares(shapes, edition)
    result: dict[str, dict[str, float]] = {}
    for header, shape in shapes.items():
        per_field: dict[str, float] = {}
        choices: dict[tuple[str, str], float] = {}
        for champ in edition.champs:
            if not shape.distinctes:
                per_field[champ.nom] = 1.0
            elif champ.type in ("choix", "choix_multiples", "booleen"):
                key = (champ.type, champ.vocabulaire or "")
                if key not in choices:
                    choices[key] = _choice_share(shape.distinctes, champ, edition)
                per_field[champ.nom] = choices[key]
            elif champ.type in ("texte", "commune"):
                score = 1.0 - 0.8 * shares[_NUMERIC].get(header, 0.0)
                if champ.type == "commune" and shape.longueur_moyenne >= LONG_TEXT:
                    score *= 0.5  # paragraphs are not place names
                per_field[champ.nom] = score
            else:
                per_field[champ.nom] = shares.get(_reader_key(champ) or "", {}).get(header, 0.0)
        result[header] = per_field
    return result

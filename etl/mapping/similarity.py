"""How alike a form question is to a field's known wordings, and an answer to a choice.

A question is reduced to its meaningful words: accents, case and punctuation off (as
:func:`~etl.editions.normalise_header`), French function words and question words
dropped (« de », « votre », « combien »…), plurals and feminine endings trimmed
(« réalisées » → « realis »), a few synonyms made one (« courriel », « e-mail »;
« ville », « commune »). Words are weighted by how rare they are among the
edition's wordings (« femmes », « QPV » tell more than « heures »), and two words match
when RapidFuzz's ratio says they are spelt alike (typos, « communication » /
« communications »). The score of a question against a wording is the weighted
F-measure of their words: 1 when they say the same thing, 0 when they share nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from etl.editions import normalise_header

_STOPWORDS = """
a au aux avec ce ces cette d de des du dont elle en est et etes etait il ils l la
le les leur leurs lui ma mes mon n ne nos notre nous on ou par pas pour qu que quel
quelle quelles quels qui s sa se ses si son sur ta te tes ton tu un une vos votre
vous y laquelle lequel lesquelles lesquels auquel auxquels auxquelles combien
indiquez precisez merci svp veuillez nombre nb total totale e
"""
STOPWORDS = frozenset(_STOPWORDS.split())
"""Words that tell nothing about which field a question asks for."""

SYNONYMS = {
    "courriel": "email",
    "mail": "email",
    "mel": "email",
    "electronique": "email",
    "tel": "telephone",
    "portable": "telephone",
    "mobile": "telephone",
    "ville": "commune",
    "localite": "commune",
    "cp": "postal",
    "timestamp": "horodateur",
    "horodatage": "horodateur",
    "intitule": "titre",
    "beneficiaires": "participants",
}
"""Words forms use for the same thing (after accents and case are set aside)."""

SAME_WORD = 85.0
"""RapidFuzz ratio (0-100) from which two trimmed words count as one."""


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A French word without its plural and feminine endings (« realisees » → « realis »)."""
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 5 and word[-2:] in ("ez", "er"):
        word = word[:-2]  # « candidatez », « candidater »
    while len(word) > 3 and word[-1] == "e":
        word = word[:-1]
    return word


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The meaningful words of a question or an answer, trimmed, in order, once each."""
    kept = (stem(SYNONYMS.get(w, w)) for w in normalise_header(text).split() if w not in STOPWORDS)
    return tuple(dict.fromkeys(kept))


@dataclass(frozen=True)
class Weights:
    """Rarity of each word among a set of wordings (inverse document frequency)."""

    idf: Mapping[str, float]
    default: float

    @classmethod
    def of(cls, documents: Iterable[Iterable[str]]) -> Weights:
        """Weights from documents, each the words of one field's wordings together."""
        sets = [set(d) for d in documents]
        total = max(len(sets), 1)
        counts: dict[str, int] = {}
        for document in sets:
            for word in document:
                counts[word] = counts.get(word, 0) + 1
        idf = {w: math.log(1 + total / n) for w, n in counts.items()}
        median = sorted(idf.values())[len(idf) // 2] if idf else 1.0
        return cls(idf, median)

    def of_word(self, word: str) -> float:
        return self.idf.get(word, self.default)


def _coverage(mine: tuple[str, ...], theirs: tuple[str, ...], weights: Weights) -> float:
    """Weighted share of ``mine`` found (spelt alike) in ``theirs``."""
    total = sum(weights.of_word(w) for w in mine)
    if not total:
        return 0.0
    found = 0.0
    for word in mine:
        found += weights.of_word(word) * _best_match(word, theirs)
    return found / total


@lru_cache(maxsize=65536)
def _best_match(word: str, theirs: tuple[str, ...]) -> float:
    """1 when ``word`` is among ``theirs``, else the best ratio above :data:`SAME_WORD`
    (0 to 1), else 0."""
    if word in theirs:
        return 1.0
    best = process.extractOne(word, theirs, scorer=fuzz.ratio, score_cutoff=SAME_WORD)
    return 0.0 if best is None else best[1] / 100


def similarity(question: str, wording: str, weights: Weights) -> float:
    """How alike two texts are, 0 to 1: the weighted F-measure of their words."""
    a, b = words(question), words(wording)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    precision = _coverage(a, b, weights)
    recall = _coverage(b, a, weights)
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


class Scorer:
    """:func:`similarity` of many questions against many wordings, computed fast: the
    words spelt alike are found once for all (RapidFuzz's ``cdist``, in C), each text's
    words and weights once; what remains per pair is a few additions."""

    def __init__(self, questions: Iterable[str], wordings: Iterable[str], weights: Weights):
        self.weights = weights
        mine = sorted({w for q in questions for w in words(q)})
        theirs = sorted({w for t in wordings for w in words(t)})
        self._near: dict[str, dict[str, float]] = {}
        if mine and theirs:
            scores = process.cdist(mine, theirs, scorer=fuzz.ratio, score_cutoff=SAME_WORD)
            for i, j in zip(*scores.nonzero(), strict=True):
                a, b, score = mine[i], theirs[j], float(scores[i, j]) / 100
                if a != b:
                    self._near.setdefault(a, {})[b] = score
                    self._near.setdefault(b, {})[a] = score
        self._texts: dict[str, tuple[tuple[str, ...], tuple[float, ...], float]] = {}
        self._reach: dict[str, frozenset[str]] = {}

    def _prepared(self, text: str) -> tuple[tuple[str, ...], tuple[float, ...], float]:
        found = self._texts.get(text)
        if found is None:
            found_words = words(text)
            weights = tuple(self.weights.of_word(w) for w in found_words)
            found = self._texts[text] = (found_words, weights, sum(weights))
        return found

    def _reached(self, text: str) -> frozenset[str]:
        """The words of ``text`` and the words near them: a text sharing none of them has
        nothing in common with it (nearness is symmetric), its similarity is 0."""
        found = self._reach.get(text)
        if found is None:
            own = self._prepared(text)[0]
            found = self._reach[text] = frozenset(own).union(*(self._near.get(w, ()) for w in own))
        return found

    def _coverage(
        self,
        mine: tuple[str, ...],
        weights: tuple[float, ...],
        total: float,
        theirs: tuple[str, ...],
    ) -> float:
        found = 0.0
        for word, weight in zip(mine, weights, strict=True):
            if word in theirs:
                found += weight
            elif (near := self._near.get(word)) is not None:
                found += weight * max((near.get(t, 0.0) for t in theirs), default=0.0)
        return found / total if total else 0.0

    def similarity(self, question: str, wording: str) -> float:
        """:func:`similarity` for a question and a wording given at construction (others
        work too: their words are matched exactly only)."""
        a, wa, ta = self._prepared(question)
        b, wb, tb = self._prepared(wording)
        if not a or not b:
            return 0.0
        if a == b:
            return 1.0
        if self._reached(question).isdisjoint(b):
            return 0.0
        precision = self._coverage(a, wa, ta, b)
        recall = self._coverage(b, wb, tb, a)
        if precision + recall == 0:
            return 0.0
        return 2 * precision * recall / (precision + recall)


def closest_answer(answer: str, choices: Mapping[str, str]) -> tuple[str, float] | None:
    """The choice (key of ``choices``, an accepted answer → its code) most like an unknown
    answer, with RapidFuzz's weighted ratio (0 to 1) on normalised texts."""
    if not choices:
        return None
    keys = {normalise_header(k): v for k, v in choices.items()}
    best = process.extractOne(normalise_header(answer), list(keys), scorer=fuzz.WRatio)
    if best is None:
        return None
    return keys[best[0]], best[1] / 100

"""Small-number suppression for figures about people at a territorial level (pure).

Rule (DOMAIN.md §7, stricter than INSEE's 3):

1. **Primary suppression**: a count of people (participants, women, seniors, QPV
   residents…) of one territory below :data:`SEUIL` (5) is published as « moins de 5 ».
2. **Complementary suppression**: a column of such counts is published with its total
   (the edition's figure), so one hidden cell would be given away by « total − the
   others ». In each column, while fewer than two cells are hidden, or the hidden cells
   add up to fewer than :data:`SEUIL` people, the smallest visible cell is hidden too
   (shown « secret statistique »). The difference « total − visible cells » is then at
   least 5 people spread over at least two territories: no hidden cell can be deduced.
3. A **share** of a territory (women among participants…) is hidden whenever its
   numerator or denominator is hidden: share × denominator would give the count back.
4. A total below :data:`SEUIL` is itself « moins de 5 » (then every cell of its column is).

Missing values (nobody reported the count) stay missing: « non renseigné ».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SEUIL = 5
"""Smallest number of people a published territorial figure may rest on."""

MOINS_DE_5 = "moins de 5"
SECRET = "secret statistique"
NON_RENSEIGNE = "non renseigné"


@dataclass(frozen=True)
class Masque:
    """Which cells of one column are hidden, and why."""

    primaire: tuple[bool, ...]
    complementaire: tuple[bool, ...]

    @property
    def cache(self) -> tuple[bool, ...]:
        return tuple(p or c for p, c in zip(self.primaire, self.complementaire, strict=True))


def column_mask(values: Sequence[int | None], seuil: int = SEUIL) -> Masque:
    """The suppression mask of one column of people counts (see the module doc)."""
    primaire = [v is not None and v < seuil for v in values]
    complementaire = [False] * len(values)

    def hidden() -> list[int]:
        return [i for i in range(len(values)) if primaire[i] or complementaire[i]]

    while hidden():
        cachees = hidden()
        somme = sum(values[i] or 0 for i in cachees)
        if len(cachees) >= 2 and somme >= seuil:
            break
        visibles = [i for i in range(len(values)) if i not in cachees and values[i] is not None]
        if not visibles:
            break  # everything reported is hidden already
        plus_petite = min(visibles, key=lambda i: (values[i] or 0, i))
        complementaire[plus_petite] = True
    return Masque(tuple(primaire), tuple(complementaire))


def shown_count(value: int | None, primaire: bool, complementaire: bool, fmt: str) -> str:
    """What a count cell shows: its formatted value, « moins de 5 » or « secret … »."""
    if value is None:
        return NON_RENSEIGNE
    if primaire:
        return MOINS_DE_5
    if complementaire:
        return SECRET
    return fmt


def shown_total(total: int | None, fmt: str, seuil: int = SEUIL) -> str:
    """A column total: « moins de 5 » when it rests on fewer than ``seuil`` people."""
    if total is None:
        return NON_RENSEIGNE
    return MOINS_DE_5 if total < seuil else fmt

"""The laureates' embargo: no public output names a laureate before the ceremony.

The embargo of an edition lasts until the ``ceremonie`` date of its configuration
(``config/editions/AAAA.toml``, read by :mod:`etl.editions`); it is lifted *on* that day
(Paris time). « Aujourd'hui » is always a parameter, so tests and the CLI
(``--aujourdhui``) can place themselves before or after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from etl.editions.model import Edition
from etl.french import PARIS, format_date

T = TypeVar("T")


@dataclass(frozen=True)
class Embargo:
    """Whether laureates may appear in public outputs of an edition on a given day."""

    edition: int
    ceremonie: date
    aujourdhui: date

    @property
    def leve(self) -> bool:
        """True from the ceremony day on: laureates may be named."""
        return self.aujourdhui >= self.ceremonie

    def message(self) -> str:
        """The embargo in one French sentence (shown on the page, the deck, the manifest)."""
        if self.leve:
            return (
                f"Embargo levé : les lauréats {self.edition} sont publics depuis la "
                f"cérémonie du {format_date(self.ceremonie)}."
            )
        return (
            f"Sous embargo jusqu'au {format_date(self.ceremonie)} (cérémonie) : aucune "
            "sortie publique ne nomme de lauréat avant cette date."
        )


def embargo_of(edition: Edition, aujourdhui: date | None = None) -> Embargo:
    """The embargo of ``edition`` seen on ``aujourdhui`` (today in Paris by default)."""
    ceremonie = edition.calendrier.ceremonie.astimezone(PARIS).date()
    jour = aujourdhui if aujourdhui is not None else datetime.now(PARIS).date()
    return Embargo(edition.annee, ceremonie, jour)


def public(items: Sequence[T], embargo: Embargo) -> list[T]:
    """``items`` (laureates, or what names them) when the embargo is lifted, else none."""
    return list(items) if embargo.leve else []

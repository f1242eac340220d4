"""The contract every reader fulfils, and the steps CSV and XLSX share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import polars as pl
from openpyxl.utils import get_column_letter

from etl.french import format_size_mb

COLONNE_LIGNE = "__ligne__"
"""Name of the added column holding the line (CSV) or row (XLSX) number a human sees."""

MO = 1024 * 1024
"""One Mo as the size messages count it (1 048 576 octets)."""

Format = Literal["csv", "xlsx"]
Encodage = Literal["utf-8", "utf-8-sig", "cp1252"]
FinDeLigne = Literal["CRLF", "LF"]


class ExportRefuse(ValueError):
    """A file refused before parsing; ``message`` is French and names the file."""

    def __init__(self, fichier: str, regle: str, message: str) -> None:
        super().__init__(message)
        self.fichier = fichier
        self.regle = regle
        self.message = message


@dataclass(frozen=True)
class RawExport:
    """One export read as text, and what was detected while reading it.

    ``lignes_lues`` is the number of data records kept in ``frame`` (header excluded);
    ``lignes_vides_ignorees`` the records dropped because every cell was empty or blank.
    ``entetes_renommees`` maps a column name we had to invent (duplicate or empty header)
    to the header as given. ``encodage``, ``separateur`` and ``fin_de_ligne`` are None for
    XLSX; ``feuille`` is None for CSV; ``champs_multilignes`` is always 0 for XLSX (a row
    is one row whatever its cells hold).
    """

    frame: pl.DataFrame
    fichier: str
    sha256: str
    format: Format
    encodage: Encodage | None
    separateur: str | None
    fin_de_ligne: FinDeLigne | None
    champs_multilignes: int
    feuille: str | None
    lignes_lues: int
    cellules_pourcentage: dict[str, int] = field(default_factory=dict)
    entetes_renommees: dict[str, str] = field(default_factory=dict)
    lignes_vides_ignorees: int = 0
    raison_encodage: str | None = None  # why a CSV is read as Windows-1252


def en_mo(octets: int) -> str:
    """A size in Mo, French style: ``25,3 Mo``, ``20 Mo``."""
    return format_size_mb(octets)


def noms_de_colonnes(entete: list[str]) -> tuple[list[str], dict[str, str]]:
    """Headers as given, made unique: ``Nom``, ``Nom (2)``; an empty one is ``Colonne C``."""
    noms: list[str] = []
    renommees: dict[str, str] = {}
    vus = {COLONNE_LIGNE}
    for position, brut in enumerate(entete, start=1):
        base = brut if brut.strip() else f"Colonne {get_column_letter(position)}"
        nom, rang = base, 1
        while nom in vus:
            rang += 1
            nom = f"{base} ({rang})"
        vus.add(nom)
        noms.append(nom)
        if nom != brut:
            renommees[nom] = brut
    return noms, renommees


def sans_lignes_vides(frame: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Drop records whose every cell is null or blank; return how many were dropped.

    Only records whose first cell is blank (rare: it is the timestamp in Google Forms
    exports) are checked across all columns, so a clean file costs one column scan.
    """
    colonnes = [c for c in frame.columns if c != COLONNE_LIGNE]
    if not colonnes or frame.is_empty():
        return frame, 0
    premiere = pl.col(colonnes[0])
    suspectes = frame.select(premiere.is_null() | premiere.str.contains(r"^\s*$")).to_series()
    if not suspectes.any():
        return frame, 0
    vide = pl.all_horizontal(
        pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in colonnes
    )
    lignes_vides = frame.filter(suspectes).filter(vide)[COLONNE_LIGNE]
    if lignes_vides.is_empty():
        return frame, 0
    return frame.filter(~pl.col(COLONNE_LIGNE).is_in(lignes_vides.implode())), lignes_vides.len()


def sans_colonnes_fantomes(frame: pl.DataFrame, renommees: dict[str, str]) -> pl.DataFrame:
    """Drop columns without a header and without any value (trailing separators)."""
    fantomes = [
        nom
        for nom, brut in renommees.items()
        if not brut.strip() and frame[nom].null_count() == frame.height
    ]
    for nom in fantomes:
        del renommees[nom]
    return frame.drop(fantomes) if fantomes else frame


def exiger_des_reponses(nom: str, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        raise ExportRefuse(
            nom,
            "aucune_reponse",
            f"Le fichier « {nom} » ne contient aucune réponse (en-tête seul).",
        )

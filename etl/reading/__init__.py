"""Form exports (CSV/XLSX) → raw string frames, with what was detected on the way.

Every cell comes out as text exactly as the file holds it (no type inference): the
normaliser (``etl.normalise``) decides what a value means. Two exceptions, both lossless:

- an empty cell becomes null;
- in XLSX, typed cells are written as text: datetimes as ``YYYY-MM-DDTHH:MM:SS``, numbers
  without float noise (``1234.0`` → ``"1234"``, ``0.125`` → ``"0.125"``), booleans as
  ``VRAI``/``FAUX``, and **percent-formatted cells as the percentage with an explicit
  sign**: a cell showing 12,5 % (stored 0.125) becomes ``"12,5 %"``, the text a French user
  would have typed. The unit therefore travels with the value and a percent cell can never
  be read as a count; ``RawExport.cellules_pourcentage`` counts them per column.

``__ligne__`` is the line a human sees: the physical line where a CSV record starts
(header = line 1, quoted multi-line fields push later records down), or the Excel row.
Files that cannot be trusted are refused before parsing with an ``ExportRefuse``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from etl.reading.common import (
    COLONNE_LIGNE,
    MO,
    Encodage,
    ExportRefuse,
    FinDeLigne,
    Format,
    RawExport,
    en_mo,
)
from etl.reading.delimited import lire_colonnes_csv, lire_csv
from etl.reading.workbook import DUREE_MAX_S, lire_xlsx

EXTENSIONS_CSV = frozenset({".csv", ".tsv", ".txt"})

__all__ = [
    "COLONNE_LIGNE",
    "EXTENSIONS_CSV",
    "MO",
    "Encodage",
    "ExportRefuse",
    "FinDeLigne",
    "Format",
    "RawExport",
    "read_columns",
    "read_export",
]


def read_export(
    path: Path,
    *,
    sheet: str | None = None,
    max_bytes: int = 20 * MO,
    lignes_max: int | None = None,
    time_limit_s: float = DUREE_MAX_S,
) -> RawExport:
    """Read a Google Forms response export (CSV or XLSX) as a frame of raw strings.

    ``sheet``: the XLSX sheet to read (default: the first; ignored for CSV). ``max_bytes``:
    files above it are refused before any reading (default 20 Mo). ``lignes_max``: for a
    CSV, only the first records (a preview; ``sha256`` is then empty). ``time_limit_s``: a
    workbook taking longer to read is refused. Raises ``ExportRefuse``
    (a ``ValueError``) with ``fichier``, ``regle`` and a French ``message``; the rules are
    ``extension_inconnue``, ``macros``, ``format_xls``, ``xlsx_invalide``, ``fichier_vide``,
    ``aucune_reponse``, ``fichier_trop_volumineux``, ``encodage_illisible``,
    ``encodage_mixte``, ``fichier_introuvable``, ``xlsx_trop_long``,
    ``csv_est_un_classeur``, ``csv_illisible`` and ``feuille_absente``.
    """
    nom = path.name
    if not path.is_file():
        quoi = "est un dossier" if path.is_dir() else "est introuvable"
        raise ExportRefuse(
            nom,
            "fichier_introuvable",
            f"Le fichier « {path} » {quoi} : donnez le nom exact de chaque export (les "
            "caractères * ? [ ] y sont pris à la lettre, jamais comme motif).",
        )
    extension = path.suffix.lower()
    _refuser_extension(nom, extension)
    taille = path.stat().st_size
    if taille == 0:
        raise ExportRefuse(nom, "fichier_vide", f"Le fichier « {nom} » est vide.")
    if taille > max_bytes:
        raise ExportRefuse(
            nom,
            "fichier_trop_volumineux",
            f"Le fichier « {nom} » pèse {en_mo(taille)} : la limite est de {en_mo(max_bytes)}. "
            "Exportez uniquement la feuille des réponses ou découpez le fichier.",
        )
    if extension == ".xlsx":
        contenu = path.read_bytes()
        empreinte = hashlib.sha256(contenu).hexdigest()
        return lire_xlsx(path, contenu, empreinte, sheet, max_bytes, time_limit_s)
    return lire_csv(path, lignes_max)


def read_columns(
    path: Path, colonnes: list[str], *, sheet: str | None = None, max_bytes: int = 20 * MO
) -> pl.DataFrame:
    """Every answer of some columns of an export, as raw text (refused like
    :func:`read_export`); a CSV parses only those columns."""
    if path.suffix.lower() in EXTENSIONS_CSV and path.stat().st_size <= max_bytes:
        return lire_colonnes_csv(path, colonnes)
    frame = read_export(path, sheet=sheet, max_bytes=max_bytes).frame
    return frame.select(c for c in colonnes if c in frame.columns)


def _refuser_extension(nom: str, extension: str) -> None:
    if extension == ".xlsm":
        raise ExportRefuse(
            nom,
            "macros",
            f"Le fichier « {nom} » est un classeur avec macros (.xlsm), refusé par sécurité. "
            "Enregistrez-le au format .xlsx ou exportez-le en CSV.",
        )
    if extension == ".xls":
        raise ExportRefuse(
            nom,
            "format_xls",
            f"Le fichier « {nom} » est au format Excel 97-2003 (.xls), qui n'est pas lu. "
            "Réenregistrez-le au format .xlsx ou exportez-le en CSV.",
        )
    if extension != ".xlsx" and extension not in EXTENSIONS_CSV:
        raise ExportRefuse(
            nom,
            "extension_inconnue",
            f"Le fichier « {nom} » a une extension non prise en charge "
            f"(« {extension or 'aucune'} ») : fournissez un export .csv ou .xlsx.",
        )

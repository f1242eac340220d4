"""Writing fictitious submissions as the files organisers download: a Google Forms CSV, a
Google Sheets XLSX, or a CSV re-saved by Excel (Windows-1252, « ; », CRLF).

Headers are each field's question wording (its first alias), columns follow the form
(timestamp, respondent e-mail, structure, referent, territory, categories, project,
figures, consent last). Every file is byte-for-byte reproducible: no clock is read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal

import polars as pl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from etl import files
from etl.editions import Edition, FormField

Style = Literal["google", "excel"]
"""``google``: Google Forms CSV (seconds in timestamps, numbers as typed, UTF-8);
``excel``: the same re-saved by Excel (no seconds, cp1252-safe spaces)."""

CHAMPS_EN_FIN = ("accord_diffusion",)
"""Fields a form asks last (the consent box), whatever their place in the configuration."""

FORMAT_HORODATEUR = {"google": "%d/%m/%Y %H:%M:%S", "excel": "%d/%m/%Y %H:%M"}
FORMAT_DATE_XLSX = "dd/mm/yyyy hh:mm:ss"
FEUILLE_XLSX = "Réponses au formulaire 1"
"""Name Google Forms gives the response sheet."""

ESPACES_MILLIERS = ("\u00a0", "\u202f", " ")
"""Thousands separators pasted into a few hour answers (NBSP, narrow NBSP, space)."""


def champs_du_formulaire(edition: Edition) -> list[FormField]:
    """The edition's fields in form order (configuration order, consent last)."""
    debut = [c for c in edition.champs if c.nom not in CHAMPS_EN_FIN]
    return debut + [c for c in edition.champs if c.nom in CHAMPS_EN_FIN]


def entete(champ: FormField, variantes: Mapping[str, str] | None = None) -> str:
    """The column header of a field: its question wording (first alias) unless
    ``variantes`` gives another one (it must be one of the field's aliases)."""
    if variantes and champ.nom in variantes:
        choisi = variantes[champ.nom]
        if choisi not in champ.accepted_headers:
            raise ValueError(f"« {choisi} » n'est pas un intitulé du champ {champ.nom}.")
        return choisi
    return champ.alias[0] if champ.alias else champ.nom


def textes(frame: pl.DataFrame, edition: Edition, style: Style) -> pl.DataFrame:
    """Every answer as the text a CSV holds, one column per field, named by field.

    Whole numbers are plain digits, except a few hour totals grouped by thousands with a
    pasted space (``google`` only: a narrow NBSP is not in Windows-1252). The rate is a
    percentage with its sign (« 62,5 % », « 62% »); ``NaN``/null answers are empty.
    """
    colonnes: list[pl.Expr] = []
    for champ in champs_du_formulaire(edition):
        col = pl.col(champ.nom)
        if champ.type == "horodatage":
            expr = col.dt.strftime(FORMAT_HORODATEUR[style])
        elif champ.type == "entier":
            expr = col.cast(pl.String)
            if champ.nom == "heures_insertion" and style == "google":
                expr = _groupe_par_milliers(col, expr)
        elif champ.type == "pourcentage":
            expr = _pourcentage(col)
        elif champ.type == "decimal":
            expr = col.cast(pl.String).str.replace(".", ",", literal=True)
        else:
            expr = col.cast(pl.String)
        colonnes.append(expr.alias(champ.nom))
    return frame.select(colonnes)


def _groupe_par_milliers(valeur: pl.Expr, brut: pl.Expr) -> pl.Expr:
    """One hour total in 50 typed with thousands separators (NBSP, narrow NBSP, space)."""
    rang = pl.col("_id") % 50
    groupe = (
        brut.str.reverse().str.replace_all(r"(\d{3})", "$1 ").str.strip_chars_end(" ").str.reverse()
    )
    resultat = brut
    for k, espace in enumerate(ESPACES_MILLIERS):
        resultat = (
            pl.when((rang == 7 + k) & (valeur >= 1_000))
            .then(groupe.str.replace_all(" ", espace, literal=True))
            .otherwise(resultat)
        )
    return resultat


def _pourcentage(fraction: pl.Expr) -> pl.Expr:
    """0.625 → « 62,5 % » (« 62% » for one row in four, as typed without a space)."""
    points = (fraction * 1000).round(0).cast(pl.Int64)
    texte = (
        pl.when(points % 10 == 0)
        .then((points // 10).cast(pl.String))
        .otherwise(
            pl.concat_str(
                (points // 10).cast(pl.String), pl.lit(","), (points % 10).cast(pl.String)
            )
        )
    )
    signe = pl.when(pl.col("_id") % 4 == 0).then(pl.lit("%")).otherwise(pl.lit(" %"))
    return pl.concat_str(texte, signe)


def write_google_csv(frame: pl.DataFrame, edition: Edition, path: Path) -> None:
    """A Google Forms response CSV: UTF-8 without BOM, « , », LF, quotes where needed."""
    champs = champs_du_formulaire(edition)
    sortie = textes(frame, edition, "google").rename({c.nom: entete(c) for c in champs})
    tampon = io.BytesIO()
    sortie.write_csv(tampon, separator=",", quote_style="necessary", line_terminator="\n")
    files.write_atomic(path, tampon.getvalue())


def excel_csv_bytes(entetes: Sequence[str], lignes: Sequence[Sequence[str]]) -> bytes:
    """A CSV as Excel saves it in France: Windows-1252, « ; », CRLF, line breaks inside
    quoted cells kept as LF. Raises ``UnicodeEncodeError`` for a character cp1252 lacks."""
    tampon = io.StringIO(newline="")
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    ecrivain.writerow(entetes)
    ecrivain.writerows(lignes)
    return tampon.getvalue().encode("cp1252")


def write_google_xlsx(frame: pl.DataFrame, edition: Edition, path: Path, fige_le: datetime) -> None:
    """A Google Sheets download of the response sheet: real datetime cells, whole numbers
    as numbers, the rate as a percent-formatted fraction, text elsewhere. ``fige_le`` (naive
    UTC) is written as the workbook's creation and modification date (reproducible files)."""
    champs = champs_du_formulaire(edition)
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(FEUILLE_XLSX)
    feuille.append([entete(c) for c in champs])
    types = [c.type for c in champs]
    for ligne in frame.select([c.nom for c in champs]).iter_rows():
        cellules: list[object] = []
        for type_, valeur in zip(types, ligne, strict=True):
            if valeur is None:
                cellules.append(None)
            elif type_ == "horodatage":
                cellule = WriteOnlyCell(feuille, value=valeur)
                cellule.number_format = FORMAT_DATE_XLSX
                cellules.append(cellule)
            elif type_ == "pourcentage":
                cellule = WriteOnlyCell(feuille, value=valeur)
                entier = round(valeur * 100, 6).is_integer()
                cellule.number_format = "0%" if entier else "0.0%"
                cellules.append(cellule)
            else:
                cellules.append(valeur)
        feuille.append(cellules)
    classeur.properties.creator = "trophees demo (données fictives)"
    classeur.properties.created = fige_le
    tampon = io.BytesIO()
    classeur.save(tampon)
    files.write_atomic(path, _zip_reproductible(tampon.getvalue(), fige_le))


_DATES_CORE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _zip_reproductible(contenu: bytes, fige_le: datetime) -> bytes:
    """The workbook re-zipped with fixed entry dates and fixed core-property dates
    (openpyxl stamps both with the current time)."""
    date_zip = (fige_le.year, fige_le.month, fige_le.day, fige_le.hour, fige_le.minute, 0)
    iso = fige_le.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    sortie = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(contenu)) as source,
        zipfile.ZipFile(sortie, "w", compression=zipfile.ZIP_DEFLATED) as cible,
    ):
        for info in source.infolist():
            donnees = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                donnees = _DATES_CORE.sub(lambda m: m.group(1) + iso + m.group(3), donnees)
            entree = zipfile.ZipInfo(info.filename, date_time=date_zip)
            entree.compress_type = zipfile.ZIP_DEFLATED
            entree.external_attr = 0o644 << 16
            cible.writestr(entree, donnees)
    return sortie.getvalue()

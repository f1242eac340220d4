"""XLSX workbooks → string frames (openpyxl, read-only, cached values only).

Typed cells become text without losing meaning: datetimes ``YYYY-MM-DDTHH:MM:SS``, numbers
with at most 15 significant digits and no float noise (``1234.0`` → ``1234``), booleans
``VRAI``/``FAUX``, and percent-formatted numbers **as the percentage with its sign**
(0.125 shown as 12,5 % → ``"12,5 %"``): the unit travels with the value, so a percent cell
can never be read as a count; ``RawExport.cellules_pourcentage`` counts them per column.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from time import monotonic

import polars as pl
from openpyxl import load_workbook

from etl.french import format_integer, format_number
from etl.reading.common import (
    COLONNE_LIGNE,
    ExportRefuse,
    RawExport,
    en_mo,
    exiger_des_reponses,
    noms_de_colonnes,
    sans_colonnes_fantomes,
)

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted workbook
_FACTEUR_DECOMPRESSION = 25  # unzipped content allowed, as a multiple of max_bytes
DECOMPRESSE_MAX = 200 * 1024 * 1024
"""Unzipped content allowed whatever ``max_bytes`` (octets): a 1,4 Mo workbook holding
450 Mo of XML (a « decompression bomb ») is refused before any parsing. Python's zipfile
never inflates an entry past its declared size, so the declared sizes are binding."""
DUREE_MAX_S = 120.0
"""Longest a workbook may take to read (seconds); checked between rows."""


def lire_xlsx(
    path: Path,
    contenu: bytes,
    empreinte: str,
    sheet: str | None,
    max_bytes: int,
    duree_max_s: float = DUREE_MAX_S,
) -> RawExport:
    nom = path.name
    _verifier_classeur(nom, contenu, max_bytes)
    try:
        feuille, frame, pourcentages, renommees, vides = _lire_feuille(path, sheet, duree_max_s)
    except ExportRefuse:
        raise
    except Exception as erreur:  # untrusted XML inside a valid ZIP: any parser error
        raise ExportRefuse(
            nom,
            "xlsx_invalide",
            f"Le classeur « {nom} » est endommagé et n'a pas pu être lu : "
            "ouvrez-le dans le tableur et enregistrez-le à nouveau.",
        ) from erreur
    return RawExport(
        frame=frame,
        fichier=nom,
        sha256=empreinte,
        format="xlsx",
        encodage=None,
        separateur=None,
        fin_de_ligne=None,
        champs_multilignes=0,
        feuille=feuille,
        lignes_lues=frame.height,
        cellules_pourcentage=pourcentages,
        entetes_renommees=renommees,
        lignes_vides_ignorees=vides,
    )


def _lire_feuille(
    path: Path, sheet: str | None, duree_max_s: float
) -> tuple[str, pl.DataFrame, dict[str, int], dict[str, str], int]:
    """The chosen sheet (or the first) as a frame; returns its title first."""
    nom = path.name
    echeance = monotonic() + duree_max_s
    classeur = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        feuilles = classeur.worksheets
        if not feuilles:
            raise ExportRefuse(nom, "fichier_vide", f"Le classeur « {nom} » n'a aucune feuille.")
        trouvees = [f for f in feuilles if sheet is None or f.title == sheet]
        if not trouvees:
            noms = ", ".join(f"« {f.title} »" for f in feuilles)
            raise ExportRefuse(
                nom,
                "feuille_absente",
                f"Le classeur « {nom} » n'a pas de feuille « {sheet} » (feuilles : {noms}).",
            )
        feuille = trouvees[0]
        feuille.reset_dimensions()  # some writers store a wrong size: read every row
        lignes = _avant_echeance(nom, feuille.iter_rows(), echeance, duree_max_s)
        return feuille.title, *_frame_de_feuille(nom, feuille.title, lignes)
    finally:
        classeur.close()


def _verifier_classeur(nom: str, contenu: bytes, max_bytes: int) -> None:
    """Refuse what is not a plain, macro-free, reasonably sized XLSX (ZIP) workbook."""
    if contenu.startswith(_OLE):
        raise ExportRefuse(
            nom,
            "format_xls",
            f"Le fichier « {nom} » est un ancien classeur Excel (.xls) renommé ou un classeur "
            "protégé par mot de passe : ouvrez-le et enregistrez-le au format .xlsx sans "
            "mot de passe, ou exportez-le en CSV.",
        )
    if not contenu.startswith(_ZIP):
        raise ExportRefuse(
            nom,
            "xlsx_invalide",
            f"Le fichier « {nom} » porte l'extension .xlsx mais n'est pas un classeur Excel "
            "(ce n'est pas une archive ZIP) : réexportez-le depuis le tableur.",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            entrees = archive.infolist()
    except zipfile.BadZipFile:
        entrees = []
    noms = {e.filename.lower() for e in entrees}
    if "xl/workbook.xml" not in noms:
        raise ExportRefuse(
            nom,
            "xlsx_invalide",
            f"Le fichier « {nom} » n'est pas un classeur Excel valide : réexportez-le.",
        )
    if any(n.endswith("vbaproject.bin") for n in noms):
        raise ExportRefuse(
            nom,
            "macros",
            f"Le classeur « {nom} » contient des macros, refusé par sécurité : enregistrez-le "
            "au format .xlsx sans macros ou exportez-le en CSV.",
        )
    limite = min(_FACTEUR_DECOMPRESSION * max_bytes, DECOMPRESSE_MAX)
    decompresse = sum(e.file_size for e in entrees)
    if decompresse > limite:
        raise ExportRefuse(
            nom,
            "fichier_trop_volumineux",
            f"Le classeur « {nom} » décompressé pèse {en_mo(decompresse)}, au-delà de "
            f"{en_mo(limite)} : exportez seulement les réponses, ou en CSV.",
        )


def _avant_echeance(
    nom: str, lignes: Iterable[Sequence[object]], echeance: float, duree_max_s: float
) -> Iterator[Sequence[object]]:
    """The rows, refused in French once reading them takes longer than allowed."""
    for numero, ligne in enumerate(lignes):
        if numero % 64 == 0 and monotonic() > echeance:
            raise ExportRefuse(
                nom,
                "xlsx_trop_long",
                f"La lecture du classeur « {nom} » dépasse {format_number(duree_max_s)} s "
                f"(arrêtée à la ligne {format_integer(numero)}) : exportez les réponses en CSV.",
            )
        yield ligne


def _frame_de_feuille(
    nom: str, titre: str, lignes: Iterable[Sequence[object]]
) -> tuple[pl.DataFrame, dict[str, int], dict[str, str], int]:
    """Rows of read-only cells → string frame, percent-cell counts, renamed headers, blanks."""
    entete: list[str] | None = None
    colonnes: list[list[str | None]] = []
    numeros: list[int] = []
    pourcentages: list[int] = []
    vides = 0
    for numero, cellules in enumerate(lignes, start=1):
        if entete is None:
            valeurs_entete = [_texte_de_cellule(c)[0] for c in cellules]
            if any(v is not None and v.strip() for v in valeurs_entete):
                entete = [v or "" for v in valeurs_entete]
                colonnes = [[] for _ in entete]
                pourcentages = [0] * len(entete)
            continue
        textes = [_texte_de_cellule(c) for c in cellules]
        if not any(t is not None and t.strip() for t, _ in textes):
            vides += 1
            continue
        for _ in range(len(textes) - len(entete)):  # a value right of the last header
            entete.append("")
            colonnes.append([None] * len(numeros))
            pourcentages.append(0)
        for position, colonne in enumerate(colonnes):
            texte, pourcent = textes[position] if position < len(textes) else (None, False)
            colonne.append(texte)
            pourcentages[position] += pourcent
        numeros.append(numero)
    if entete is None:
        raise ExportRefuse(nom, "fichier_vide", f"La feuille « {titre} » de « {nom} » est vide.")
    noms, renommees = noms_de_colonnes(entete)
    donnees: dict[str, list[str | None]] = dict(zip(noms, colonnes, strict=True))
    frame = pl.DataFrame(donnees, schema=dict.fromkeys(noms, pl.String)).with_columns(
        pl.Series(COLONNE_LIGNE, numeros, dtype=pl.Int64)
    )
    frame = sans_colonnes_fantomes(frame, renommees)
    exiger_des_reponses(nom, frame)
    comptes = {n: c for n, c in zip(noms, pourcentages, strict=True) if c and n in frame.columns}
    return frame, comptes, renommees, vides


def _texte_de_cellule(cellule: object) -> tuple[str | None, bool]:
    """The cell as text, and whether it was a percent-formatted number."""
    valeur = getattr(cellule, "value", None)
    if valeur is None or isinstance(valeur, str):
        return (valeur or None), False
    if isinstance(valeur, bool):
        return ("VRAI" if valeur else "FAUX"), False
    if isinstance(valeur, int | float):
        if _format_pourcentage(str(getattr(cellule, "number_format", ""))):
            pourcent = _nombre_texte(Decimal(_nombre_texte(valeur)).scaleb(2))
            return f"{pourcent.replace('.', ',')} %", True
        return _nombre_texte(valeur), False
    if isinstance(valeur, datetime):
        arrondi = (valeur + timedelta(microseconds=500_000)).replace(microsecond=0)
        return arrondi.isoformat(timespec="seconds"), False
    if isinstance(valeur, date | time):
        return valeur.isoformat(), False
    return str(valeur), False


def _format_pourcentage(format_nombre: str) -> bool:
    """Whether an Excel number format displays a percentage (``%`` outside quotes)."""
    hors_guillemets = format_nombre.split('"')[::2]
    return any("%" in morceau for morceau in hors_guillemets)


def _nombre_texte(valeur: float | int | Decimal) -> str:
    """A number as plain text: 15 significant digits (Excel's), no exponent, no ``.0``."""
    if isinstance(valeur, int):
        return str(valeur)
    if isinstance(valeur, float):
        if valeur != valeur or valeur in (float("inf"), float("-inf")):
            return str(valeur)
        valeur = Decimal(f"{valeur:.15g}")
    texte = format(valeur.normalize(), "f")
    return "0" if texte in ("-0", "0") else texte

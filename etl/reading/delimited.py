"""CSV exports (Google Forms, Excel « CSV », LibreOffice) → string frames, parsed by polars.

Python only decodes the first megabyte to detect encoding, separator and header; polars
parses the whole file natively, so a 100 000-line export costs about what
``pl.read_csv`` costs (see ``tests/etl/test_reading.py::test_csv_reader_speed``).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

import polars as pl

from etl.reading.common import (
    COLONNE_LIGNE,
    Encodage,
    ExportRefuse,
    RawExport,
    exiger_des_reponses,
    noms_de_colonnes,
    sans_colonnes_fantomes,
    sans_lignes_vides,
)

SEPARATEURS = (",", ";", "\t")  # "," first: it wins ties
_ZIP = b"PK\x03\x04"
_BOM_UTF8 = b"\xef\xbb\xbf"
_ECHANTILLON = 1 << 20  # bytes decoded in Python to check the encoding early
_DETECTION = 1 << 16  # characters parsed three times to choose the separator
_ECHANTILLON_LIGNES = 50
# The csv module refuses fields over 128 Kio by default (a long description pasted in a
# form answer); the sample parsed here is at most 1 Mio and polars has no such limit.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
_INVALIDE = re.compile("[\udc80-\udcff]")
_MULTIOCTET = re.compile("[^\x00-\x7f\udc80-\udcff]")


def lire_csv(path: Path, lignes_max: int | None = None) -> RawExport:
    """Read a CSV export; encoding, separator and line endings are detected, not assumed.

    Polars reads the file itself (memory-mapped) while a worker thread streams it through
    SHA-256 (hashlib releases the GIL): measured cheaper than reading the bytes in Python.
    ``lignes_max``: read only the first records (no SHA-256: ``sha256`` is empty).
    """
    nom = path.name
    with ThreadPoolExecutor(max_workers=1) as fond:
        empreinte = fond.submit(_sha256, path) if lignes_max is None else None
        with path.open("rb") as fichier:
            debut = fichier.read(_ECHANTILLON)
        echantillon, encodage, motif = _decoder_echantillon(nom, debut)
        if not echantillon.strip():
            raise ExportRefuse(nom, "fichier_vide", f"Le fichier « {nom} » est vide.")
        separateur, entete = _separateur_et_entete(echantillon, len(debut) < _ECHANTILLON)
        noms, renommees = noms_de_colonnes(entete)
        frame, encodage, motif_fichier = _parser(path, encodage, separateur, noms, lignes_max)
        sha256 = empreinte.result() if empreinte is not None else ""
    premiere = 1 + _lignes_vides_en_tete(echantillon) + 1 + sum(c.count("\n") for c in entete)
    frame, multilignes = _numeroter(frame, premiere)
    frame, vides = sans_lignes_vides(frame)
    frame = sans_colonnes_fantomes(frame, renommees)
    exiger_des_reponses(nom, frame)
    retour = echantillon.find("\n")
    return RawExport(
        frame=frame,
        fichier=nom,
        sha256=sha256,
        format="csv",
        encodage=encodage,
        separateur=separateur,
        fin_de_ligne="CRLF" if retour > 0 and echantillon[retour - 1] == "\r" else "LF",
        champs_multilignes=multilignes,
        feuille=None,
        lignes_lues=frame.height,
        entetes_renommees=renommees,
        lignes_vides_ignorees=vides,
        raison_encodage=motif or motif_fichier,
    )


def lire_colonnes_csv(path: Path, colonnes: list[str]) -> pl.DataFrame:
    """Only some columns of a CSV export, every record, as raw text (no line numbers):
    what a proposed mapping needs to list the unknown answers of its choice columns."""
    with path.open("rb") as fichier:
        debut = fichier.read(_ECHANTILLON)
    echantillon, encodage, _ = _decoder_echantillon(path.name, debut)
    separateur, entete = _separateur_et_entete(echantillon, len(debut) < _ECHANTILLON)
    noms, _ = noms_de_colonnes(entete)
    indices = [noms.index(c) for c in colonnes if c in noms]
    frame, _, _ = _parser(path, encodage, separateur, noms, None, indices)
    return frame


def _parser(
    path: Path,
    encodage: Encodage,
    separateur: str,
    noms: list[str],
    lignes_max: int | None = None,
    indices: list[int] | None = None,
) -> tuple[pl.DataFrame, Encodage, str | None]:
    """Parse with polars; UTF-8 is validated by polars itself. A file whose first megabyte
    is valid UTF-8 but not the rest falls back to cp1252 when polars reports it (and
    when the file holds no valid UTF-8 accent: see :func:`_utf8_ou_cp1252`)."""
    motif: str | None = None
    if encodage != "cp1252":
        try:
            return _polars_csv(path, separateur, noms, lignes_max, indices), encodage, None
        except pl.exceptions.ComputeError as erreur:
            if "utf-8" not in str(erreur).lower():
                raise _csv_illisible(path, encodage, separateur, len(noms)) from erreur
            if encodage == "utf-8-sig":
                raise _indecodable(path.name) from erreur
            motif = _utf8_ou_cp1252(path.name, path.read_bytes())
    source = _decoder_cp1252(path.name, path.read_bytes()).encode("utf-8")
    try:
        return _polars_csv(source, separateur, noms, lignes_max, indices), "cp1252", motif
    except pl.exceptions.PolarsError as erreur:
        raise _csv_illisible(path, "cp1252", separateur, len(noms)) from erreur


def _utf8_ou_cp1252(nom: str, contenu: bytes) -> str:
    """Why a file that is not valid UTF-8 is read as Windows-1252, or a refusal when it
    is UTF-8 spoiled by a few bytes: read as cp1252, every accent of the rest would turn
    into « Ã© », headers included. Names the first invalid byte by line and column."""
    texte = contenu.decode("utf-8", errors="surrogateescape")
    mauvais = _INVALIDE.search(texte)
    if mauvais is None:  # only reached on a decoding error: cannot happen, stay safe
        return "lu en Windows-1252"
    ligne = texte.count("\n", 0, mauvais.start()) + 1
    colonne = mauvais.start() - (texte.rfind("\n", 0, mauvais.start()) + 1) + 1
    octet = f"0x{ord(mauvais.group()) - 0xDC00:02X}"
    ou = f"ligne {ligne}, caractère {colonne}"
    if _MULTIOCTET.search(texte):
        raise ExportRefuse(
            nom,
            "encodage_mixte",
            f"Le fichier « {nom} » est en UTF-8 mais contient un octet invalide ({octet}, "
            f"{ou}) : le lire en Windows-1252 abîmerait tous ses accents. Corrigez ce "
            "caractère dans le tableur, ou réexportez le fichier en CSV UTF-8.",
        )
    return f"Windows-1252 : l'octet {octet} ({ou}) n'est pas de l'UTF-8"


def _numeroter(frame: pl.DataFrame, premiere: int) -> tuple[pl.DataFrame, int]:
    """Add ``__ligne__``: record i starts at ``premiere`` + the physical lines of records
    before it, each 1 + the line feeds inside its fields (a CRLF inside a quoted field is
    one line feed). Returns the frame and how many records span several lines."""
    lignes = frame.select(
        pl.sum_horizontal(
            pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in frame.columns
        ).add(1)
    ).to_series()
    debut = lignes.cum_sum().shift(1, fill_value=0) + premiere
    return frame.with_columns(debut.cast(pl.Int64).alias(COLONNE_LIGNE)), int((lignes > 1).sum())


def _sha256(path: Path) -> str:
    with path.open("rb") as fichier:
        return hashlib.file_digest(fichier, "sha256").hexdigest()


def _polars_csv(
    source: Path | bytes,
    separateur: str,
    noms: list[str],
    lignes_max: int | None = None,
    indices: list[int] | None = None,
) -> pl.DataFrame:
    """Every field as a string; an empty field, quoted (``""``) or not, as null.
    ``lignes_max``: the first records only; ``indices``: those columns only."""
    if indices is not None:
        frame = pl.read_csv(
            source,
            glob=False,
            separator=separateur,
            infer_schema=False,
            columns=indices,
            null_values=[""],
            raise_if_empty=True,
        )
        return frame.rename(dict(zip(frame.columns, [noms[i] for i in indices], strict=True)))
    return pl.read_csv(
        source,
        glob=False,  # the exact file named: « a[1].csv » is a name, not a pattern
        separator=separateur,
        infer_schema=False,
        new_columns=noms,
        null_values=[""],
        raise_if_empty=True,
        n_rows=lignes_max,
    )


def _decoder_echantillon(nom: str, contenu: bytes) -> tuple[str, Encodage, str | None]:
    """The file's first megabyte decoded strictly (UTF-8 with BOM, UTF-8, else cp1252),
    and why it is not UTF-8 when it is not."""
    if contenu.startswith(_ZIP):
        raise ExportRefuse(
            nom,
            "csv_est_un_classeur",
            f"Le fichier « {nom} » est en fait un classeur Excel : renommez-le en .xlsx.",
        )
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in contenu[:4096]:
        raise ExportRefuse(
            nom,
            "encodage_illisible",
            f"Le fichier « {nom} » est en UTF-16 ou binaire : exportez-le en CSV UTF-8.",
        )
    bom = contenu.startswith(_BOM_UTF8)
    debut = contenu[len(_BOM_UTF8) :] if bom else contenu
    try:
        # final=False: a character cut by the sample boundary is not an error
        texte = codecs.getincrementaldecoder("utf-8")().decode(debut, final=False)
        return texte, ("utf-8-sig" if bom else "utf-8"), None
    except UnicodeDecodeError:
        if bom:
            raise _indecodable(nom) from None
    motif = _utf8_ou_cp1252(nom, debut)
    return _decoder_cp1252(nom, debut), "cp1252", motif


def _decoder_cp1252(nom: str, contenu: bytes) -> str:
    try:
        return contenu.decode("cp1252")
    except UnicodeDecodeError:
        raise _indecodable(nom) from None


def _indecodable(nom: str) -> ExportRefuse:
    return ExportRefuse(
        nom,
        "encodage_illisible",
        f"Le fichier « {nom} » n'est lisible ni en UTF-8 ni en Windows-1252 : "
        "réexportez-le en CSV UTF-8 depuis le tableur.",
    )


def _separateur_et_entete(echantillon: str, fichier_entier: bool) -> tuple[str, list[str]]:
    """The separator giving a multi-column header with the most consistent record widths.

    Each candidate parses the first records of the first 64 Ko (more if that holds fewer
    than three lines) with the ``csv`` module, quotes respected; the score is (header has
    several columns, share of records as wide as the header, header width). A
    single-column file falls back to ``,``. ``fichier_entier``: the sample is the whole file.
    """
    extrait = echantillon[:_DETECTION]
    if extrait.count("\n") < 3:
        extrait = echantillon
    tronque = len(extrait) < len(echantillon) or not fichier_entier
    meilleur: tuple[tuple[bool, float, int], str, list[str]] = ((False, 0.0, 0), ",", [""])
    for separateur in SEPARATEURS:
        lecteur = csv.reader(io.StringIO(extrait, newline=""), delimiter=separateur)
        lignes = [ligne for ligne in islice(lecteur, _ECHANTILLON_LIGNES + 1) if ligne]
        if tronque and len(lignes) > 1:
            lignes = lignes[:-1]  # the last record may be cut by the sample
        if not lignes:
            continue
        largeur = len(lignes[0])
        regulieres = sum(len(ligne) == largeur for ligne in lignes) / len(lignes)
        score = (largeur > 1, regulieres, largeur)
        if score > meilleur[0] or separateur == ",":
            meilleur = (score, separateur, lignes[0])
    return meilleur[1], meilleur[2]


def _lignes_vides_en_tete(texte: str) -> int:
    """Empty lines before the header, which polars skips."""
    debut = texte.lstrip("\r\n")
    return texte[: len(texte) - len(debut)].count("\n")


def _csv_illisible(path: Path, encodage: Encodage, separateur: str, largeur: int) -> ExportRefuse:
    """Explain a parse failure, naming the first record wider than the header if any."""
    nom = path.name
    texte = path.read_bytes().decode(encodage, errors="replace").removeprefix("\ufeff")
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    precedente = 0
    for enregistrement in _enregistrements(lecteur):
        if len(enregistrement) > largeur:
            return ExportRefuse(
                nom,
                "csv_illisible",
                f"Le fichier « {nom} », ligne {precedente + 1} : {len(enregistrement)} "
                f"colonnes pour {largeur} dans l'en-tête. Vérifiez les guillemets et les "
                f"séparateurs « {separateur} » de cette ligne.",
            )
        precedente = lecteur.line_num
    return ExportRefuse(
        nom,
        "csv_illisible",
        f"Le fichier « {nom} » n'a pas pu être lu comme un tableau CSV "
        "(guillemet non fermé ?) : réexportez-le depuis le tableur.",
    )


def _enregistrements(lecteur: Any) -> Iterator[list[str]]:
    """Records of a ``csv.reader``, stopping (not raising) where the module gives up."""
    try:
        yield from lecteur
    except csv.Error:
        return

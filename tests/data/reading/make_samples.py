"""Build the tiny committed samples read by tests/etl/test_reading.py.

Run once from the repository root when a sample must change, then commit the outputs:

    uv run python tests/data/reading/make_samples.py

Each sample imitates a Google Forms response export as a local team would send it.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

ICI = Path(__file__).resolve().parent
ENTETE = [
    "Horodateur",
    "Nom de la structure",
    "Département",
    "Heures d'insertion réalisées",
    "Part de femmes",
    "Description du projet",
]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # Excel 97-2003 container header
FIGE = datetime(2024, 1, 1)  # workbook metadata dates, so regenerating changes nothing visible


def csv_utf8_bom_point_virgule() -> bytes:
    """UTF-8 with BOM, ``;``, CRLF, quoted multi-line fields (CRLF and LF inside), a quoted
    empty field, a blank record and trailing empty lines. Records start on lines 2, 5, 6, 9."""
    lignes = [
        "Horodateur;Nom de la structure;Département;Heures d'insertion réalisées;"
        "Part de femmes;Description du projet",
        '21/11/2023 09:15:02;PLIE de l\'Étang;13;12 000;"12,5 %";"Chantier école\r\n'
        'réhabilitation\nQPV « Les Tilleuls »"',
        "21/11/2023 10:00:00;MDE Nièvre;58;45 000;15 %;Clauses dans 50 marchés",
        '21/11/2023 10:05:00;"";2a;n/a;;"Première ligne\r\nseconde ligne"',
        ";;;;;",
        "22/11/2023 16:00:01;Guichet rural;1;1.234;0,125;Sans retour à la ligne",
        "",
        "",
    ]
    return ("\ufeff" + "\r\n".join(lignes)).encode("utf-8")


def csv_cp1252_virgule() -> bytes:
    """Windows-1252 (Excel « CSV » on Windows) with ’ œ € « », ``,`` separator, LF."""
    texte = (
        "Horodateur,Nom de la structure,Commentaire\n"
        '21/11/2023 09:00:00,Cœur d’Hérault,"Budget 12 000 € « clauses », l’œuvre"\n'
        "21/11/2023 09:30:00,Maison de l’emploi,Aucun\n"
    )
    return texte.encode("cp1252")


def tsv_tabulations() -> bytes:
    """Tab-separated (Excel « texte Unicode » re-saved as UTF-8), LF, commas in values."""
    return (
        "Horodateur\tNom de la structure\tHeures d'insertion réalisées\n"
        "21/11/2023 09:00:00\tPLIE Sud, Est\t1 234,5\n"
        "21/11/2023 09:30:00\tMDE; Ouest\t800\n"
    ).encode()


def _classeur_sans_date(wb: Workbook) -> bytes:
    wb.properties.created = FIGE
    wb.properties.modified = FIGE
    tampon = io.BytesIO()
    wb.save(tampon)
    return tampon.getvalue()


def xlsx_deux_feuilles() -> bytes:
    """Sheet 1: typed cells (datetime, integer stored as float, decimal, percent cell,
    département typed as a number, boolean); sheet 2 « Notes » with its own header."""
    wb = Workbook()
    feuille = wb.active
    assert feuille is not None
    feuille.title = "Réponses au formulaire 1"
    feuille.append(ENTETE)
    feuille.append([datetime(2023, 11, 21, 9, 15, 2), "PLIE de l'Étang", 1, 1234.0, 0.125, "A"])
    feuille.append([datetime(2023, 11, 21, 12), "MDE Nièvre", "2A", 0.125, "12,5 %", "B\nC"])
    feuille.append([None, None, None, None, None, None])
    feuille.append([45251.5, "Guichet", True, 7, 0.07, None])
    feuille["A2"].number_format = "dd/mm/yyyy hh:mm:ss"
    feuille["A3"].number_format = "dd/mm/yyyy hh:mm"
    for cellule in ("E2", "E5"):
        feuille[cellule].number_format = "0.0%"
    notes = wb.create_sheet("Notes")
    notes.append(["Jury", "Note"])
    notes.append(["A. Martin", 14.5])
    return _classeur_sans_date(wb)


def xlsx_feuille_vide() -> bytes:
    """A workbook whose only sheet holds nothing."""
    wb = Workbook()
    return _classeur_sans_date(wb)


def xlsm_avec_macros() -> bytes:
    """A real workbook ZIP with a ``xl/vbaProject.bin`` entry (the mark of macros)."""
    wb = Workbook()
    feuille = wb.active
    assert feuille is not None
    feuille.append(["Horodateur", "Nom"])
    feuille.append(["21/11/2023", "X"])
    tampon = io.BytesIO(_classeur_sans_date(wb))
    with zipfile.ZipFile(tampon, "a") as archive:
        archive.writestr(zipfile.ZipInfo("xl/vbaProject.bin", FIGE.timetuple()[:6]), b"\0" * 64)
    return tampon.getvalue()


ECHANTILLONS = {
    "utf8_bom_point_virgule_crlf.csv": csv_utf8_bom_point_virgule,
    "cp1252_virgule.csv": csv_cp1252_virgule,
    "tabulations.tsv": tsv_tabulations,
    "deux_feuilles.xlsx": xlsx_deux_feuilles,
    "feuille_vide.xlsx": xlsx_feuille_vide,
    "macros.xlsm": xlsm_avec_macros,
    "macros_renomme.xlsx": xlsm_avec_macros,
    "faux_classeur.xlsx": lambda: b"Horodateur;Nom\r\n21/11/2023;X\r\n",
    "ancien_format.xls": lambda: OLE,
    "ancien_renomme.xlsx": lambda: OLE,
    "entete_seul.csv": lambda: b"Horodateur,Nom de la structure\r\n",
}


def main() -> None:
    for nom, fabrique in ECHANTILLONS.items():
        (ICI / nom).write_bytes(fabrique())
        print(f"{nom}: {(ICI / nom).stat().st_size} octets")


if __name__ == "__main__":
    main()

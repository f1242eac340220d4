"""Files → raw string frames: detection, line numbers, XLSX cells, refusals, speed."""

from __future__ import annotations

import csv
import hashlib
import io
import random
import statistics
import time
from pathlib import Path

import polars as pl
import pytest

from etl.reading import COLONNE_LIGNE, MO, ExportRefuse, RawExport, read_export
from etl.reading.workbook import _nombre_texte

ECHANTILLONS = Path(__file__).resolve().parents[1] / "data" / "reading"


def _ecrire(dossier: Path, nom: str, contenu: bytes) -> Path:
    chemin = dossier / nom
    chemin.write_bytes(contenu)
    return chemin


def _lignes(export: RawExport) -> list[int]:
    return export.frame[COLONNE_LIGNE].to_list()


# --- CSV samples -------------------------------------------------------------------------


def test_utf8_bom_semicolon_crlf_multiline() -> None:
    chemin = ECHANTILLONS / "utf8_bom_point_virgule_crlf.csv"
    export = read_export(chemin)
    assert (export.format, export.encodage, export.separateur, export.fin_de_ligne) == (
        "csv",
        "utf-8-sig",
        ";",
        "CRLF",
    )
    assert export.fichier == chemin.name
    assert export.sha256 == hashlib.sha256(chemin.read_bytes()).hexdigest()
    assert export.frame.columns[0] == "Horodateur"  # BOM stripped
    assert export.frame.columns[-1] == COLONNE_LIGNE
    assert all(export.frame.schema[c] == pl.String for c in export.frame.columns[:-1])
    # header line 1; record 1 spans 2-4 (CRLF and LF inside quotes); ";;;;;" on line 8
    assert _lignes(export) == [2, 5, 6, 9]
    assert export.champs_multilignes == 2
    assert (export.lignes_lues, export.lignes_vides_ignorees) == (4, 2)
    description = export.frame["Description du projet"].to_list()
    assert description[0] == "Chantier école\r\nréhabilitation\nQPV « Les Tilleuls »"
    ligne3 = export.frame.row(2, named=True)
    assert ligne3["Nom de la structure"] is None  # a quoted empty field is null too
    assert ligne3["Part de femmes"] is None
    assert ligne3["Heures d'insertion réalisées"] == "n/a"  # null markers are the normaliser's
    assert export.frame["Heures d'insertion réalisées"].to_list()[3] == "1.234"  # no inference


def test_cp1252_with_french_typography() -> None:
    export = read_export(ECHANTILLONS / "cp1252_virgule.csv")
    assert (export.encodage, export.separateur, export.fin_de_ligne) == ("cp1252", ",", "LF")
    assert export.frame["Nom de la structure"].to_list() == ["Cœur d’Hérault", "Maison de l’emploi"]
    assert export.frame["Commentaire"][0] == "Budget 12 000 € « clauses », l’œuvre"
    assert _lignes(export) == [2, 3]


def test_tab_separated_with_commas_and_semicolons_in_values() -> None:
    export = read_export(ECHANTILLONS / "tabulations.tsv")
    assert (export.encodage, export.separateur) == ("utf-8", "\t")
    assert export.frame["Nom de la structure"].to_list() == ["PLIE Sud, Est", "MDE; Ouest"]
    assert export.frame["Heures d'insertion réalisées"].to_list() == ["1 234,5", "800"]


@pytest.mark.parametrize("separateur", [",", ";", "\t"])
def test_separator_detected_despite_other_separators_inside_quotes(
    tmp_path: Path, separateur: str
) -> None:
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=separateur, lineterminator="\r\n")
    ecrivain.writerow(["Horodateur", "Réponse", "Commentaire"])
    for i in range(20):
        ecrivain.writerow([f"21/11/2023 10:{i:02d}:00", "Oui, membre ; AVE", "a\tb,c;d"])
    export = read_export(_ecrire(tmp_path, "x.csv", tampon.getvalue().encode()))
    assert export.separateur == separateur
    assert export.frame.columns == ["Horodateur", "Réponse", "Commentaire", COLONNE_LIGNE]
    assert export.frame["Réponse"].unique().to_list() == ["Oui, membre ; AVE"]


def test_everything_stays_text(tmp_path: Path) -> None:
    contenu = b"Code;Montant;Date;Vide\n01001;1e5;2023-11-21;\n007;0,10;21/11/2023;\n"
    export = read_export(_ecrire(tmp_path, "t.csv", contenu))
    assert export.frame.drop(COLONNE_LIGNE).rows() == [
        ("01001", "1e5", "2023-11-21", None),
        ("007", "0,10", "21/11/2023", None),
    ]


# --- Line numbers ------------------------------------------------------------------------


def _lignes_de_depart(texte: str, separateur: str) -> list[int]:
    """Oracle: where each non-blank record starts, as Python's csv module counts lines."""
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    departs, precedente = [], 0
    for rang, enregistrement in enumerate(lecteur):
        if rang > 0 and any(champ.strip() for champ in enregistrement):
            departs.append(precedente + 1)
        precedente = lecteur.line_num
    return departs


@pytest.mark.parametrize("fin", ["\n", "\r\n"])
def test_line_numbers_match_the_csv_module_on_random_multiline_files(
    tmp_path: Path, fin: str
) -> None:
    rng = random.Random(3)
    morceaux = ["a", "é", "x y", "1 234,5", "", "\n", "\r\n", "«\u00a0»", '"', ";", ","]
    for essai in range(30):
        tampon = io.StringIO()
        ecrivain = csv.writer(tampon, delimiter=";", lineterminator=fin)
        ecrivain.writerow(["Horodateur", "Texte\nsur deux lignes", "Autre"])
        for _ in range(rng.randint(1, 40)):
            champs = ["".join(rng.choices(morceaux, k=rng.randint(0, 4))) for _ in range(3)]
            champs[0] = champs[0] or "t"
            ecrivain.writerow(champs)
            if rng.random() < 0.1:
                tampon.write(fin)  # a blank line in the middle
        texte = tampon.getvalue() + fin * rng.randint(0, 2)
        export = read_export(_ecrire(tmp_path, f"f{essai}.csv", texte.encode()))
        assert _lignes(export) == _lignes_de_depart(texte, ";"), texte


def test_leading_blank_lines_and_multiline_header(tmp_path: Path) -> None:
    texte = '\n\n"Horodateur";"Question\nlongue"\n1;2\n3;"4\n5"\n6;7\n'
    export = read_export(_ecrire(tmp_path, "m.csv", texte.encode()))
    assert export.frame.columns[:2] == ["Horodateur", "Question\nlongue"]
    assert _lignes(export) == [5, 6, 8]


def test_duplicate_empty_and_phantom_headers(tmp_path: Path) -> None:
    texte = "Nom,Nom,,Commentaire,\r\nA,B,C,D,\r\nE,F,,H,\r\n"
    export = read_export(_ecrire(tmp_path, "h.csv", texte.encode()))
    assert export.frame.columns == ["Nom", "Nom (2)", "Colonne C", "Commentaire", COLONNE_LIGNE]
    assert export.entetes_renommees == {"Nom (2)": "Nom", "Colonne C": ""}
    assert export.frame["Colonne C"].to_list() == ["C", None]


# --- XLSX --------------------------------------------------------------------------------


def test_xlsx_typed_cells_become_faithful_text() -> None:
    export = read_export(ECHANTILLONS / "deux_feuilles.xlsx")
    assert (export.format, export.feuille) == ("xlsx", "Réponses au formulaire 1")
    assert (export.encodage, export.separateur, export.fin_de_ligne) == (None, None, None)
    assert _lignes(export) == [2, 3, 5]  # Excel rows; the empty row 4 is skipped
    assert export.lignes_vides_ignorees == 1
    lignes = export.frame.drop(COLONNE_LIGNE).rows()
    assert lignes[0] == ("2023-11-21T09:15:02", "PLIE de l'Étang", "1", "1234", "12,5 %", "A")
    assert lignes[1] == ("2023-11-21T12:00:00", "MDE Nièvre", "2A", "0.125", "12,5 %", "B\nC")
    assert lignes[2] == ("45251.5", "Guichet", "VRAI", "7", "7 %", None)
    # two percent-formatted cells; the typed « 12,5 % » text is not counted
    assert export.cellules_pourcentage == {"Part de femmes": 2}


def test_xlsx_second_sheet_and_missing_sheet() -> None:
    export = read_export(ECHANTILLONS / "deux_feuilles.xlsx", sheet="Notes")
    assert export.feuille == "Notes"
    assert export.frame.rows() == [("A. Martin", "14.5", 2)]
    with pytest.raises(ExportRefuse) as refus:
        read_export(ECHANTILLONS / "deux_feuilles.xlsx", sheet="Feuil3")
    assert refus.value.regle == "feuille_absente"
    assert "« Réponses au formulaire 1 », « Notes »" in refus.value.message


@pytest.mark.parametrize(
    ("valeur", "texte"),
    [
        (1234.0, "1234"),
        (0.125, "0.125"),
        (0.1 + 0.2, "0.3"),
        (1e-7, "0.0000001"),
        (1e20, "100000000000000000000"),
        (-0.0, "0"),
        (12, "12"),
        (73282932000074, "73282932000074"),
    ],
)
def test_numbers_are_written_without_float_noise(valeur: float, texte: str) -> None:
    assert _nombre_texte(valeur) == texte


# --- Refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nom", "regle", "extrait"),
    [
        ("macros.xlsm", "macros", "macros"),
        ("macros_renomme.xlsx", "macros", "macros"),
        ("faux_classeur.xlsx", "xlsx_invalide", "archive ZIP"),
        (
            "ancien_format.xls",
            "format_xls",
            "Réenregistrez-le au format .xlsx ou exportez-le en CSV",
        ),
        ("ancien_renomme.xlsx", "format_xls", "enregistrez-le au format .xlsx"),
        ("feuille_vide.xlsx", "fichier_vide", "est vide"),
        ("entete_seul.csv", "aucune_reponse", "aucune réponse"),
    ],
)
def test_samples_refused_with_a_french_message_naming_the_file(
    nom: str, regle: str, extrait: str
) -> None:
    with pytest.raises(ExportRefuse) as refus:
        read_export(ECHANTILLONS / nom)
    assert (refus.value.fichier, refus.value.regle) == (nom, regle)
    assert f"« {nom} »" in refus.value.message and extrait in refus.value.message
    assert str(refus.value) == refus.value.message
    assert isinstance(refus.value, ValueError)


@pytest.mark.parametrize(
    ("nom", "contenu", "regle"),
    [
        ("vide.csv", b"", "fichier_vide"),
        ("blanc.csv", b"\r\n\r\n  \n", "fichier_vide"),
        ("reponses.ods", b"PK\x03\x04", "extension_inconnue"),
        ("reponses", b"a,b\n1,2\n", "extension_inconnue"),
        ("utf16.csv", "a;b\r\n1;2\r\n".encode("utf-16"), "encodage_illisible"),
        ("indecodable.csv", b"a;b\n\x81\x8d;\x90\n", "encodage_illisible"),
        ("bom_faux.csv", b"\xef\xbb\xbfa;b\n\xe9t\xe9;1\n", "encodage_illisible"),
        ("classeur.csv", (ECHANTILLONS / "deux_feuilles.xlsx").read_bytes(), "csv_est_un_classeur"),
        ("vides.csv", b"a;b\n;\n \t; \n", "aucune_reponse"),
    ],
)
def test_unreadable_files_refused(tmp_path: Path, nom: str, contenu: bytes, regle: str) -> None:
    with pytest.raises(ExportRefuse) as refus:
        read_export(_ecrire(tmp_path, nom, contenu))
    assert refus.value.regle == regle
    assert f"« {nom} »" in refus.value.message


def test_too_big_refused_before_reading_with_sizes_in_mo(tmp_path: Path) -> None:
    chemin = _ecrire(tmp_path, "gros.csv", b"a;b\n" + b"1;2\n" * 800_000)  # 3,05 Mo
    with pytest.raises(ExportRefuse) as refus:
        read_export(chemin, max_bytes=2 * MO)
    assert refus.value.regle == "fichier_trop_volumineux"
    assert "pèse 3,1\u202fMo : la limite est de 2\u202fMo" in refus.value.message
    assert read_export(chemin, max_bytes=4 * MO).lignes_lues == 800_000


def test_ragged_line_refused_with_its_line_number(tmp_path: Path) -> None:
    texte = 'a;b\n1;2\n3;"x\ny"\n4;5;6\n'
    with pytest.raises(ExportRefuse) as refus:
        read_export(_ecrire(tmp_path, "r.csv", texte.encode()))
    assert refus.value.regle == "csv_illisible"
    assert "ligne 5 : 3 colonnes pour 2" in refus.value.message


def test_cp1252_detected_after_the_first_megabyte(tmp_path: Path) -> None:
    """The sample is valid UTF-8 (ASCII); polars finds the cp1252 byte further down."""
    corps = b"a;b\n" + b"abcdefghij;1\n" * 120_000 + "Cœur d’Hérault;2\n".encode("cp1252")
    export = read_export(_ecrire(tmp_path, "tard.csv", corps))
    assert export.encodage == "cp1252"
    assert export.frame["a"][-1] == "Cœur d’Hérault"
    assert export.frame[COLONNE_LIGNE][-1] == 120_002


# --- Speed -------------------------------------------------------------------------------

_MOTS = ["clause", "insertion", "marché", "bâtiment", "été", "œuvre", "façade", "réemploi"]
_MOTS += ["l’entreprise", "«\u00a0projet\u00a0»", "Saint-Étienne", "équipe", "déchets"]


def ecrire_export_volumineux(chemin: Path, lignes: int = 100_000, colonnes: int = 40) -> None:
    """A realistic Google Forms export: timestamps, numbers with narrow spaces, Oui/Non,
    percentages, short and long French answers, 1 % of long answers on several lines."""
    rng = random.Random(1)
    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        ecrivain = csv.writer(fichier, delimiter=",", lineterminator="\r\n")
        ecrivain.writerow(
            ["Horodateur"] + [f"Question n°{i} : précisez" for i in range(1, colonnes)]
        )
        for _ in range(lignes):
            ligne = [f"{rng.randint(1, 28):02d}/11/2023 {rng.randint(0, 23):02d}:15:00"]
            for c in range(1, colonnes):
                genre = c % 5
                if genre == 0:
                    ligne.append(f"{rng.randint(0, 200_000):,}".replace(",", "\u202f"))
                elif genre == 1:
                    ligne.append(rng.choice(["Oui", "Non", ""]))
                elif genre == 2:
                    ligne.append(f"{rng.randint(0, 100)},{rng.randint(0, 9)} %")
                else:
                    texte = " ".join(rng.choices(_MOTS, k=rng.randint(1, 4 if genre == 3 else 12)))
                    ligne.append(texte + ("\n" + texte if rng.random() < 0.01 else ""))
            ecrivain.writerow(ligne)


@pytest.mark.slow
def test_csv_reader_speed(tmp_path: Path) -> None:
    """read_export on 100 000 × 40 costs at most 2.5 × pl.read_csv (target 1.5): best of
    interleaved runs, so a busy machine slows both alike."""
    chemin = tmp_path / "gros.csv"
    ecrire_export_volumineux(chemin)
    export = read_export(chemin, max_bytes=1 << 30)
    assert export.lignes_lues == 100_000 and export.champs_multilignes > 0
    base, lecture = [], []
    for _ in range(5):
        debut = time.perf_counter()
        pl.read_csv(chemin)
        base.append(time.perf_counter() - debut)
        debut = time.perf_counter()
        read_export(chemin, max_bytes=1 << 30)
        lecture.append(time.perf_counter() - debut)
    rapport = min(lecture) / min(base)
    print(
        f"read_export / pl.read_csv = {rapport:.2f} (médianes {statistics.median(lecture):.3f}s"
        f" / {statistics.median(base):.3f}s)"
    )
    assert rapport <= 2.5

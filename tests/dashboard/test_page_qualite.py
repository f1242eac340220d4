"""« Qualité des données » on the demo warehouse: lineage of every load, the dirty
export's problems with their French messages, filters, downloads that a spreadsheet opens
safely, territories to check — and never a contact detail."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import polars as pl
from streamlit.testing.v1 import AppTest

from dashboard.exports import csv_bytes
from dashboard.queries.qualite import MASQUE, mask_personal
from etl.editions import load_editions
from etl.problems import rule_label
from tests.helpers import open_page

DIRTY = "reponses-trophees-2023-a-corriger.csv"


def quality(**params: str) -> AppTest:
    at = open_page("app_pages/qualite.py", **params)
    assert not at.exception
    return at


def tables(at: AppTest) -> dict[str, pl.DataFrame]:
    """Each dataframe of the page, named by its first column(s)."""
    named = {}
    for element in at.dataframe:
        frame = pl.from_pandas(element.value)
        named[" | ".join(frame.columns[:3])] = frame
    return named


LOADS = "Fichier | Édition | Encodage"
PROBLEMS = "Fichier | Ligne | Candidature"
DUPLICATES = "Fichier | Ligne | Cas"
TERRITORIES = "Candidature | Édition | Fichier"


def test_loads_show_lineage_of_every_file(app_env: Path) -> None:
    at = quality()
    loads = tables(at)[LOADS]
    assert loads.height == 3
    dirty = loads.filter(pl.col("Fichier") == DIRTY).row(0, named=True)
    assert dirty["Encodage"] == "cp1252"
    assert dirty["Séparateur"] == "point-virgule (;)"
    assert dirty["Correspondance des intitulés"] == "config/editions/2023.toml"
    assert dirty["Lignes lues"] == "40"
    assert dirty["Lignes écartées"] == "8"
    assert len(dirty["Chargé le"]) == len("25/11/2026 à 08:24")
    xlsx = loads.filter(pl.col("Fichier").str.ends_with(".xlsx")).row(0, named=True)
    assert xlsx["Encodage"] == "— (classeur XLSX)"
    assert {m.label: m.value for m in at.metric}["Fichiers chargés"] == "3"


def test_dirty_export_problems_are_listed_with_french_messages(app_env: Path) -> None:
    manifest = json.loads(
        (app_env / "raw" / "demo" / "2023" / DIRTY.replace(".csv", ".attendus.json")).read_text(
            encoding="utf-8"
        )
    )
    expected = {(p["ligne"], rule_label(p["regle"])) for p in manifest["problemes"]}
    problems = tables(quality())[PROBLEMS].filter(pl.col("Fichier") == DIRTY)
    assert expected <= set(zip(problems["Ligne"], problems["Règle"], strict=True))
    for row in problems.iter_rows(named=True):
        assert row["Message"].startswith(f"Fichier « {DIRTY} », ligne {row['Ligne']}")
        if row["Colonne"]:  # a problem on a value names its rule
            assert f"(règle « {row['Règle']} »)" in row["Message"]
    assert set(problems["Sévérité"]) == {"Erreur", "Avertissement"}
    negatif = problems.filter(pl.col("Règle") == "nombre négatif").row(0, named=True)
    assert negatif["Valeur saisie"] == "-1"  # raw value, as typed


def test_problem_filters_narrow_the_table(app_env: Path) -> None:
    at = quality()
    everything = tables(at)[PROBLEMS].height
    at.multiselect(key="qualite_severites").select("avertissement").run()
    warnings = tables(at)[PROBLEMS]
    assert 0 < warnings.height < everything
    assert set(warnings["Sévérité"]) == {"Avertissement"}
    at.multiselect(key="qualite_regles").select("hors_delai").run()
    late = tables(at)[PROBLEMS]
    assert set(late["Règle"]) == {"hors délai"}
    assert late.height == 4


def test_duplicates_and_territories_to_check(app_env: Path) -> None:
    named = tables(quality())
    duplicates = named[DUPLICATES]
    assert set(duplicates["Cas"]) == {"doublon identique", "version remplacée"}
    # named « structure — projet », the identifier last
    assert all(" — " in c for c in duplicates["Candidature retenue"])
    assert all(c.startswith(("2023-", "2024-")) for c in duplicates["Identifiant"])
    territories = named[TERRITORIES]
    assert set(territories["Statut"]) == {"ambigu", "avertissement"}
    assert all(" — " in c for c in territories["Candidature"])
    assert territories.columns[0] == "Candidature" and territories.columns[-1] == "Identifiant"
    saint_denis = territories.filter(pl.col("Statut") == "ambigu").row(0, named=True)
    assert "Saint-Denis" in saint_denis["Explication"]


def test_edition_filter_applies_to_loads_and_problems(app_env: Path) -> None:
    named = tables(quality(edition="2024"))
    assert named[LOADS]["Fichier"].to_list() == ["reponses-trophees-2024.xlsx"]
    assert set(named[PROBLEMS]["Fichier"]) == {"reponses-trophees-2024.xlsx"}


def test_downloads_are_offered(app_env: Path) -> None:
    labels = [b.label for b in quality().get("download_button")]
    assert labels == [
        "Télécharger les chargements (CSV)",
        "Télécharger ces problèmes (CSV)",
        "Télécharger les territoires à vérifier (CSV)",
    ]


def test_no_contact_detail_reaches_the_page(app_env: Path) -> None:
    personal = sorted({f for e in load_editions().values() for f in e.champs_personnels})
    con = duckdb.connect(str(app_env / "warehouse.duckdb"), read_only=True)
    try:
        masked = [
            r[0]
            for r in con.sql(
                "select valeur from rejets where list_contains(?, champ)", params=[personal]
            ).fetchall()
        ]
        contacts = con.sql(
            "select contact_email, contact_telephone, contact_nom from contacts"
        ).fetchall()
    finally:
        con.close()
    assert masked, "the dirty export should carry an invalid e-mail"
    assert set(masked) == {MASQUE}
    shown = " ".join(pl.from_pandas(d.value).write_csv() for d in quality().dataframe)
    for row in contacts:
        for value in row:
            if value:
                assert value not in shown
    assert MASQUE in shown


def test_mask_personal_keeps_the_explanation() -> None:
    problems = pl.DataFrame(
        {
            "fichier": ["f.csv", "f.csv", "f.csv"],
            "ligne": [4, 5, 6],
            "colonne": ["E-mail", "Téléphone", "Heures"],
            "champ": ["contact_email", "contact_telephone", "heures_insertion"],
            "valeur": ["a.b.example.org", "0", "-3"],
            "regle": ["email_invalide", "telephone_invalide", "nombre_negatif"],
            "message": [
                "ligne 4 : valeur « a.b.example.org » : adresse e-mail invalide",
                "ligne 5 : valeur 0 illisible",
                "ligne 6 : valeur « -3 » négative",
            ],
        }
    )
    masked = mask_personal(problems, {"contact_email", "contact_telephone"})
    assert masked["valeur"].to_list() == [MASQUE, MASQUE, "-3"]
    assert masked["message"][0] == f"ligne 4 : valeur « {MASQUE} » : adresse e-mail invalide"
    assert "0" not in masked["message"][1].replace("f.csv", "")  # rewritten whole
    assert masked["message"][2] == "ligne 6 : valeur « -3 » négative"


def test_safe_csv_neutralises_formulas_for_spreadsheets() -> None:
    frame = pl.DataFrame(
        {
            "Valeur": ['=HYPERLINK("http://x","y")', "+33 1", "-1", "@SUM(A1)", "\tx", "ok"],
            "Heures": [1, 2, 3, 4, 5, -6],
            "Motifs": [["=1+1"], [], None, ["a"], ["b"], ["c"]],
        }
    )
    data = csv_bytes(frame, role=None)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Valeur", "Heures", "Motifs"]
    assert rows[1] == ['\'=HYPERLINK("http://x","y")', "1", "'=1+1"]
    assert [r[0] for r in rows[2:]] == ["'+33 1", "'-1", "'@SUM(A1)", "'\tx", "ok"]
    assert rows[-1][1] == "-6"  # numbers are not text: written as they are


def test_each_flagged_row_names_its_candidature_and_the_correction_that_fits(
    app_env: Path,
) -> None:
    problems = tables(quality())[PROBLEMS].filter(pl.col("Fichier") == DIRTY)
    saint_denis = problems.filter(pl.col("Règle") == "territoire ambigu").row(0, named=True)
    assert " — " in saint_denis["Candidature"]
    assert saint_denis["Valeur saisie"] == "Saint-Denis / 75"
    assert saint_denis["Correction proposée"] == "Fixer le territoire"
    rejected = problems.filter(pl.col("Ligne écartée") == "oui")
    assert rejected.height > 0
    assert set(rejected["Candidature"]) == {""}  # a rejected line is no candidature
    assert set(rejected["Correction proposée"]) == {""}
    late = problems.filter(pl.col("Règle") == "hors délai")
    assert set(late["Correction proposée"]) == {"Décider de l'éligibilité"}
    implausible = problems.filter(pl.col("Règle") == "valeur invraisemblable")
    assert set(implausible["Correction proposée"]) == {"Exclure la valeur des totaux"}


def test_no_correction_control_for_an_analyst(app_env: Path) -> None:
    at = open_page("app_pages/qualite.py", role="analyste")
    assert not at.exception
    assert not any(b.label == "Ouvrir cette correction" for b in at.button)
    assert not any("Cliquez sur une ligne" in c.value for c in at.caption)

"""The export module: CSV/XLSX safe for French spreadsheets, personal data refused for the
communication role (real bytes, real workbook XML)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime

import polars as pl
import pytest
from openpyxl import load_workbook

from dashboard.exports import DonneesPersonnellesRefusees, csv_bytes, xlsx_bytes
from dashboard.exports.spreadsheets import contact_columns

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.fixture
def candidature() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Titre du projet": [HYPERLINK, "Chantier école", "@SUM(A1)", "-1", "\tx", "\rz"],
            "Téléphone": ["+33 1 23 45 67 89", "ok", "ok", "ok", "ok", "ok"],
            "Heures": [1200, 15, 3, 4, 5, -6],
            "Montant": [1.5, -2.25, 0.0, 10.0, None, -1e6],
            "Dépôt": [date(2023, 11, 21)] * 6,
            "Motifs": [["=1+1"], [], None, ["a"], ["b"], ["c", "d"]],
        }
    )


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: French Excel reads accents
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_neutralises_formulas_and_keeps_numbers(candidature: pl.DataFrame) -> None:
    rows = csv_rows(csv_bytes(candidature, role="admin"))
    assert rows[0] == ["Titre du projet", "Téléphone", "Heures", "Montant", "Dépôt", "Motifs"]
    titles = [r[0] for r in rows[1:]]
    assert titles == [f"'{HYPERLINK}", "Chantier école", "'@SUM(A1)", "'-1", "'\tx", "'\rz"]
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in titles)
    assert rows[1][1] == "'+33 1 23 45 67 89"  # a phone is text: neutralised, never a number
    assert [r[2] for r in rows[1:]] == ["1200", "15", "3", "4", "5", "-6"]  # numbers stay
    assert rows[1][3] == "1,5" and rows[2][3] == "-2,25"  # decimal comma for French Excel
    assert rows[1][4] == "21/11/2023"
    assert rows[1][5] == "'=1+1" and rows[6][5] == "c | d"


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_xlsx_has_no_formula_and_keeps_types(candidature: pl.DataFrame) -> None:
    data = xlsx_bytes(candidature, role="admin")
    xml = sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml  # no formula element anywhere
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.value == HYPERLINK and cell.data_type == "s"  # the exact text, as a string
    assert cell.quotePrefix  # Excel's own « typed with ' » marker
    assert sheet["B2"].value == "+33 1 23 45 67 89" and sheet["B2"].data_type == "s"
    assert [sheet.cell(r, 3).value for r in range(2, 8)] == [1200, 15, 3, 4, 5, -6]
    assert sheet["C7"].data_type == "n"  # a negative amount is a number
    assert sheet["D3"].value == -2.25 and sheet["D3"].data_type == "n"
    assert sheet["E2"].is_date
    assert sheet["F7"].value == "c | d"
    assert sheet["A1"].value == "Titre du projet"


def test_xlsx_aware_times_are_paris_time() -> None:
    frame = pl.DataFrame({"Quand": [datetime(2023, 12, 18, 9, 30, tzinfo=UTC)]})
    sheet = load_workbook(io.BytesIO(xlsx_bytes(frame, role=None))).active
    assert sheet is not None
    assert sheet["A2"].value == datetime(2023, 12, 18, 10, 30)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_communication_export_refuses_contact_columns(fmt: str) -> None:
    frame = pl.DataFrame({"Structure": ["PLIE du Val"], "contact_email": ["a@b.fr"]})
    export = csv_bytes if fmt == "csv" else xlsx_bytes
    with pytest.raises(DonneesPersonnellesRefusees, match="rôle communication"):
        export(frame, role="communication")
    assert export(frame, role="admin")  # the organiser may export them


@pytest.mark.parametrize(
    "value", ["écrire à marie.durand@example.org", "06 12 34 56 78", "+33 6 12 34 56 78"]
)
def test_communication_export_refuses_personal_looking_cells(value: str) -> None:
    frame = pl.DataFrame({"Citation": ["Un beau projet", value]})
    with pytest.raises(DonneesPersonnellesRefusees, match="ressemblent"):
        csv_bytes(frame, role="communication")


def test_communication_export_of_plain_figures_passes() -> None:
    frame = pl.DataFrame({"Région": ["Bretagne"], "Candidatures": [12], "Heures": [45_000]})
    text = csv_bytes(frame, role="communication").decode("utf-8-sig")
    assert re.search(r"Bretagne;12;45000", text)


def test_contact_columns_are_recognised_by_name() -> None:
    names = [
        "E-mail",
        "Courriel du référent",
        "Téléphone",
        "contact_nom",
        "Nom du contact",
        "email_repondant",
        "Heures",
        "Structure",
        "Commune",
    ]
    assert contact_columns(names) == names[:6]


@pytest.mark.parametrize(
    "text",
    [
        "Appelez le +33 (0)6 12 34 56 78",
        "Tél. 06/12/34/56/78",
        "écrire à x [at] example.org",
        "jean (at) asso point fr",
        "jean arobase asso.fr",
        "06 12 34 56 78",
    ],
)
def test_communication_exports_refuse_disguised_contacts(text: str) -> None:
    frame = pl.DataFrame({"Texte": ["Un beau projet", text]})
    with pytest.raises(DonneesPersonnellesRefusees, match="ressemblent à une adresse"):
        csv_bytes(frame, role="communication")
    assert csv_bytes(frame, role="admin")  # other roles may export their own data


@pytest.mark.parametrize(
    "text",
    ["12 000 h en 2023", "le 15/11/2023 à 10:12", "SIRET 123 456 789 00012", "29 000 000 h"],
)
def test_figures_and_dates_are_not_taken_for_phone_numbers(text: str) -> None:
    assert csv_bytes(pl.DataFrame({"Texte": [text]}), role="communication")

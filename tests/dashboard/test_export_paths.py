"""Every CSV/XLSX the product hands out goes through ``dashboard.exports`` and carries no
formula, even when candidates typed formula-like text; numbers stay numbers.

Exercised end to end on a warehouse whose structure names and project titles are
formula-like: the data-quality download, the jury's justification export (CSV and XLSX)
and the press kit's tables (key figures, highlights, alternative texts).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from dashboard import exports
from dashboard.jury import export as jury_export
from dashboard.jury.demo import fill_demo
from dashboard.jury.store import Store
from dashboard.press import kit
from etl import editions

ROOT = Path(__file__).resolve().parents[2]
FORMULAS = (
    '=HYPERLINK("http://x","y")',
    "+1+1",  # (a phone-like « +33 6… » is refused for communication: test_exports.py)
    "-2+3",
    "@SUM(1;2)",
    "\t=1+1",
)
FIELDS = ("structure_nom", "projet_titre")
DANGEROUS = tuple("=+-@\t\r")


def test_only_the_export_module_writes_spreadsheets() -> None:
    """Outside ``dashboard/exports``, nothing in the app or the ETL writes CSV or XLSX for
    a user (the ETL's fictitious *input* files and its content hash aside)."""
    allowed = {
        "etl/demo/writers.py",
        "etl/warehouse/storage.py",  # content_hash: a digest of the tables, never a file
        "etl/reading/workbook.py",
        "etl/reading/common.py",
    }
    pattern = re.compile(r"write_csv\(|write_excel\(|to_csv\(|openpyxl|xlsxwriter|csv\.writer")
    offenders = sorted(
        str(f.relative_to(ROOT))
        for folder in ("dashboard", "etl")
        for f in (ROOT / folder).rglob("*.py")
        if not str(f.relative_to(ROOT)).startswith("dashboard/exports/")
        and str(f.relative_to(ROOT)) not in allowed
        and pattern.search(f.read_text(encoding="utf-8"))
    )
    assert offenders == []


@pytest.fixture(scope="module")
def formula_data(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fictitious 2023 warehouse whose names and titles are formula-like, and a
    fictitious deliberation on it."""
    from etl import demo as synthetic
    from etl import warehouse

    data = tmp_path_factory.mktemp("donnees-formules")
    (data / "reference").symlink_to(reference_dir)
    raw = data / "raw"
    raw.mkdir()
    edition = editions.load_editions()[2023]
    export = synthetic.generate_export(edition, 60, 11, raw / "genere.csv").path
    frame = pl.read_csv(export, infer_schema=False)
    headers = {
        f.nom: next(h for h in f.accepted_headers if h in frame.columns)
        for f in edition.champs
        if f.nom in FIELDS
    }
    frame = frame.with_columns(
        pl.Series(
            header, [f"{FORMULAS[i % len(FORMULAS)]} {name} {i}" for i in range(frame.height)]
        )
        for name, header in headers.items()
    )
    hostile = raw / "formules.csv"
    frame.write_csv(hostile)
    warehouse.load_files(
        [hostile], 2023, warehouse=data / "warehouse.duckdb", ref_dir=reference_dir, fictif=True
    )
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        fill_demo(store, warehouse=data / "warehouse.duckdb")
        # a juror's comment typed as a formula
        store.write(
            lambda con: con.execute(
                "update notes set commentaire = ? where candidature_id = "
                "(select min(candidature_id) from notes where statut = 'soumise')",
                [FORMULAS[0]],
            )
        )
    return data


def _csv_cells(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _assert_csv_safe(data: bytes, *, expect_hostile: bool) -> None:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for French Excel"
    rows = _csv_cells(data)
    cells = [c for row in rows[1:] for c in row]
    bad = [c for c in cells if c[:1] in DANGEROUS and not _is_number(c)]
    assert bad == []
    if expect_hostile:  # positive control: the hostile text is there, neutralised
        assert any(c.startswith("'=HYPERLINK") for c in cells), cells[:20]


def _is_number(cell: str) -> bool:
    """A French-formatted number (a negative amount may start with « - »)."""
    return re.fullmatch(r"-?\d+(,\d+)?", cell) is not None


def _assert_xlsx_safe(data: bytes, *, expect_hostile: bool) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(book.read(n).decode("utf-8") for n in sheets)
        shared = (
            book.read("xl/sharedStrings.xml").decode("utf-8")
            if "xl/sharedStrings.xml" in book.namelist()
            else ""
        )
    assert sheets
    assert "<f>" not in xml and "<f " not in xml, "no formula element in any sheet"
    assert re.search(r'<c [^>]*t="n"|<c r="[A-Z]+\d+"( s="\d+")?><v>', xml), "numbers stay typed"
    if expect_hostile:
        assert "HYPERLINK" in xml + shared


def test_data_quality_download_has_no_formula(formula_data: Path) -> None:
    import duckdb

    con = duckdb.connect(str(formula_data / "warehouse.duckdb"), read_only=True)
    try:
        frame = con.sql(
            "select c.candidature_id, c.structure_nom, c.projet_titre, c.heures_insertion "
            "from candidatures c order by 1"
        ).pl()
    finally:
        con.close()
    _assert_csv_safe(exports.csv_bytes(frame, role="admin"), expect_hostile=True)
    _assert_xlsx_safe(exports.xlsx_bytes(frame, role="admin"), expect_hostile=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_jury_export_has_no_formula(formula_data: Path, fmt: str) -> None:
    edition = editions.load_editions()[2023]
    with Store(formula_data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        data = jury_export.export_bytes(store, "demo-admin", edition, fmt)  # type: ignore[arg-type]
    if fmt == "csv":
        _assert_csv_safe(data, expect_hostile=True)
    else:
        _assert_xlsx_safe(data, expect_hostile=True)


def test_press_kit_tables_have_no_formula(formula_data: Path) -> None:
    ctx = kit.prepare(
        2023,
        aujourdhui=date(2024, 1, 15),
        warehouse_path=formula_data / "warehouse.duckdb",
        store_path=formula_data / "deliberations.duckdb",
    )
    members = kit.kit_members(ctx).members
    tables = {n: b for n, b in members.items() if n.endswith((".csv", ".xlsx"))}
    assert any(n.endswith(".csv") for n in tables) and any(n.endswith(".xlsx") for n in tables)
    for name, data in tables.items():
        if name.endswith(".csv"):
            _assert_csv_safe(data, expect_hostile=False)
        else:
            _assert_xlsx_safe(data, expect_hostile=False)
    # the laureates' names reach the alternative texts: formula-like ones are neutralised
    alt = next(b for n, b in members.items() if n.endswith("textes-alternatifs.csv"))
    assert "HYPERLINK" in alt.decode("utf-8-sig")

"""Hostile or odd inputs to the console get a French answer, never a traceback (#19
findings 7 and 8): exact file names (never patterns), a huge field, a mapping that never
ends, one invalid UTF-8 byte, a decompression bomb, impossible output paths, an unknown
category."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import pytest

from dashboard.cli import main
from etl.reading import ExportRefuse, read_export
from tests.helpers import MINI
from tests.helpers import warehouse_rows as query


@pytest.fixture
def data(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "donnees"
    (folder / "raw").mkdir(parents=True)
    (folder / "reference").symlink_to(reference_dir)
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(folder))
    return folder


def loaded(data: Path) -> int:
    ((count,),) = query(data, "select count(*) from candidatures")
    return int(count)


def test_brackets_and_stars_are_file_names_not_patterns(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exact = data / "raw" / "a[1].csv"
    shutil.copy(MINI, exact)
    assert main(["load", str(exact), "--edition", "2023"]) == 0, capsys.readouterr().err
    assert loaded(data) == 4  # the tiny export's four candidatures
    # a pattern names no file: nothing else is read, the organiser is told
    shutil.copy(MINI, data / "raw" / "export-2023-v1.csv")
    shutil.copy(MINI, data / "raw" / "export-2023-v1-ANCIEN-ne-pas-charger.csv")
    capsys.readouterr()
    pattern = data / "raw" / "export-2023-v*.csv"
    assert main(["load", str(pattern), "--edition", "2023"]) == 1
    err = capsys.readouterr().err
    assert "export-2023-v*.csv » est introuvable" in err
    assert "pris à la lettre, jamais comme motif" in err
    assert "Traceback" not in err
    assert [r[0] for r in query(data, "select fichier from chargements")] == ["a[1].csv"]


def test_a_field_over_128_kio_in_the_first_lines_loads(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MINI.read_text(encoding="utf-8")
    long = "Description très longue. " * 8_000  # 200 Kio in the first record
    target = data / "raw" / "long.csv"
    target.write_text(text.replace("Un projet\nsur deux lignes", long, 1), encoding="utf-8")
    assert main(["load", str(target), "--edition", "2023"]) == 0, capsys.readouterr().err
    assert "Traceback" not in capsys.readouterr().err
    frame = read_export(target).frame
    assert max(len(v or "") for v in frame[frame.columns[18]]) > 128 * 1024


def test_a_mapping_that_never_ends_is_refused_after_a_megabyte(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.perf_counter()
    code = main(["load", str(MINI), "--edition", "2023", "--mapping", "/dev/zero"])
    assert code == 1
    assert time.perf_counter() - started < 10
    err = capsys.readouterr().err
    assert "fichier trop gros pour une configuration (plus de 1\u202fMo)" in err
    assert "Traceback" not in err


def test_one_invalid_byte_in_a_utf8_file_is_located_not_guessed(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = MINI.read_bytes()
    spoiled = raw.replace("Chantier école".encode(), b"Chantier \xe9cole", 1)
    target = data / "raw" / "abime.csv"
    target.write_bytes(spoiled)
    line = raw[: raw.index("Chantier école".encode())].count(b"\n") + 1
    assert main(["load", str(target), "--edition", "2023"]) == 1
    err = capsys.readouterr().err
    assert f"contient un octet invalide (0xE9, ligne {line}, caractère" in err
    assert "le lire en Windows-1252 abîmerait tous ses accents" in err
    # a whole Windows-1252 file is read as such, and the console says why
    cp1252 = data / "raw" / "windows.csv"
    cp1252.write_bytes(MINI.read_text(encoding="utf-8").encode("cp1252"))
    assert main(["load", str(cp1252), "--edition", "2023"]) == 0
    out = capsys.readouterr().out
    assert "lu (Windows-1252 : l'octet 0xB0 (ligne 1, caractère " in out
    assert "n'est pas de l'UTF-8" in out


def _bomb(path: Path, xml_bytes: int) -> Path:
    """A real workbook whose sheet inflates to ``xml_bytes`` of XML from a few Mo."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"/>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head.encode())
            chunk = (row * 20_000).encode()
            written = 0
            while written < xml_bytes:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


def test_a_decompression_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bombe.xlsx", 210 * 1024 * 1024)
    assert bomb.stat().st_size < 5 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(ExportRefuse) as refused:
        read_export(bomb)  # default 20 Mo: 25 × 20 Mo would have let 500 Mo through
    assert time.perf_counter() - started < 5
    assert refused.value.regle == "fichier_trop_volumineux"
    assert "décompressé pèse" in refused.value.message


def test_a_workbook_too_slow_to_read_is_stopped(tmp_path: Path) -> None:
    slow = tmp_path / "lent.xlsx"
    shutil.copy(Path(__file__).parents[1] / "data" / "reading" / "deux_feuilles.xlsx", slow)
    with pytest.raises(ExportRefuse) as refused:
        read_export(slow, time_limit_s=0)
    assert refused.value.regle == "xlsx_trop_long"
    assert "La lecture du classeur « lent.xlsx » dépasse 0 s" in refused.value.message


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["jury", "resultats", "--edition", "2023", "--export", "/inexistant/x.csv"],
            "Le dossier « /inexistant » n'existe pas",
        ),
        (
            ["jury", "resultats", "--edition", "2023", "--categorie", "XYZ"],
            "Catégorie « XYZ » inconnue pour l'édition 2023 : choisir parmi",
        ),
        (["jury", "resultats", "--edition", "1999"], "Édition 1999 inconnue"),
    ],
)
def test_jury_results_requests_that_cannot_be_met(
    data: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    assert main(args) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not Path("/inexistant").exists()


def test_press_kit_into_an_existing_file_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "deja-la.txt"
    existing.write_text("à garder", encoding="utf-8")
    assert main(["presse", "--edition", "2023", "--sortie", str(existing)]) == 1
    err = capsys.readouterr().err
    assert "est un fichier, pas un dossier" in err
    assert existing.read_text(encoding="utf-8") == "à garder"

"""The public palmarès site, built by the real code on the demo edition: embargo, no
personal data, « données fictives » everywhere, escaped text, folder replaced whole."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from dashboard.exports import images
from dashboard.exports.spreadsheets import EMAIL, TELEPHONE
from dashboard.site import MARKER, SiteImpossible, build_site, render, write_site, zip_bytes
from dashboard.site.content import SiteContent, gather, slug
from tests.helpers import db_rows

AVANT = date(2023, 12, 10)  # after the jury (7 Dec), before the ceremony (18 Dec)
APRES = date(2024, 1, 15)


def build(data: Path, out: Path, jour: date) -> Path:
    build_site(
        2023,
        out,
        aujourdhui=jour,
        warehouse_path=data / "warehouse.duckdb",
        store_path=data / "deliberations.duckdb",
    )
    return out


@pytest.fixture(scope="module")
def content(deliberated_data_dir: Path) -> SiteContent:
    return gather(
        2023,
        aujourdhui=APRES,
        warehouse_path=deliberated_data_dir / "warehouse.duckdb",
        store_path=deliberated_data_dir / "deliberations.duckdb",
    )


@pytest.fixture(scope="module")
def sites(deliberated_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sites")
    try:
        return {
            "avant": build(deliberated_data_dir, out / "avant", AVANT),
            "apres": build(deliberated_data_dir, out / "apres", APRES),
        }
    finally:
        images.stop()


def every_file(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_after_the_ceremony_each_laureate_has_its_page(
    sites: dict[str, Path], content: SiteContent
) -> None:
    laureates = content.laureates
    assert len(laureates) == 8  # one per prize of the 2023 demo deliberation
    home = (sites["apres"] / "index.html").read_text(encoding="utf-8")
    for laureat in laureates:
        page = sites["apres"] / "laureats" / f"{slug(laureat)}.html"
        text = page.read_text(encoding="utf-8")
        assert f"<h1>{laureat.structure}</h1>" in text.replace("&#39;", "'")
        assert f'href="laureats/{slug(laureat)}.html"' in home
        assert 'alt="Carte du lauréat' in text and 'alt="Carte du département' in text
    assert "Palmarès proclamé" in home
    for name in ("carte.html", "palmares.html", "integrer.html", "assets/carte.svg"):
        assert (sites["apres"] / name).is_file()


def test_before_the_ceremony_no_file_names_a_laureate(
    sites: dict[str, Path], content: SiteContent
) -> None:
    files = every_file(sites["avant"])
    assert not (sites["avant"] / "laureats").exists()
    home = files["index.html"].decode("utf-8")
    assert "Palmarès sous embargo" in home and "18/12/2023" in home
    leaks = {
        name: marker
        for laureat in content.laureates
        for marker in (laureat.structure, laureat.candidature_id, slug(laureat))
        for name, data in files.items()
        if marker.encode("utf-8") in data or marker.replace("'", "&#39;").encode() in data
    }
    assert leaks == {}


def test_no_file_of_the_site_holds_personal_data(
    sites: dict[str, Path], deliberated_data_dir: Path
) -> None:
    contacts = db_rows(
        deliberated_data_dir / "warehouse.duckdb",
        "select distinct contact_nom from contacts where edition = 2023 "
        "and contact_nom is not null",
    )
    names = [str(n) for (n,) in contacts]
    assert len(names) > 50  # the check below can find something
    for site in sites.values():
        for name, data in every_file(site).items():
            if name.endswith((".png",)):
                continue  # images carry no text layer (their alt text is checked in HTML)
            text = data.decode("utf-8")
            assert not EMAIL.search(text), name
            assert not TELEPHONE.search(re.sub(r"<[^>]+>", " ", text)), name
            assert not [n for n in names if n in text], name


def test_every_page_of_a_demo_build_says_fictitious(sites: dict[str, Path]) -> None:
    for site in sites.values():
        pages = sorted(site.rglob("*.html"))
        assert len(pages) >= 4
        for page in pages:
            assert "Données fictives" in page.read_text(encoding="utf-8"), page.name


def test_candidate_text_is_escaped(content: SiteContent) -> None:
    hostile = "<script>alert(1)</script> & « ![p](http://127.0.0.1:9/x.png) »"
    laureat = dataclasses.replace(content.laureates[0], structure=hostile, projet_titre=hostile)
    context = dataclasses.replace(content.context, laureats=[laureat])
    prizes = tuple(
        dataclasses.replace(
            p, laureats=(laureat,) if p.categorie.code == laureat.categorie_code else ()
        )
        for p in content.prizes
    )
    try:
        members = render(dataclasses.replace(content, context=context, prizes=prizes))
    finally:
        images.stop()
    for name, data in members.items():
        if name.endswith(".html"):
            assert b"<script>" not in data, name
    home = members["index.html"].decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in home


def test_a_foreign_folder_is_refused_and_a_previous_build_replaced(tmp_path: Path) -> None:
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "rapport.docx").write_bytes(b"important")
    with pytest.raises(SiteImpossible, match="n'est pas un site du palmarès"):
        write_site({"index.html": b"x", MARKER: b"m"}, foreign)
    assert (foreign / "rapport.docx").read_bytes() == b"important"

    site = tmp_path / "site"
    write_site({"index.html": b"v1", "vieux.html": b"old", MARKER: b"m"}, site)
    write_site({"index.html": b"v2", MARKER: b"m"}, site)
    assert (site / "index.html").read_bytes() == b"v2"
    assert not (site / "vieux.html").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_app_download_is_the_same_site_zipped(content: SiteContent) -> None:
    import io
    import zipfile

    try:
        members = render(content)
    finally:
        images.stop()
    with zipfile.ZipFile(io.BytesIO(zip_bytes(members))) as archive:
        names = set(archive.namelist())
    assert names == {f"palmares/{n}" for n in members}
    assert "palmares/index.html" in names

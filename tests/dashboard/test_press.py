"""Communication outputs on the demo warehouse and a fictitious deliberation: key figures,
highlights, embargo, cards, sheet, deck and the press kit (real DuckDB files, real images)."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from PIL import Image
from pptx import Presentation

from dashboard.accounts import Account
from dashboard.exports import images
from dashboard.exports.spreadsheets import EMAIL, TELEPHONE
from dashboard.jury.demo import fill_demo
from dashboard.jury.store import Store
from dashboard.press import embargo, highlights
from dashboard.press import kit as dossier
from dashboard.press.figures import edition_figures
from dashboard.press.laureates import Laureat
from etl import editions, warehouse
from etl.semantic.key_figures import Filtres, chiffres_cles
from tests.helpers import db_rows

AVANT = date(2023, 12, 10)  # between the jury (7 Dec) and the ceremony (18 Dec)
APRES = date(2024, 1, 15)
COMMUNICATION = Account("comm", "Camille Com", "communication")


@pytest.fixture(scope="module")
def data_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo warehouse with a fictitious deliberation (8 laureates in 2023)
    and two highlights."""
    data = tmp_path_factory.mktemp("presse")
    (data / "reference").symlink_to((demo_data_dir / "reference").resolve())
    shutil.copy(demo_data_dir / "warehouse.duckdb", data / "warehouse.duckdb")
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        fill_demo(store, warehouse=data / "warehouse.duckdb")
    return data


@pytest.fixture(scope="module")
def figures(data_dir: Path) -> list[dossier.ChiffreCle]:
    con = warehouse.connect(data_dir / "warehouse.duckdb")
    try:
        return edition_figures(con, 2023)
    finally:
        con.close()


def prepare(data_dir: Path, jour: date) -> dossier.Contexte:
    return dossier.prepare(
        2023,
        aujourdhui=jour,
        warehouse_path=data_dir / "warehouse.duckdb",
        store_path=data_dir / "deliberations.duckdb",
    )


@pytest.fixture(scope="module")
def highlighted(data_dir: Path, figures: list[dossier.ChiffreCle]) -> dict[str, str]:
    """A « Coup de cœur » on a laureate and a « Chiffre marquant » on a clean figure."""
    ctx = prepare(data_dir, APRES)
    laureat = ctx.laureats[0]
    clean = [f for f in figures if f.publiable][-1]  # not the first one: the deck moves it
    with Store(data_dir / "deliberations.duckdb", snapshot_delay_s=None) as store:
        highlights.add_highlight(
            store,
            COMMUNICATION,
            2023,
            "coup_de_coeur",
            "Un projet qui a fait bouger tout un territoire.",
            candidature_id=laureat.candidature_id,
        )
        highlights.add_highlight(
            store,
            COMMUNICATION,
            2023,
            "chiffre_marquant",
            "Des heures d'insertion par milliers.",
            chiffre_code=clean.code,
            chiffres=figures,
        )
    return {"laureat": laureat.candidature_id, "chiffre": clean.code}


@pytest.fixture(scope="module")
def kit_apres(data_dir: Path, highlighted: dict[str, str]) -> Iterator[dossier.Kit]:
    kit = dossier.kit_members(prepare(data_dir, APRES))
    yield kit
    images.stop()


@pytest.fixture(scope="module")
def kit_avant(data_dir: Path, highlighted: dict[str, str]) -> dossier.Kit:
    return dossier.kit_members(prepare(data_dir, AVANT))


# --------------------------------------------------------------------------- figures


def test_key_figures_come_from_the_semantic_layer(
    data_dir: Path, figures: list[dossier.ChiffreCle]
) -> None:
    con = warehouse.connect(data_dir / "warehouse.duckdb")
    cc = chiffres_cles(con, Filtres(edition=2023))
    con.close()
    by_code = {f.code: f for f in figures}
    assert by_code["candidatures"].valeur == cc.candidatures
    assert by_code["heures"].valeur == cc.heures
    assert by_code["heures"].texte.endswith("\u202fh") and "\u202f" in by_code["heures"].texte
    femmes = cc.part("nb_femmes").part
    assert femmes is not None and by_code["part_femmes"].valeur == pytest.approx(femmes)
    assert re.fullmatch(r"\d+(,\d)?\u202f%", by_code["part_femmes"].texte)
    for figure in figures:
        assert figure.source and re.fullmatch(r"\d\d/\d\d/\d{4}", figure.date)
        assert "FICTIVES" in figure.source  # the demo warehouse says it is fictitious


def test_warnings_are_counted_on_the_fields_behind_a_figure(
    data_dir: Path, figures: list[dossier.ChiffreCle]
) -> None:
    rows = db_rows(
        data_dir / "warehouse.duckdb",
        "select count(*) from problemes p join candidatures c on c.edition = p.edition "
        "and c.fichier = p.fichier and c.ligne = p.ligne "
        "where p.edition = 2023 and p.champ = 'nb_participants'",
    )
    by_code = {f.code: f for f in figures}
    assert rows[0][0] > 0  # the demo has a warning on participants
    assert by_code["participants"].avertissements == rows[0][0]
    assert not by_code["participants"].publiable
    assert by_code["candidatures"].publiable


# --------------------------------------------------------------------------- highlights


def test_chiffre_marquant_refused_on_a_figure_with_warnings(
    data_dir: Path, figures: list[dossier.ChiffreCle]
) -> None:
    with (
        Store(data_dir / "deliberations.duckdb", snapshot_delay_s=None) as store,
        pytest.raises(highlights.MiseEnAvantRefusee, match="avertissement"),
    ):
        highlights.add_highlight(
            store,
            COMMUNICATION,
            2023,
            "chiffre_marquant",
            "Tant de participants !",
            chiffre_code="participants",
            chiffres=figures,
        )


@pytest.mark.parametrize(
    ("compte", "texte", "message"),
    [
        (Account("ana", "Ana", "analyste"), "Bravo", "rôles communication"),
        (COMMUNICATION, "Écrire à jean.dupont@example.org", "e-mail"),
        (COMMUNICATION, "Appelez le 06 12 34 56 78", "téléphone"),
        (COMMUNICATION, "x" * 281, "trop long"),
        (COMMUNICATION, "   ", "vide"),
    ],
)
def test_highlight_checks(compte: Account, texte: str, message: str) -> None:
    with pytest.raises(highlights.MiseEnAvantRefusee, match=message):
        highlights.check_highlight(compte, "citation", texte, "2023-x", None, [])


def test_highlights_are_stored_with_author(data_dir: Path, highlighted: dict[str, str]) -> None:
    rows = db_rows(
        data_dir / "deliberations.duckdb",
        "select type, candidature_id, chiffre_code, auteur from mises_en_avant order by id",
    )
    assert rows == [
        ("coup_de_coeur", highlighted["laureat"], None, "comm"),
        ("chiffre_marquant", None, highlighted["chiffre"], "comm"),
    ]
    logged = db_rows(
        data_dir / "deliberations.duckdb",
        "select acteur, cible from journal where action = 'mise_en_avant' order by id",
    )
    assert logged == [("comm", highlighted["laureat"]), ("comm", highlighted["chiffre"])]


# --------------------------------------------------------------------------- embargo


def test_embargo_is_lifted_on_the_ceremony_day() -> None:
    edition = editions.load_editions()[2023]
    assert not embargo.embargo_of(edition, date(2023, 12, 17)).leve
    assert embargo.embargo_of(edition, date(2023, 12, 18)).leve
    message = embargo.embargo_of(edition, AVANT).message()
    assert "18/12/2023" in message


def test_laureates_are_read_from_the_deliberation(data_dir: Path) -> None:
    ctx = prepare(data_dir, AVANT)
    edition = editions.load_editions()[2023]
    assert len(ctx.laureats) == len(edition.categories)  # one laureate per prize (demo)
    assert ctx.laureats_publics == []  # decided, but not public before the ceremony
    order = [c.code for c in edition.categories]
    assert [x.categorie_code for x in ctx.laureats] == order
    assert all(1 <= len(x.chiffres) <= 3 for x in ctx.laureats)


def test_laureate_data_has_no_contact_field() -> None:
    fields = {f.name for f in dataclasses.fields(Laureat)}
    assert not fields & {"contact_nom", "contact_email", "contact_telephone", "email_repondant"}


# --------------------------------------------------------------------------- the kit


def texts_of(members: dict[str, bytes]) -> dict[str, str]:
    """Every text or XML part of the kit, nested archives (PPTX, XLSX) opened."""
    texts: dict[str, str] = {}
    for name, data in members.items():
        if name.endswith((".pptx", ".xlsx")):
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                for part in inner.namelist():
                    if part.endswith((".xml", ".rels")):
                        texts[f"{name}/{part}"] = inner.read(part).decode("utf-8")
        elif name.endswith((".csv", ".txt", ".json", ".svg")):
            texts[name] = data.decode("utf-8-sig")
    return texts


def contacts(data_dir: Path) -> list[str]:
    rows = db_rows(
        data_dir / "warehouse.duckdb",
        "select contact_nom, contact_email, email_repondant, contact_telephone "
        "from contacts where edition = 2023",
    )
    return sorted({v for row in rows for v in row if v})


def test_kit_has_every_output_and_no_personal_data(data_dir: Path, kit_apres: dossier.Kit) -> None:
    names = set(kit_apres.members)
    laureats = kit_apres.ctx.laureats_publics
    assert len(laureats) == 8
    for x in laureats:
        assert f"fiches/fiche-{x.categorie_code}-{x.candidature_id}.pdf" in names
        for fmt in ("1200x630", "1080x1080"):
            assert f"cartes/carte-{x.categorie_code}-{x.candidature_id}-{fmt}.png" in names
    expected = {
        "chiffres-cles.csv",
        "chiffres-cles.xlsx",
        "chiffres-par-region.csv",
        "mises-en-avant.csv",
        "textes-alternatifs.csv",
        "credits-et-sources.txt",
        "LISEZMOI.txt",
        "manifeste.json",
        "diaporama-ceremonie-2023.pptx",
        "graphiques/candidatures-par-prix.png",
        "graphiques/candidatures-par-prix.svg",
    }
    assert expected <= names
    archive = zipfile.ZipFile(io.BytesIO(dossier.zip_bytes(kit_apres.members)))
    assert sorted(archive.namelist()) == sorted(names)
    secrets = contacts(data_dir)
    assert len(secrets) > 100
    for name, text in texts_of(kit_apres.members).items():
        assert not EMAIL.search(text), name
        assert not TELEPHONE.search(text), name
        leaked = [s for s in secrets if s in text]
        assert leaked == [], name
    for x in laureats:  # what the PNGs and PDFs are drawn from
        values = " ".join(str(v) for v in dataclasses.astuple(x))
        assert not any(s in values for s in secrets)


def test_every_image_has_a_french_alt_text(kit_apres: dossier.Kit) -> None:
    alt = pl.read_csv(
        io.BytesIO(kit_apres.members["textes-alternatifs.csv"]), separator=";", encoding="utf8"
    )
    images_in_kit = {n for n in kit_apres.members if n.endswith((".png", ".svg"))}
    assert set(alt["Fichier"].to_list()) == images_in_kit
    for texte in alt["Texte alternatif"].to_list():
        assert len(texte) > 40
    card = alt.filter(pl.col("Fichier").str.starts_with("cartes/"))["Texte alternatif"][0]
    assert card.startswith("Carte du lauréat") and "Chiffres clés" in card


@pytest.mark.parametrize(("fmt", "size"), [("1200x630", (1200, 630)), ("1080x1080", (1080, 1080))])
def test_cards_have_their_size_and_are_not_blank(
    kit_apres: dossier.Kit, fmt: str, size: tuple[int, int]
) -> None:
    cards = [d for n, d in kit_apres.members.items() if n.endswith(f"-{fmt}.png")]
    assert len(cards) == 8
    image = Image.open(io.BytesIO(cards[0])).convert("RGB")
    assert image.size == size
    pixels = np.asarray(image).reshape(-1, 3)
    not_white = float((pixels != 255).any(axis=1).mean())
    assert 0.1 < not_white < 0.9  # band, text and map drawn, not a blank or solid image
    assert len(np.unique(pixels, axis=0)) > 50
    minimap_blue = np.array([158, 202, 225])  # maps.ECHELLE_BLEUS[1]: the département
    assert int((pixels == minimap_blue).all(axis=1).sum()) > 2000


def test_sheets_are_one_page_pdfs(kit_apres: dossier.Kit) -> None:
    sheets = [d for n, d in kit_apres.members.items() if n.endswith(".pdf")]
    assert len(sheets) == 8
    for pdf in sheets:
        assert pdf.startswith(b"%PDF")
        assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 1


def slides(deck: bytes) -> list[tuple[str, str | None]]:
    """Per slide: its text, and the alt text of its picture (a laureate card) if any."""
    out = []
    for slide in Presentation(io.BytesIO(deck)).slides:
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        descr = pictures[0]._element.nvPicPr.cNvPr.get("descr") if pictures else None
        out.append((text, descr))
    return out


def test_deck_follows_the_config_order(kit_apres: dossier.Kit) -> None:
    edition = editions.load_editions()[2023]
    deck = slides(kit_apres.members["diaporama-ceremonie-2023.pptx"])
    assert edition.nom in deck[0][0]
    expected: list[str] = []
    for categorie in edition.categories:
        expected.append(f"prix {categorie.numero}")
        expected += [
            f"lauréat {x.structure}"
            for x in kit_apres.ctx.laureats_publics
            if x.categorie_code == categorie.code
        ]
    seen = []
    for text, descr in deck[2:]:
        if descr is not None:
            structure = next(x.structure for x in kit_apres.ctx.laureats if x.structure in descr)
            seen.append(f"lauréat {structure}")
        else:
            seen.append("prix " + re.findall(r"Prix n° (\d+)", text)[0])
    assert seen == expected


def test_chiffre_marquant_leads_the_figures_slide(
    kit_apres: dossier.Kit, highlighted: dict[str, str]
) -> None:
    deck = Presentation(io.BytesIO(kit_apres.members["diaporama-ceremonie-2023.pptx"]))
    boxes = [s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame]
    boxes = [b for b in boxes if b]  # the coloured band is a shape without text
    tagged = next(f for f in kit_apres.ctx.chiffres if f.code == highlighted["chiffre"])
    first = next(f for f in kit_apres.ctx.chiffres if f.valeur is not None)
    assert tagged.code != first.code
    assert boxes[1] == tagged.texte and boxes[2] == tagged.libelle


def test_before_the_ceremony_no_output_names_a_laureate(kit_avant: dossier.Kit) -> None:
    laureats = kit_avant.ctx.laureats
    assert laureats and kit_avant.ctx.laureats_publics == []
    names = set(kit_avant.members)
    assert not any(n.startswith(("cartes/", "fiches/")) for n in names)
    texts = texts_of(kit_avant.members)
    for x in laureats:
        for name, text in texts.items():
            assert x.structure not in text, name
            assert x.candidature_id not in text, name
    deck = slides(kit_avant.members["diaporama-ceremonie-2023.pptx"])
    assert all(descr is None for _, descr in deck)
    assert "annoncé lors de la cérémonie du 18/12/2023" in deck[2][0]
    assert "Sous embargo jusqu'au 18/12/2023" in texts["LISEZMOI.txt"]


def test_highlight_on_a_laureate_waits_for_the_ceremony(
    kit_avant: dossier.Kit, kit_apres: dossier.Kit, highlighted: dict[str, str]
) -> None:
    avant = kit_avant.members["mises-en-avant.csv"].decode("utf-8-sig")
    apres = kit_apres.members["mises-en-avant.csv"].decode("utf-8-sig")
    assert "Chiffre marquant" in avant and "Coup de cœur" not in avant
    assert "Coup de cœur" in apres
    # named « structure — projet », never by identifier; figures by their label
    assert highlighted["laureat"] not in apres and " — " in apres.split("\n")[1]
    assert "comm" not in apres.split("\n")[0]  # no author column (a person's login)


def test_cli_builds_the_kit(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.cli import main

    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data_dir))
    sortie = tmp_path / "kit"
    assert (
        main(["presse", "--edition", "2023", "--sortie", str(sortie), "--aujourdhui", "2023-12-10"])
        == 0
    )
    assert (sortie / "dossier-de-presse-2023.zip").exists()
    assert (sortie / "LISEZMOI.txt").read_text(encoding="utf-8").startswith("Dossier de presse")

"""Feedback letters on the demo deliberation, read back from the PDFs: one per candidature,
the outcome of each prize, per-criterion means against the prize's median, only the
comments an admin shared, never one juror's score nor a juror's name."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from pypdf import PdfReader

from dashboard.accounts import Account
from dashboard.jury import letters
from dashboard.jury.store import Store
from etl import editions, warehouse
from etl.french import format_decimal
from etl.warehouse import contacts
from tests.helpers import db_rows

ADMIN = Account("admin-test", "Admin", "admin")
DAY = date(2024, 1, 8)


@pytest.fixture(scope="module")
def data(deliberated_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the deliberation where every comment is distinct, and two are shared."""
    target = tmp_path_factory.mktemp("lettres")
    (target / "reference").symlink_to((deliberated_data_dir / "reference").resolve())
    for name in ("warehouse.duckdb", "deliberations.duckdb"):
        shutil.copy(deliberated_data_dir / name, target / name)
    with Store(target / "deliberations.duckdb", snapshot_delay_s=None) as store:
        store.write(
            lambda con: con.execute(
                "update notes set commentaire = 'PRIVÉ ' || jure || ' ' || candidature_id "
                "|| ' ' || categorie_code"
            )
        )
        comments = letters.jury_comments(store.cursor(), 2023)
        chosen = comments.filter(pl.col("critere_code") == "").head(2)
        for row in chosen.iter_rows(named=True):
            letters.share_comment(
                store,
                ADMIN,
                2023,
                row["categorie_code"],
                row["candidature_id"],
                row["jure"],
                "",
                True,
            )
    return target


@pytest.fixture(scope="module")
def kit(data: Path) -> letters.LettersKit:
    con = warehouse.connect(data / "warehouse.duckdb")
    try:
        addresses = contacts.mailing(con, 2023)
    finally:
        con.close()
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        return letters.letters_kit(
            editions.load_editions()[2023],
            store.cursor(),
            day=DAY,
            contacts=addresses,
            warehouse_path=data / "warehouse.duckdb",
        )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def texts(kit: letters.LettersKit) -> dict[str, str]:
    return {name: pdf_text(data) for name, data in kit.pdfs.items()}


def store_rows(data: Path, sql: str, params: list[object]) -> list[tuple[object, ...]]:
    return db_rows(data / "deliberations.duckdb", sql, params)


def test_one_letter_per_current_candidature(data: Path, kit: letters.LettersKit) -> None:
    ids = db_rows(
        data / "warehouse.duckdb",
        "select candidature_id from candidatures where edition = 2023",
        [],
    )
    assert sorted(kit.pdfs) == sorted(f"lettre-{i}.pdf" for (i,) in ids)
    assert pdf_text(kit.toutes).count("Objet : votre candidature") == len(ids)
    assert kit.fictif
    assert set(kit.publipostage.columns) == {
        "Lettre",
        "Structure",
        "Projet",
        "Destinataire",
        "Courriel",
    }


def test_outcomes_match_the_jury_decisions(data: Path, texts: dict[str, str]) -> None:
    chosen = store_rows(
        data,
        "select candidature_id, categorie_code, niveau from selections where edition = 2023",
        [],
    )
    assert {n for _, _, n in chosen} == {"laureat", "preselection"}
    config = editions.load_editions()[2023]
    for cid, code, niveau in chosen:
        text = texts[f"lettre-{cid}.pdf"]
        numero = config.category(str(code)).numero
        block = text.split(f"Prix n° {numero} —")[1]
        expected = "Lauréate" if niveau == "laureat" else "Présélectionnée"
        assert f"Résultat : {expected}" in block.split("Prix n°")[0]
    ineligible = db_rows(
        data / "warehouse.duckdb",
        "select candidature_id from candidature_categories where edition = 2023 and not eligible",
        [],
    )
    assert ineligible
    assert all("Résultat : Non éligible" in texts[f"lettre-{i}.pdf"] for (i,) in ineligible)


def test_criteria_are_means_of_several_jurors_beside_the_prize_median(
    data: Path, kit: letters.LettersKit
) -> None:
    scores = pl.DataFrame(
        store_rows(
            data,
            """
            select k.categorie_code, k.candidature_id, k.critere_code, k.valeur
            from notes_criteres k join notes n using (edition, categorie_code, candidature_id, jure)
            where k.edition = 2023 and n.statut = 'soumise' and not n.abstention
              and not exists (select 1 from recusations r where r.edition = n.edition
                  and r.candidature_id = n.candidature_id and r.jure = n.jure)
            """,
            [],
        ),
        schema=["categorie", "candidature", "critere", "valeur"],
        orient="row",
    )
    means = scores.group_by("categorie", "candidature", "critere").agg(
        moyenne=pl.col("valeur").mean(), n=pl.len()
    )
    medians = means.group_by("categorie", "critere").agg(mediane=pl.col("moyenne").median())
    config = editions.load_editions()[2023]
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        built = {
            x.candidature_id: x
            for x in letters.letters(config, store.cursor(), data / "warehouse.duckdb")
        }
    checked = 0
    for row in means.filter(pl.col("n") >= 2).head(40).iter_rows(named=True):
        category = config.category(row["categorie"])
        prize = next(p for p in built[row["candidature"]].prix if p.numero == category.numero)
        libelle = next(c.libelle for c in category.criteres if c.code == row["critere"])
        result = next(c for c in prize.criteres if c.libelle == libelle)
        assert result.moyenne == pytest.approx(row["moyenne"])
        median = medians.filter(
            (pl.col("categorie") == row["categorie"]) & (pl.col("critere") == row["critere"])
        )["mediane"][0]
        assert result.mediane_prix == pytest.approx(median)
        text = pdf_text(kit.pdfs[f"lettre-{row['candidature']}.pdf"])
        assert format_decimal(row["moyenne"], 1) in text and format_decimal(median, 1) in text
        checked += 1
    assert checked == 40
    # a candidature scored by one juror shows no per-criterion figure: it would be that score
    single = (
        means.group_by("categorie", "candidature").agg(n=pl.col("n").max()).filter(pl.col("n") == 1)
    )
    assert single.height > 0
    for row in single.iter_rows(named=True):
        numero = config.category(row["categorie"]).numero
        prize = next(p for p in built[row["candidature"]].prix if p.numero == numero)
        assert all(c.moyenne is None for c in prize.criteres)
        text = pdf_text(kit.pdfs[f"lettre-{row['candidature']}.pdf"])
        assert "communiqué qu'à partir de deux notes" in text


def test_only_shared_comments_appear_and_never_a_juror(data: Path, texts: dict[str, str]) -> None:
    shared = store_rows(
        data, "select candidature_id, categorie_code, jure from commentaires_partages", []
    )
    assert len(shared) == 2
    everything = "\n".join(texts.values())
    for cid, code, jure in shared:
        assert f"« PRIVÉ {jure} {cid} {code} »" in texts[f"lettre-{cid}.pdf"]
    jurors = {str(j) for (j,) in store_rows(data, "select distinct jure from notes", [])}
    comments = store_rows(data, "select count(*) from notes where commentaire is not null", [])
    assert comments[0][0] > 100
    assert everything.count("PRIVÉ") == 2  # the shared ones, quoted once each
    # jurors' identifiers only ever appear inside the two quoted (test) comments
    assert all(everything.count(j) <= 2 for j in jurors)


def test_only_an_admin_shares_and_it_is_logged(data: Path) -> None:
    juror = Account("demo-jure-01", "Juré", "jury")
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        with pytest.raises(letters.ShareRefused, match="administrateur"):
            letters.share_comment(store, juror, 2023, "COMM", "x", "y", "", True)
        con: duckdb.DuckDBPyConnection = store.cursor()
        logged = con.sql(
            "select count(*) from journal where action = 'partage_commentaire'"
        ).fetchall()[0][0]
    assert logged == 2

"""Page « Communication » opened through the app (AppTest), on a copy of the demo warehouse
with a fictitious deliberation: key figures, laureates, highlights form, role guard."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.jury.demo import fill_demo
from dashboard.jury.store import Store
from tests.helpers import signed_in_app

PAGE = "app_pages/communication.py"


@pytest.fixture(scope="module")
def page_data_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("communication")
    (data / "reference").symlink_to((demo_data_dir / "reference").resolve())
    shutil.copy(demo_data_dir / "warehouse.duckdb", data / "warehouse.duckdb")
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        fill_demo(store, warehouse=data / "warehouse.duckdb")
    return data


@pytest.fixture
def env(page_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import streamlit as st

    monkeypatch.setenv("TROPHEES_DATA_DIR", str(page_data_dir))
    st.cache_data.clear()
    st.cache_resource.clear()  # also closes nothing: the page's Store is dropped with it
    return page_data_dir


def open_communication(role: str, edition: int = 2023) -> AppTest:
    at = signed_in_app(role)
    at.session_state["communication_edition"] = edition
    at.run()
    at.switch_page(PAGE).run()
    return at


def test_communication_sees_key_figures_and_laureates(env: Path) -> None:
    at = open_communication("communication")
    assert not at.exception
    assert at.title[0].value == "Communication"
    assert any("Embargo levé" in s.value for s in at.success)  # 2023 ceremony is past
    tables = [df.value for df in at.dataframe]
    figures = tables[0]
    assert "Heures d'insertion réalisées" in list(figures["Chiffre"])
    assert {"Source", "Date", "Portée"} <= set(figures.columns)
    laureats = next(t for t in tables if "Structure" in t.columns)
    assert len(laureats) == 8
    for table in tables:  # no contact anywhere on the page
        text = table.to_csv()
        assert "@" not in text


def test_chiffre_marquant_offers_only_figures_without_warnings(env: Path) -> None:
    at = open_communication("communication")
    chiffre = next(s for s in at.selectbox if s.label.startswith("Chiffre"))
    assert "participants" not in chiffre.options  # the demo has warnings on participants
    assert any("Candidatures reçues" in o for o in chiffre.options)
    assert any("Participants aux clauses" in c.value for c in at.caption)


def test_highlight_form_records_a_coup_de_coeur(env: Path) -> None:
    at = open_communication("communication")
    next(s for s in at.selectbox if s.label == "Type").set_value("coup_de_coeur")
    choice = next(s for s in at.selectbox if s.label.startswith("Candidature"))
    libelle = choice.options[0]  # AppTest lists the shown labels
    choice.select(libelle)
    at.text_area[0].input("Un projet exemplaire pour tout le réseau.")
    next(b for b in at.button if "Mettre en avant" in b.label).click().run()
    assert not at.exception
    # the page holds the store read-write: read it through the same database instance
    con = duckdb.connect(str(env / "deliberations.duckdb"))
    try:
        rows = con.sql(
            "select type, candidature_id, texte, auteur from mises_en_avant where edition = 2023"
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == 1
    type_, candidature_id, texte, auteur = rows[0]
    assert (type_, texte, auteur) == (
        "coup_de_coeur",
        "Un projet exemplaire pour tout le réseau.",
        "test-communication",
    )
    assert candidature_id.startswith("2023-") and libelle.endswith("(2023)")
    shown = next(df.value for df in at.dataframe if "Texte" in df.value.columns)
    assert "Un projet exemplaire pour tout le réseau." in list(shown["Texte"])


@pytest.mark.parametrize("role", ["analyste", "jury"])
def test_other_roles_cannot_reach_the_page(env: Path, role: str) -> None:
    from dashboard.navigation import pages_for

    paths = [p.path for pages in pages_for(role, has_data=True).values() for p in pages]
    assert PAGE not in paths
    assert PAGE in [p.path for pages in pages_for("admin", has_data=True).values() for p in pages]
    at = signed_in_app(role)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_a_highlight_can_be_removed(env: Path) -> None:
    from dashboard.accounts import Account
    from dashboard.press import highlights

    with Store(env / "deliberations.duckdb", snapshot_delay_s=None) as store:
        added = highlights.add_highlight(
            store,
            Account("comm2", "Comm", "communication"),
            2023,
            "citation",
            "Citation à retirer.",
            candidature_id="2023-0000000000",
        )
    at = open_communication("communication")
    retirer = next(s for s in at.selectbox if s.label == "Mise en avant à retirer")
    retirer.set_value(added)
    next(b for b in at.button if b.label == "Retirer").click().run()
    assert not at.exception
    con = duckdb.connect(str(env / "deliberations.duckdb"))
    try:
        left = con.sql("select count(*) from mises_en_avant where id = ?", params=[added])
        assert left.fetchall() == [(0,)]
    finally:
        con.close()


def test_the_public_site_is_offered_as_a_download(env: Path) -> None:
    at = open_communication("communication")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Site du palmarès (ZIP)" in labels

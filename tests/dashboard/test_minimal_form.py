"""A form that asked only the required questions: every page opens, the press kit is
built. (The notebooks run on it in tests/test_notebooks.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from dashboard.navigation import PAGES
from tests.helpers import open_page, warehouse_rows


@pytest.fixture
def minimal_env(minimal_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(minimal_data_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    return minimal_data_dir


def test_the_warehouse_has_every_field_though_the_form_asked_few(minimal_env: Path) -> None:
    columns = {r[0] for r in warehouse_rows(minimal_env, "describe candidatures")}
    assert {"structure_siret", "code_postal", "nb_donneurs_ordre_publics", "heures_insertion"} <= (
        columns
    )
    # without the form's own e-mail question, the respondent is the contact's e-mail,
    # the same on every line of this export: one candidature per title
    counted = "select count(*), count(heures_insertion), count(code_postal) from candidatures"
    assert warehouse_rows(minimal_env, counted) == [(2, 0, 0)]


@pytest.mark.parametrize(
    "page", [p for p in PAGES], ids=[p.path.removeprefix("app_pages/") for p in PAGES]
)
def test_every_page_opens(minimal_env: Path, page: object) -> None:
    from dashboard.navigation import PageSpec

    assert isinstance(page, PageSpec)
    role = "admin" if "admin" in page.roles else sorted(page.roles)[0]
    at = open_page(page.path, role=role)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{page.path} : rien d'affiché"


def test_the_press_kit_is_built(
    minimal_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dashboard.cli import main

    sortie = tmp_path / "kit"
    args = ["presse", "--edition", "2023", "--sortie", str(sortie), "--aujourdhui", "2023-12-20"]
    assert main(args) == 0, capsys.readouterr().err
    assert (sortie / "dossier-de-presse-2023.zip").exists()


@pytest.fixture(scope="module")
def reworded_dir(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reworded 2023 export loaded with its proposed mapping (tests/etl/test_intake)."""
    from etl import editions, mapping, warehouse
    from tests.etl.test_intake import CSV

    data = tmp_path_factory.mktemp("donnees-reformulees")
    (data / "reference").symlink_to(reference_dir)
    edition = editions.load_editions()[2023]
    correspondance = data / "correspondance.toml"
    correspondance.write_text(
        mapping.mapping_file_text(mapping.propose_file(CSV, edition), edition), encoding="utf-8"
    )
    warehouse.load_files(
        [CSV], 2023, mapping=correspondance, warehouse=data / "warehouse.duckdb",
        ref_dir=reference_dir,
    )  # fmt: skip
    return data


def test_the_fiche_shows_the_text_of_an_autre_answer(
    reworded_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(reworded_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    # the Fiche's address names the candidature (« structure — projet (édition) »)
    label = "GIP Insertion Sud Réunion — Nout kartié i travay (2023)"
    at = open_page("app_pages/fiche.py", candidature=label, edition="2023")
    assert not at.exception
    shown = [t.value for t in at.text]
    assert "Type de structure précisé (réponse « Autre ») : GIP" in shown

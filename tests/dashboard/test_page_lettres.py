"""Page « Lettres aux candidats » through AppTest on the demo deliberation (admin only)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import signed_in_app

PAGE = "app_pages/lettres.py"


@pytest.fixture
def env(deliberated_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import streamlit as st

    data = tmp_path / "donnees"
    data.mkdir()
    (data / "reference").symlink_to((deliberated_data_dir / "reference").resolve())
    for name in ("warehouse.duckdb", "deliberations.duckdb"):
        shutil.copy(deliberated_data_dir / name, data / name)
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    st.cache_data.clear()
    st.cache_resource.clear()
    return data


def open_letters(role: str) -> AppTest:
    at = signed_in_app(role)
    at.session_state["lettres_edition"] = 2023
    at.run()
    at.switch_page(PAGE).run()
    return at


def test_admin_prepares_every_letter_and_the_mailing_file(env: Path) -> None:
    at = open_letters("admin")
    assert not at.exception
    assert at.title[0].value == "Lettres aux candidats"
    assert any("0 partagé" in c.value for c in at.caption)  # nothing shared by default
    next(b for b in at.button if b.label == "Préparer les lettres").click().run()
    assert not at.exception
    assert any("114 lettres produites" in m.value for m in at.markdown)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        "Toutes les lettres (ZIP)",
        "Toutes les lettres en un PDF (impression)",
        "Fichier de publipostage (CSV)",
    ]


@pytest.mark.parametrize("role", ["jury", "communication", "analyste"])
def test_other_roles_do_not_reach_the_page(env: Path, role: str) -> None:
    from dashboard.navigation import pages_for

    assert PAGE not in [p.path for pages in pages_for(role, has_data=True).values() for p in pages]
    at = signed_in_app(role)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


@pytest.mark.parametrize("role", ["jury", "communication", "analyste"])
def test_the_mailing_addresses_are_refused_to_other_roles(env: Path, role: str) -> None:
    from dashboard.accounts import Account
    from dashboard.queries import contacts

    with pytest.raises(PermissionError, match="données personnelles"):
        contacts.mailing(2023, Account("x", "X", role))
    assert contacts.mailing(2023, Account("a", "A", "admin")).height == 114

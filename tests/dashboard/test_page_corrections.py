"""« Corrections » (admin) run by Streamlit on a warehouse built by the real ETL: a value
corrected with its reason is recorded, applied at once and listed; a territory is found
by name and département (« Saint-Denis 93 » → 93066) and fixed; an undo is recorded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.corrections.proposed import PROPOSEE, Proposee
from etl import warehouse
from etl.corrections import Kind, store
from tests.helpers import MINI, shown, signed_in_app, warehouse_rows


@pytest.fixture
def data(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "donnees"
    (data / "raw").mkdir(parents=True)
    (data / "reference").symlink_to(reference_dir)
    shutil.copy(MINI, data / "raw" / MINI.name)
    warehouse.load_files(
        [data / "raw" / MINI.name], 2023, warehouse=data / "warehouse.duckdb", ref_dir=reference_dir
    )
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    return data


def open_corrections() -> AppTest:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = signed_in_app()
    at.run()
    at.switch_page("app_pages/corrections.py").run()
    assert not at.exception, at.exception
    return at


def maison(data: Path) -> str:
    ((cid,),) = warehouse_rows(
        data,
        "select candidature_id from candidatures "
        "where structure_nom = 'Maison de l''Emploi Fictive'",
    )
    return str(cid)


def field(name: str) -> object:
    from etl import editions

    return next(f for f in editions.load_editions()[2023].champs if f.nom == name)


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def test_a_value_corrected_in_the_app_is_applied_listed_and_undone(data: Path) -> None:
    cid = maison(data)
    at = open_corrections()
    at.selectbox(key="corrections_nature").set_value(Kind.VALEUR).run()
    at.selectbox(key="corrections_candidature").set_value(cid).run()
    at.selectbox(key="corrections_champ").set_value(field("heures_insertion")).run()
    at.text_input(key="corrections_valeur").input("2 800").run()
    at.text_input(key="corrections_motif").input("Chiffre cumulé depuis 2019").run()
    click(at, "Enregistrer et appliquer")
    assert any("Correction n° 1 enregistrée" in s.value for s in at.success)
    assert warehouse_rows(
        data, "select heures_insertion, corrige from candidatures where candidature_id = ?", [cid]
    ) == [(2800, True)]
    with store.connect() as con:
        (saved,) = store.corrections(con, 2023)
    assert (saved.valeur_saisie, saved.motif) == ("1234.5", "Chiffre cumulé depuis 2019")
    assert saved.auteur.startswith("Test admin")
    register = shown(at.table[0])
    assert register.loc[0, "État"] == "appliquée"
    assert register.loc[0, "Candidature"].startswith("Maison de l'Emploi Fictive — ")

    at.selectbox(key="corrections_annuler").set_value(1).run()
    at.text_input(key="corrections_pourquoi").input("Erreur de ma part").run()
    click(at, "Annuler la correction")
    assert warehouse_rows(
        data, "select heures_insertion, corrige from candidatures where candidature_id = ?", [cid]
    ) == [(1234.5, False)]
    assert shown(at.table[0]).loc[0, "État"].startswith("annulée le ")


def test_a_missing_reason_is_refused_in_french(data: Path) -> None:
    at = open_corrections()
    at.selectbox(key="corrections_nature").set_value(Kind.RETRAIT).run()
    at.selectbox(key="corrections_candidature").set_value(maison(data)).run()
    click(at, "Enregistrer et appliquer")
    assert any("Le motif est obligatoire" in e.value for e in at.error)
    with store.connect() as con:
        assert store.corrections(con, 2023) == []


def test_a_territory_is_found_by_name_and_departement_then_fixed(data: Path) -> None:
    cid = maison(data)
    at = open_corrections()
    at.selectbox(key="corrections_nature").set_value(Kind.TERRITOIRE).run()
    at.selectbox(key="corrections_candidature").set_value(cid).run()
    at.text_input(key="corrections_recherche").input("Saint-Denis 93").run()
    commune = at.radio(key="corrections_commune")
    assert commune.options[0].startswith("Saint-Denis (Seine-Saint-Denis, 93066) — ")
    assert "habitants" in commune.options[0]
    commune.set_value("93066").run()
    at.text_input(key="corrections_motif").input("Confirmé par téléphone").run()
    click(at, "Enregistrer et appliquer")
    assert warehouse_rows(
        data,
        "select commune_code, departement_code, territoire_statut, corrige from candidatures "
        "where candidature_id = ?",
        [cid],
    ) == [("93066", "93", "corrige", True)]


def test_a_correction_proposed_by_quality_opens_filled_in(data: Path) -> None:
    """« Ouvrir cette correction » on « Qualité des données » hands a proposal over: the
    form opens on its kind, candidature and commune search; the organiser still picks
    the commune and writes why."""
    cid = maison(data)
    at = open_corrections()
    at.session_state[PROPOSEE] = Proposee(
        edition=2023, candidature_id=cid, nature=Kind.TERRITOIRE, recherche="Saint-Denis"
    )
    at.switch_page("app_pages/corrections.py").run()
    assert not at.exception, at.exception
    assert any("Correction proposée depuis « Qualité des données »" in i.value for i in at.info)
    assert at.selectbox(key="corrections_nature").value is Kind.TERRITOIRE
    assert at.selectbox(key="corrections_candidature").value == cid
    commune = at.radio(key="corrections_commune")
    assert any(o.startswith("Saint-Denis (Seine-Saint-Denis, 93066)") for o in commune.options)
    assert any(o.startswith("Saint-Denis (La Réunion, 97411)") for o in commune.options)
    commune.set_value("93066").run()
    at.text_input(key="corrections_motif").input("Commune confirmée par le porteur").run()
    click(at, "Enregistrer et appliquer")
    assert warehouse_rows(
        data, "select departement_code, corrige from candidatures where candidature_id = ?", [cid]
    ) == [("93", True)]
    assert shown(at.table[0]).loc[0, "Valeur retenue"] == "Saint-Denis (Seine-Saint-Denis, 93066)"
    # the proposal is taken once: the next run leaves the form as the organiser sets it
    at.selectbox(key="corrections_nature").set_value(Kind.RETRAIT).run()
    assert at.selectbox(key="corrections_nature").value is Kind.RETRAIT


def test_a_value_proposal_preselects_the_field(data: Path) -> None:
    cid = maison(data)
    at = open_corrections()
    at.session_state[PROPOSEE] = Proposee(
        edition=2023, candidature_id=cid, nature=Kind.EXCLUSION, champ="heures_insertion"
    )
    at.switch_page("app_pages/corrections.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="corrections_champ").value == field("heures_insertion")


def test_quality_lists_the_corrections_with_their_state(data: Path) -> None:
    cid = maison(data)
    at = open_corrections()
    at.selectbox(key="corrections_nature").set_value(Kind.EXCLUSION).run()
    at.selectbox(key="corrections_candidature").set_value(cid).run()
    at.selectbox(key="corrections_champ").set_value(field("heures_insertion")).run()
    at.text_input(key="corrections_motif").input("Chiffre cumulé sur quatre ans").run()
    click(at, "Enregistrer et appliquer")
    at.switch_page("app_pages/qualite.py").run()
    assert not at.exception, at.exception
    assert any(h.value == "Corrections de l'organisateur" for h in at.header)
    register = shown(at.table[-1])
    row = register.iloc[0]
    assert row["Candidature"].startswith("Maison de l'Emploi Fictive — ")
    assert row["Correction"] == "Valeur exclue des totaux"
    assert row["Champ ou prix"] == "Heures d'insertion réalisées"
    assert row["Valeur saisie"] == "1\u202f234,5"
    assert row["État"] == "appliquée"

"""One indicator, one filter, one number: the app, the notebooks and the press kit agree.

For the same filters (an edition + a category, an edition + a région, …) this compares
- the app's query (``dashboard.queries.vue_ensemble.overview``, what the page shows),
- the semantic layer on an analyst's connection (``etl.semantic.key_figures.chiffres_cles``),
- a recomputation from the raw rows in polars (``etl.semantic.analysis.candidatures``), which does
  not share the SQL of the semantic layer and so catches a wrong shared definition,
- what notebook 01 published after running (``tests.test_notebooks.executer``),
- the press kit's figures (``dashboard.press.figures``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from dashboard.filters import Filters
from dashboard.press import figures as press_figures
from dashboard.queries import vue_ensemble
from etl import warehouse
from etl.french import format_hours, format_integer, format_share
from etl.semantic import analysis
from etl.semantic.key_figures import (
    PUBLICS,
    ChiffresCles,
    Filtres,
    chiffres_cles,
    texte_heures_pour_1000,
)
from tests.helpers import open_page
from tests.test_notebooks import executer

REGION = "11"  # Île-de-France: the région with the most demo candidatures in 2024
CAS = [
    Filtres(edition=2024, categorie="RURAL"),
    Filtres(edition=2024, region=REGION),
    Filtres(edition=2023, categorie="MIXITE", structure="plie"),
    Filtres(edition=2023, departement="33"),
    Filtres(edition=2023, eligibilite="non_eligibles"),
]


def recompute(frame: pl.DataFrame) -> dict[str, Any]:
    """The key figures recomputed from candidature rows, by hand (polars only)."""
    both = frame.filter(
        pl.col("heures_insertion").is_not_null() & pl.col("nb_participants").is_not_null()
    )
    figures: dict[str, Any] = {
        "candidatures": frame.height,
        "heures": int(frame["heures_insertion"].sum()),
        "participants": int(frame["nb_participants"].sum()),
        "heures_par_participant": (
            both["heures_insertion"].sum() / both["nb_participants"].sum() if both.height else None
        ),
    }
    for col in PUBLICS:
        reported = frame.filter(pl.col(col).is_not_null() & pl.col("nb_participants").is_not_null())
        participants = reported["nb_participants"].sum()
        figures[f"part_{col.removeprefix('nb_')}"] = (
            reported[col].sum() / participants if participants else None
        )
    return figures


def same(cc: ChiffresCles, figures: dict[str, Any]) -> None:
    flat = cc.en_dict()
    for key, value in figures.items():
        if value is None:
            assert flat[key] is None, key
        else:
            assert flat[key] == pytest.approx(value, rel=1e-12), key


@pytest.mark.parametrize("filtres", CAS, ids=str)
def test_app_semantic_layer_and_raw_rows_agree(filtres: Filtres, app_env: Path) -> None:
    app = vue_ensemble.overview(Filters(**vars(filtres))).key
    con = warehouse.connect(app_env / "warehouse.duckdb")
    try:
        analyst = chiffres_cles(con, filtres)
        rows = analysis.candidatures(con, filtres)
    finally:
        con.close()
    assert app == analyst
    assert analyst.candidatures > 0, "un cas de test sans candidature ne prouve rien"
    same(analyst, recompute(rows))


@pytest.mark.parametrize(
    ("filtres", "section", "cle"),
    [(CAS[0], "par_categorie", "RURAL"), (CAS[1], "par_region", REGION)],
    ids=["2024-RURAL", "2024-region"],
)
def test_notebook_shows_the_app_figures(
    filtres: Filtres, section: str, cle: str, app_env: Path
) -> None:
    published = executer("01-decouvrir-les-candidatures.ipynb", app_env).resultats[section][cle]
    app = vue_ensemble.overview(Filters(**vars(filtres))).key
    assert published == app.en_dict()
    assert published["candidatures"] > 0


def test_the_page_displays_the_notebook_figures(app_env: Path) -> None:
    published = executer("01-decouvrir-les-candidatures.ipynb", app_env).resultats
    figures = published["par_categorie"]["RURAL"]
    at = open_page("app_pages/vue_ensemble.py", edition="2024", categorie=category_param())
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown["Heures d'insertion"] == format_hours(figures["heures"])
    assert shown["Heures par participant"] == format_hours(round(figures["heures_par_participant"]))
    assert shown["Femmes"] == format_share(figures["part_femmes"])
    assert shown["Heures pour 1 000 habitants"] == texte_heures_pour_1000(
        figures["heures_pour_1000_habitants"]
    )
    population = next(c.value for c in at.caption if c.value.startswith("population : France"))
    assert format_integer(figures["population"]) in population
    # and the whole edition, as notebook 01 opens with
    assert published["chiffres_cles"]["candidatures"] == 59


def category_param() -> str:
    from etl.editions import load_editions

    return f"RURAL — {load_editions()[2024].category('RURAL').libelle}"


def test_press_kit_uses_the_same_figures(app_env: Path) -> None:
    presse = pytest.importorskip("dashboard.press.figures")
    published = executer("01-decouvrir-les-candidatures.ipynb", app_env).resultats
    con = warehouse.connect(app_env / "warehouse.duckdb")
    try:
        kit = {f.code: f.valeur for f in presse.edition_figures(con, 2024)}
        regions = presse.territorial_table(con, 2024)
    finally:
        con.close()
    app = vue_ensemble.overview(Filters(edition=2024)).key.en_dict()
    assert published["chiffres_cles"] == app
    compared = {code: value for code, value in kit.items() if value is not None}
    assert len(compared) >= 8
    for code, value in compared.items():
        assert value == pytest.approx(app[code], rel=1e-12), code
    # the same région, the same hours, in the kit's territorial table, the app and notebook 01
    index = [code for code, _ in regions.regions].index(REGION)
    app_region = vue_ensemble.overview(Filters(edition=2024, region=REGION)).key
    assert regions.heures[index] == app_region.heures == published["par_region"][REGION]["heures"]
    assert regions.candidatures[index] == app_region.candidatures


def test_after_corrections_app_notebook_and_press_kit_still_agree(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Corrections change the figures once, for everyone: a corrected value, a value
    excluded from the totals and a withdrawn candidature move the app's key figures by
    exactly what they changed, and notebook 01 and the press kit show the same."""
    import shutil

    import streamlit as st

    from etl.corrections import Correction, Kind, prepare, store
    from etl.editions import load_editions

    data = tmp_path / "donnees"
    data.mkdir()
    (data / "reference").symlink_to((demo_data_dir / "reference").resolve())
    shutil.copy(demo_data_dir / "warehouse.duckdb", data / "warehouse.duckdb")
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    st.cache_data.clear()
    st.cache_resource.clear()
    edition = load_editions()[2024]
    con = warehouse.connect(data / "warehouse.duckdb")
    try:
        before = chiffres_cles(con, Filtres(edition=2024))
        (a, ha), (b, hb), (c, hc) = con.sql(
            "select candidature_id, heures_insertion from candidatures "
            "where edition = 2024 and heures_insertion > 0 order by candidature_id limit 3"
        ).fetchall()
        asked = [
            Correction(
                2024,
                a,
                Kind.VALEUR,
                "cumul ramené à l'année",
                "test",
                "heures_insertion",
                valeur=str(int(ha) + 1000),
            ),
            Correction(2024, b, Kind.EXCLUSION, "chiffre cumulé", "test", "heures_insertion"),
            Correction(2024, c, Kind.RETRAIT, "retrait annoncé par courriel", "test"),
        ]
        ready = [prepare(x, edition, con) for x in asked]
    finally:
        con.close()
    with store.connect() as registre:
        for correction in ready:
            store.add(registre, correction)
    assert warehouse.apply_corrections()

    app = vue_ensemble.overview(Filters(edition=2024)).key
    assert app.candidatures == before.candidatures - 1
    assert app.heures == pytest.approx(before.heures + 1000 - hb - hc, rel=1e-12)
    con = warehouse.connect(data / "warehouse.duckdb")
    try:
        assert chiffres_cles(con, Filtres(edition=2024)) == app
        same(app, recompute(analysis.candidatures(con, Filtres(edition=2024))))
        kit = {f.code: f.valeur for f in press_figures.edition_figures(con, 2024)}
    finally:
        con.close()
    published = executer("01-decouvrir-les-candidatures.ipynb", data).resultats
    assert published["chiffres_cles"] == app.en_dict()
    flat = app.en_dict()
    compared = {code: value for code, value in kit.items() if value is not None}
    assert len(compared) >= 8
    for code, value in compared.items():
        assert value == pytest.approx(flat[code], rel=1e-12), code

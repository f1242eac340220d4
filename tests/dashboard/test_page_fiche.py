"""« Fiche candidature »: territory, verdicts, warnings, comparisons; candidate text literal."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import warehouse
from tests.helpers import shown, signed_in_app
from tests.helpers import warehouse_rows as sql

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "streamlit_app.py")
ARTIFACTS = ROOT / "tests" / "artifacts"
MINI = ROOT / "tests" / "data" / "etl" / "mini-2023.csv"
TITRE = "<script>alert(1)</script> **gras** [lien](javascript:alert(2))"
STRUCTURE = "<b>PLIE</b> *Fictif* du Val"
TELEPHONE_INVALIDE = "06 12 34 ab"


def label(data_dir: Path, candidature_id: str) -> str:
    ((structure, titre, edition),) = sql(
        data_dir,
        "select structure_nom, projet_titre, edition from candidatures where candidature_id = ?",
        [candidature_id],
    )
    return f"{structure} — {titre} ({edition})"


def open_page(page: str, query: dict[str, str | list[str]] | None = None) -> AppTest:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = signed_in_app()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def everything_shown(at: AppTest) -> str:
    """Every text the page shows (text, markdown, captions, tables, metrics, alerts)."""
    parts: list[str] = []
    for kind in ("text", "markdown", "caption", "header", "subheader", "title"):
        parts += [e.value for e in getattr(at, kind)]
    for kind in ("warning", "info", "success"):
        parts += [e.value for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [shown(t).to_csv() for t in at.table]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


@pytest.fixture
def hostile_env(tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A warehouse built by the real ETL from a small export whose candidate text looks
    like HTML and Markdown, and whose second line has an unreadable (kept) figure."""
    rows = list(csv.reader(MINI.open(encoding="utf-8")))
    header, first, second = rows[0], rows[1], rows[2]
    first[header.index("Intitulé du projet")] = TITRE
    first[header.index("Nom de la structure")] = STRUCTURE
    second[header.index("Nombre d'heures d'insertion réalisées (total)")] = "9 800"
    second[header.index("Nombre d'heures d'insertion prévues")] = "1O 5OO"  # letters O
    second[header.index("Téléphone du/de la référent(e)")] = TELEPHONE_INVALIDE
    raw = tmp_path / "raw"
    raw.mkdir()
    export = raw / "hostile-2023.csv"
    with export.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, first, second])
    (tmp_path / "reference").symlink_to(reference_dir)
    warehouse.load_files(
        [export], 2023, warehouse=tmp_path / "warehouse.duckdb", ref_dir=reference_dir
    )
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(tmp_path))
    return tmp_path


def test_renders_the_first_candidature_with_its_territory(app_env: Path) -> None:
    at = open_page("fiche")
    candidature_id = at.selectbox(key="candidature").value
    ((commune, departement, population),) = sql(
        app_env,
        """
        select r.nom, d.nom, c.commune_population from candidatures c
        join ref_communes r on r.code = c.commune_code
        join ref_departements d on d.code = c.departement_code
        where candidature_id = ?
        """,
        [candidature_id],
    )
    territoire = shown(at.table[1])
    assert list(territoire["Niveau"]) == ["Commune", "EPCI", "Département", "Région"]
    assert territoire.iloc[0]["Nom"] == commune
    assert territoire.iloc[2]["Nom"] == departement
    assert territoire.iloc[0]["Population"] == f"{population:,} hab.".replace(",", "\u202f")
    assert len(at.get("plotly_chart")) == 2  # mini-map, percentile ranks


def test_url_selects_the_candidature_and_its_rural_test(app_env: Path) -> None:
    ((candidature_id,),) = sql(
        app_env,
        """
        select candidature_id from candidature_categories
        where edition = 2023 and categorie_code = 'RURAL' and rural_eligible
        order by candidature_id limit 1
        """,
    )
    at = open_page("fiche", {"candidature": label(app_env, candidature_id)})
    assert at.selectbox(key="candidature").value == candidature_id
    displayed = everything_shown(at)
    assert "Test rural (RURAL)" in displayed
    assert "25\u202f000" in displayed and "350\u202f000" in displayed
    assert "populations légales 2023" in displayed
    assert "éligible au prix rural" in displayed
    # national reference with its year and scope
    references = shown(at.table[-1])
    row = references[references["Indicateur"] == "Heures d'insertion par participant"].iloc[0]
    assert (row["Référence"], row["Année"]) == ("395\u202fh", "2015")
    assert row["Portée"].startswith("France")


def test_dirty_export_candidature_shows_its_warnings(app_env: Path) -> None:
    ((candidature_id, message),) = sql(
        app_env,
        """
        select c.candidature_id, r.message from candidatures c
        join rejets r using (fichier, ligne, edition)
        where c.fichier = 'reponses-trophees-2023-a-corriger.csv'
          and r.regle = 'nombre_illisible'
        """,
    )
    at = open_page("fiche", {"candidature": label(app_env, candidature_id)})
    assert any("1 problème relevé sur la ligne" in w.value for w in at.warning)
    (warnings,) = [shown(t) for t in at.table if "Règle" in shown(t).columns]
    assert message in list(warnings["Message"])
    assert "nombre_illisible" in list(warnings["Règle"])


def test_a_clean_candidature_says_so(app_env: Path) -> None:
    ((candidature_id,),) = sql(
        app_env,
        """
        select candidature_id from candidatures c
        where not exists (select 1 from rejets r where r.fichier = c.fichier
                          and r.ligne = c.ligne and r.edition = c.edition)
        order by candidature_id limit 1
        """,
    )
    at = open_page("fiche", {"candidature": label(app_env, candidature_id)})
    assert any("Aucun problème relevé" in s.value for s in at.success)


def test_candidate_text_is_shown_literally_and_never_as_markup(hostile_env: Path) -> None:
    ((candidature_id,),) = sql(
        hostile_env, "select candidature_id from candidatures where projet_titre = ?", [TITRE]
    )
    at = open_page("fiche", {"candidature": label(hostile_env, candidature_id)})
    texts = [t.value for t in at.text]
    assert TITRE in texts
    assert STRUCTURE in texts
    for element in (*at.markdown, *at.caption, *at.header, *at.subheader):
        assert "<script>" not in element.value and "**gras**" not in element.value
    # no personal data on the page: the export's e-mails and phone never appear
    shown = everything_shown(at)
    assert "@exemple.fr" not in shown and "01 99 00 12 34" not in shown


def test_hostile_text_in_comparer_charts_is_escaped(hostile_env: Path) -> None:
    ids = [r[0] for r in sql(hostile_env, "select candidature_id from candidatures")]
    assert len(ids) == 2
    at = open_page("comparer", {"edition": "2023", "ids": [label(hostile_env, i) for i in ids]})
    assert sorted(at.multiselect[0].value) == sorted(ids)
    specs = json.dumps([json.loads(c.proto.spec) for c in at.get("plotly_chart")])
    assert "<b>PLIE</b>" not in specs
    assert "&lt;b&gt;PLIE&lt;/b&gt;" in specs


def test_second_line_warning_reaches_its_fiche(hostile_env: Path) -> None:
    ((candidature_id,),) = sql(
        hostile_env,
        "select candidature_id from candidatures where structure_nom = ?",
        ["Maison de l'Emploi Fictive"],
    )
    at = open_page("fiche", {"candidature": label(hostile_env, candidature_id)})
    (warnings,) = [shown(t) for t in at.table if "Règle" in shown(t).columns]
    assert "nombre_illisible" in list(warnings["Règle"])
    assert "1O 5OO" in list(warnings["Valeur saisie"])
    # a problem on a contact's phone is listed, its typed value is not
    phone = warnings[warnings["Colonne"] == "Téléphone du/de la référent(e)"].iloc[0]
    assert phone["Valeur saisie"] == "(donnée personnelle masquée)"
    assert TELEPHONE_INVALIDE not in everything_shown(at)
    # the unreadable figure is unknown, so is the completion rate built on it
    normalised = next(shown(t) for t in at.table if "Indicateur normalisé" in shown(t).columns)
    rate = normalised[normalised["Indicateur normalisé"].str.startswith("Taux de réalisation")]
    assert rate.iloc[0]["Valeur"] == "—"


def test_problems_on_personal_fields_lose_their_value() -> None:
    import polars as pl

    from dashboard.queries.fiche import MASQUE, sans_donnees_personnelles

    problems = pl.DataFrame(
        {
            "severite": ["erreur", "erreur"],
            "colonne": ["Téléphone du/de la référent(e)", "Nombre de participants"],
            "champ": ["contact_telephone", "nb_participants"],
            "valeur": ["06 12 34 ab", "31,5"],
            "regle": ["telephone_invalide", "decimal_pour_entier"],
            "message": ["… valeur « 06 12 34 ab » …", "… valeur « 31,5 » …"],
        }
    )
    shown = sans_donnees_personnelles(problems, ["contact_telephone", "contact_email"])
    assert shown["valeur"].to_list() == [MASQUE, "31,5"]
    assert "06 12 34" not in shown["message"][0]
    assert "telephone_invalide" in shown["message"][0]
    assert shown["message"][1] == "… valeur « 31,5 » …"
    assert "champ" not in shown.columns

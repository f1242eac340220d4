"""« Vue d'ensemble » on the demo warehouse: figures follow the filters, shares state
their denominators, national context is national, charts are French and titled."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts
from etl.editions import load_editions
from etl.french import NARROW_NBSP, format_hours, format_integer, format_share
from tests.helpers import open_page, signed_in_app

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "streamlit_app.py")


def overview(**params: str) -> AppTest:
    at = open_page("app_pages/vue_ensemble.py", **params)
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def warehouse_row(data_dir: Path, sql: str) -> tuple[object, ...]:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        row = con.sql(sql).fetchall()[0]
    finally:
        con.close()
    return row


def plotly_specs(at: AppTest) -> list[dict[str, object]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_overview_is_the_default_page_and_counts_every_candidature(app_env: Path) -> None:
    at = signed_in_app().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Vue d'ensemble"]
    assert metrics(at)["Candidatures"] == "173"


def test_edition_filter_changes_the_figures(app_env: Path) -> None:
    everything = metrics(overview())
    edition_2024 = overview(edition="2024")
    assert everything["Candidatures"] == "173"
    assert metrics(edition_2024)["Candidatures"] == "59"
    (hours,) = warehouse_row(
        app_env, "select sum(heures_insertion)::bigint from candidatures where edition = 2024"
    )
    assert metrics(edition_2024)["Heures d'insertion"] == format_hours(int(str(hours)))
    assert everything["Heures d'insertion"] != metrics(edition_2024)["Heures d'insertion"]
    assert "Périmètre : Édition 2024" in captions(edition_2024)


def category_param(code: str) -> str:
    """The URL value of the category filter: its label, as the sidebar shows it (the
    most recent edition's wording)."""
    editions = load_editions()
    latest = max(y for y, e in editions.items() if code in {k.code for k in e.categories})
    return f"{code} — {editions[latest].category(code).libelle}"


def test_structure_filter_from_the_url(app_env: Path) -> None:
    (plie,) = warehouse_row(
        app_env, "select count(*) from candidatures where structure_type='plie'"
    )
    at = overview(structure="PLIE")  # the URL carries the option as shown
    assert metrics(at)["Candidatures"] == format_integer(int(str(plie)))
    assert "Type de structure : PLIE" in captions(at)[0]


def test_public_shares_are_computed_over_candidatures_reporting_both(app_env: Path) -> None:
    women, participants, n = warehouse_row(
        app_env,
        "select sum(nb_femmes), sum(nb_participants), count(*) from candidatures "
        "where edition = 2023 and nb_femmes is not null and nb_participants is not null",
    )
    at = overview(edition="2023")
    share = int(str(women)) / int(str(participants))
    assert metrics(at)["Femmes"] == format_share(share)
    expected = (
        f"sur {format_integer(int(str(n)))} candidatures qui renseignent le nombre de femmes "
        f"et de participants ({format_integer(int(str(participants)))} participants)"
    )
    assert expected in captions(at)
    seniors = [c for c in captions(at) if "nombre de seniors et de participants" in c]
    assert len(seniors) == 1 and seniors[0].startswith("sur ")


def test_national_cards_say_scope_year_and_source(app_env: Path) -> None:
    at = overview()
    shown = metrics(at)
    assert shown["Heures d'insertion générées grâce aux facilitateurs"] == (
        f"plus de 29{NARROW_NBSP}000{NARROW_NBSP}000{NARROW_NBSP}h"
    )
    assert shown["Marchés publics de 90 000 € et plus comportant une clause sociale"] == (
        f"18,7{NARROW_NBSP}%"
    )
    assert shown["Objectif du PNAD : contrats publics avec une considération sociale"] == (
        f"30{NARROW_NBSP}%"
    )
    text = captions(at)
    assert any(c.startswith("Portée : France · année : 2022 · source : Alliance") for c in text)
    assert any(c.startswith("Portée : France · année : 2023 · source : OECP") for c in text)
    # figures of other scopes are only in the regional block, each with its scope
    assert not any("Île-de-France" in c for c in text)
    regional = at.expander[0]
    assert "régionaux" in regional.label
    table = pl.from_pandas(regional.dataframe[0].value)
    assert set(table["Portée"]) == {"Île-de-France", "Île-de-France, grands projets"}
    assert table.filter(pl.col("Indicateur") == "Femmes parmi les participants")["Valeur"][0] == (
        f"15,1{NARROW_NBSP}%"
    )


def test_charts_are_french_titled_with_scope_and_use_vocabulary_labels(app_env: Path) -> None:
    at = overview(edition="2024")
    specs = plotly_specs(at)
    assert len(specs) == 2
    for spec in specs:
        layout = spec["layout"]
        assert isinstance(layout, dict)
        assert layout["separators"] == charts.SEPARATEURS
        assert layout["title"]["subtitle"]["text"] == "Édition 2024"
        panels = [a["text"] for a in layout["annotations"]]
        assert panels == ["Candidatures", "Heures d'insertion"]
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert titles == [
        "Candidatures et heures par catégorie",
        "Candidatures et heures par type de structure",
    ]
    structure_labels = {y for trace in specs[1]["data"] for y in trace["y"]}
    assert "Maison de l'emploi" in structure_labels
    assert "mde" not in structure_labels
    hours = [t for t in specs[1]["data"] if t["xaxis"] == "x2"]
    assert all(text.endswith(f"{NARROW_NBSP}h") for trace in hours for text in trace["text"])
    # each chart has its text alternative just below it
    alternatives = [c for c in captions(at) if c.startswith("Candidatures : ")]
    assert len(alternatives) == 2
    assert all("Heures d'insertion : " in c for c in alternatives)


def test_category_filter_restricts_the_category_breakdown(app_env: Path) -> None:
    at = overview(edition="2023", categorie=category_param("RURAL"))
    bars = [t for t in plotly_specs(at)[0]["data"] if t["xaxis"] == "x"]
    (n,) = warehouse_row(
        app_env,
        "select count(*) from candidature_categories where edition=2023 and categorie_code='RURAL'",
    )
    assert [trace["x"] for trace in bars] == [[n]]
    assert metrics(at)["Candidatures"] == format_integer(int(str(n)))


def test_empty_scope_says_so(app_env: Path) -> None:
    at = overview(edition="2024", categorie=category_param("PRIVE"))  # PRIVE is a 2023-only prize
    assert "Aucune candidature" in at.info[0].value
    assert not at.get("plotly_chart")


def test_eligibility_counts_match_the_warehouse(app_env: Path) -> None:
    eligible, ineligible, late = warehouse_row(
        app_env,
        "select count(*) filter (where eligible), count(*) filter (where not eligible), "
        "count(*) filter (where hors_delai) from candidatures",
    )
    shown = metrics(overview())
    assert shown["Éligibles"] == str(eligible)
    assert shown["Non éligibles"] == str(ineligible)
    assert shown["Déposées hors délai"] == str(late)


def test_bar_chart_writes_values_and_escapes_labels() -> None:
    frame = pl.DataFrame({"l": ["<b>x</b>", "y"], "v": [12000, 5], "s": ["A", "B"]})
    measure = charts.Measure("v", "Heures", unit="h")
    figure = charts.bar_chart(
        frame, label="l", measures=[measure], title="T", scope="S", series="s"
    )
    assert [list(t.text) for t in figure.data] == [[f"12{NARROW_NBSP}000"], ["5"]]
    assert figure.data[0].y == ("&lt;b&gt;x&lt;/b&gt;",)
    assert figure.layout.separators == ",\u202f"
    assert charts.bars_text_alternative(frame, label="l", measures=[measure]) == (
        f"Heures : <b>x</b> en tête (12{NARROW_NBSP}000 h), y en dernier (5 h)."
    )


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [(0.125, f"12,5{NARROW_NBSP}%"), (0.30, f"30{NARROW_NBSP}%"), (0.187, f"18,7{NARROW_NBSP}%")],
)
def test_format_part(fraction: float, shown: str) -> None:
    assert format_share(fraction) == shown

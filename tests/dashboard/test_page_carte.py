"""« Carte » on the demo warehouse: one shape per territory, rates recomputed here from the
views, filters and zoom change what is drawn; and the pure map functions behind it."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import maps
from dashboard.maps import layers
from etl.french import NARROW_NBSP
from tests.helpers import shown, signed_in_app

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "streamlit_app.py")


def carte(**params: str) -> AppTest:
    """The Carte page, opened directly with URL parameters (values as the URL shows them)."""
    at = signed_in_app()
    at.switch_page("app_pages/carte.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def spec(at: AppTest) -> dict[str, Any]:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    loaded: dict[str, Any] = json.loads(charts[0].proto.spec)
    return loaded


def choropleth(at: AppTest) -> dict[str, Any]:
    traces: list[dict[str, Any]] = [t for t in spec(at)["data"] if t["type"] == "choropleth"]
    assert len(traces) == 1
    return traces[0]


def values(at: AppTest) -> dict[str, float]:
    trace = choropleth(at)
    return dict(zip(trace["locations"], trace["z"], strict=True))


def decoded(array: Any) -> np.ndarray[Any, Any]:
    """A Plotly array as JSON gives it: a list, or a typed array (``bdata``)."""
    if isinstance(array, dict):
        raw = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        if "shape" not in array:
            return raw
        return raw.reshape([int(n) for n in str(array["shape"]).split(",")])
    return np.asarray(array)


def warehouse(data_dir: Path, sql: str, params: list[object] | None = None) -> pl.DataFrame:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        frame: pl.DataFrame = con.sql(sql, params=params or []).pl()
        return frame
    finally:
        con.close()


# --- the page ----------------------------------------------------------------------------


def test_page_renders_a_titled_map_with_a_text_alternative_and_a_table(app_env: Path) -> None:
    at = carte()
    assert [t.value for t in at.title] == ["Carte"]
    figure = spec(at)
    assert figure["layout"]["title"]["text"] == "Nombre de candidatures, par département"
    assert "Toutes éditions" in figure["layout"]["title"]["subtitle"]["text"]
    assert figure["layout"]["separators"] == f",{NARROW_NBSP}"
    assert figure["layout"]["geo"]["visible"] is False
    alternative = next(c.value for c in at.caption if c.value.startswith("Carte des"))
    assert "départements sans candidature" in alternative
    table = shown(at.table[0])
    assert len(table) == 10
    assert list(table.columns)[:3] == ["Rang", "Département", "Nombre de candidatures"]


def test_one_shape_per_departement_or_region_with_the_switch(app_env: Path) -> None:
    at = carte()
    trace = choropleth(at)
    assert len(trace["locations"]) == 101
    assert len(trace["geojson"]["features"]) == 101
    assert {f["id"] for f in trace["geojson"]["features"]} == set(trace["locations"])
    at.radio(key="maille").set_value("region").run()
    trace = choropleth(at)
    assert len(trace["locations"]) == len(trace["geojson"]["features"]) == 18
    assert spec(at)["layout"]["title"]["text"].endswith("par région")
    assert shown(at.table[0]).columns[1] == "Région"


def test_grain_and_indicator_come_from_the_url(app_env: Path) -> None:
    at = carte(maille="Régions", carte_indicateur="Heures d'insertion réalisées")
    assert len(choropleth(at)["locations"]) == 18
    assert spec(at)["layout"]["title"]["text"] == "Heures d'insertion réalisées, par région"


def test_rates_per_10_000_inhabitants_match_the_views(app_env: Path) -> None:
    expected = warehouse(
        app_env,
        """
        select d.code, d.population, count(*) as n,
               coalesce(sum(c.heures_insertion), 0)::bigint as h
        from candidatures c join ref_departements d on d.code = c.departement_code
        group by all order by n desc, d.code limit 1
        """,
    ).row(0, named=True)
    code = expected["code"]
    at = carte()
    at.selectbox(key="carte_indicateur").set_value("candidatures_1000").run()
    assert values(at)[code] == pytest.approx(expected["n"] * 1_000 / expected["population"])
    at.selectbox(key="carte_indicateur").set_value("heures_1000").run()
    assert values(at)[code] == pytest.approx(expected["h"] * 1_000 / expected["population"])
    assert spec(at)["layout"]["title"]["text"] == (
        f"Heures d'insertion pour 1{NARROW_NBSP}000 habitants, par département"
    )


def test_a_filter_changes_the_map_values(app_env: Path) -> None:
    at = carte()
    everything = values(at)
    at.sidebar.selectbox(key="edition").set_value(2024).run()
    edition_2024 = values(at)
    assert edition_2024 != everything
    counts = warehouse(
        app_env,
        "select departement_code, count(*) as n from candidatures "
        "where edition = 2024 and departement_code is not null group by 1",
    )
    assert {k: v for k, v in edition_2024.items() if v} == dict(
        zip(counts["departement_code"], [float(n) for n in counts["n"]], strict=True)
    )
    assert "Édition 2024" in spec(at)["layout"]["title"]["subtitle"]["text"]


def test_bubbles_are_communes_of_the_candidatures_in_scope(app_env: Path) -> None:
    at = carte()
    (bubbles,) = [t for t in spec(at)["data"] if t.get("marker", {}).get("sizemode") == "area"]
    communes = warehouse(
        app_env,
        "select count(distinct commune_code) as n from candidatures c "
        "join ref_communes r on r.code = c.commune_code where r.carte_longitude is not null",
    )["n"][0]
    assert len(decoded(bubbles["lon"])) == communes
    counts = decoded(bubbles["customdata"])
    assert (
        counts[:, 0].sum()
        == warehouse(
            app_env,
            "select count(*) as n from candidatures c join ref_communes r "
            "on r.code = c.commune_code where r.carte_longitude is not null",
        )["n"][0]
    )
    assert "Candidatures : %{customdata[0]:,d}" in bubbles["hovertemplate"]


def test_zoom_on_a_region_filters_the_page(app_env: Path) -> None:
    at = carte()
    at.selectbox(key="carte_zoom").set_value("region:53").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="region").value == "53"
    bretagne = {"22", "29", "35", "56"}
    assert set(choropleth(at)["locations"]) == bretagne
    assert set(shown(at.table[0])["Département"].str[:2]) <= bretagne
    assert "Région : Bretagne" in spec(at)["layout"]["title"]["subtitle"]["text"]
    at.selectbox(key="carte_zoom").set_value("france").run()
    assert at.sidebar.selectbox(key="region").value is None
    assert len(choropleth(at)["locations"]) == 101


def test_insets_are_framed_and_named(app_env: Path) -> None:
    data = spec(carte())["data"]
    (names,) = [t for t in data if t.get("mode") == "text"]
    assert names["text"] == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]
    (frames,) = [t for t in data if t.get("mode") == "lines"]
    assert len([x for x in frames["lon"] if x is None]) == 5


# --- pure functions ----------------------------------------------------------------------


def test_rates_and_formats() -> None:
    frame = pl.DataFrame(
        {"code": ["A"], "nom": ["A"], "population": [250_000], "candidatures": [3], "heures": [5]}
    )
    rates = maps.territory_indicators(frame).row(0, named=True)
    assert rates["candidatures_1000"] == pytest.approx(0.012)
    assert rates["heures_1000"] == pytest.approx(0.02)
    assert maps.INDICATEURS["candidatures_1000"].format(0.00384) == "0,0038"
    assert maps.INDICATEURS["heures_1000"].format(1234.5) == f"1{NARROW_NBSP}234"
    assert maps.INDICATEURS["heures"].format(12_000) == f"12{NARROW_NBSP}000{NARROW_NBSP}h"


def _candidature(nom: str, heures: int | None, commune: str = "29019") -> dict[str, Any]:
    return {
        "edition": 2023,
        "structure_nom": nom,
        "heures_insertion": heures,
        "categories": ["COMM"],
        "commune_code": commune,
        "commune_nom": "Brest",
        "departement_code": "29",
        "carte_longitude": -4.5,
        "carte_latitude": 48.4,
    }


def test_bubble_tooltips_escape_candidate_text_and_sum_hours() -> None:
    rows = [_candidature("<b>PLIE</b> & co", 1000), _candidature("MDE", None)]
    points = maps.commune_points(pl.DataFrame(rows), with_edition=False)
    assert points.height == 1
    point = points.row(0, named=True)
    assert point["candidatures"] == 2 and point["heures"] == 1000
    assert "&lt;b&gt;PLIE&lt;/b&gt; &amp; co" in point["detail"]
    assert "<b>PLIE" not in point["detail"]
    assert "heures non renseignées" in point["detail"]


def test_tooltips_shorten_beyond_their_budget() -> None:
    rows = [_candidature(f"Structure {i:05d} " + "x" * 40, 10, f"{i:05d}") for i in range(2000)]
    points = maps.commune_points(pl.DataFrame(rows), with_edition=True)
    assert (points["detail"] == "").all()
    few = maps.commune_points(pl.DataFrame(rows[:20]), with_edition=True)
    assert few["detail"].str.contains("Structure").all()


def test_off_map_text_agrees_in_number() -> None:
    assert maps.off_map_text("departement", 10, 0, 0) is None
    text = maps.off_map_text("departement", 10, 1, 2)
    assert text is not None
    assert "1 sans département reconnu n'apparaît pas" in text
    assert "2 sans commune reconnue comptent" in text
    assert "sans région reconnue n'apparaissent" in (maps.off_map_text("region", 9, 3, 0) or "")


def test_display_layer_rounds_keeps_clockwise_rings_and_drops_collapsed_ones() -> None:
    big = [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]]  # clockwise
    islet = [[5.0, 5.0], [5.0, 5.001], [5.001, 5.001], [5.0, 5.0]]
    layer = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "X",
                "properties": {"nom": "X"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[big], [islet]]},
            }
        ],
    }
    shown = layers.display_layer(layer, decimals=2, codes=["X"])
    (feature,) = shown["features"]
    assert "properties" not in feature
    assert feature["geometry"]["coordinates"] == [[big]]
    assert layers.layer_bounds(shown, margin=0) == (0.0, 0.0, 1.0, 1.0)


def test_full_france_layer_is_small_and_seamless(reference_dir: Path) -> None:
    layer = layers.display_layer(layers.reference_layer("departement"))
    assert len(layer["features"]) == 101
    size = len(json.dumps(layer, separators=(",", ":")))
    assert size < 0.5 * (reference_dir / "departements.geojson").stat().st_size


def test_minimap_shows_one_departement_and_the_point(reference_dir: Path) -> None:
    figure = maps.territory_minimap("29", (-4.49, 48.39))
    choro, point = figure.data
    assert [f["id"] for f in choro.geojson["features"]] == ["29"]
    assert list(point.lon) == [-4.49] and list(point.lat) == [48.39]
    assert figure.layout.showlegend is False
    assert figure.layout.height <= 250
    france = maps.territory_minimap(None, None)
    assert len(france.data) == 1
    assert len(france.data[0].geojson["features"]) == 18


def test_table_ranks_only_territories_with_candidatures_without_repeating_the_indicator() -> None:
    frame = maps.territory_indicators(
        pl.DataFrame(
            {
                "code": ["01", "02", "03"],
                "nom": ["Ain", "Aisne", "Allier"],
                "population": [600_000, 500_000, 300_000],
                "candidatures": [1, 0, 3],
                "heures": [10_000, 0, 2_500],
            }
        )
    )
    table = maps.top_territories(frame, maps.INDICATEURS["heures"], "departement")
    assert table["Département"].to_list() == ["01 — Ain", "03 — Allier"]
    assert table.columns == [
        "Rang",
        "Département",
        "Heures d'insertion réalisées",
        "Candidatures",
        "Population",
    ]
    assert table["Heures d'insertion réalisées"][0] == f"10{NARROW_NBSP}000{NARROW_NBSP}h"

"""« Comparer » on the demo warehouse: default selection, URL, filters, values, print layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import shown, signed_in_app
from tests.helpers import warehouse_rows as sql

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "streamlit_app.py")
ARTIFACTS = ROOT / "tests" / "artifacts"
PAGE = "app_pages/comparer.py"


def top_by_hours(data_dir: Path, edition: int, categorie: str) -> list[str]:
    rows = sql(
        data_dir,
        """
        select c.candidature_id from candidatures c
        join candidature_categories k using (candidature_id)
        where k.edition = ? and k.categorie_code = ?
        order by c.heures_insertion desc nulls last
        limit 6
        """,
        [edition, categorie],
    )
    return [r[0] for r in rows]


def label(data_dir: Path, candidature_id: str) -> str:
    ((structure, titre, edition),) = sql(
        data_dir,
        "select structure_nom, projet_titre, edition from candidatures where candidature_id = ?",
        [candidature_id],
    )
    return f"{structure} — {titre} ({edition})"


def open_page(query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = signed_in_app()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_default_is_the_top_six_of_the_first_category(app_env: Path) -> None:
    at = open_page()
    (selection,) = at.multiselect
    # no filter: the most recent edition (2024) and its first category (COMM)
    assert selection.value == top_by_hours(app_env, 2024, "COMM")
    assert len(selection.value) == 6
    assert "catégorie de référence : COMM" in at.caption[0].value
    # 6 bars against the median, then the radar
    specs = figures(at)
    assert len(specs) == 7
    assert specs[0]["layout"]["separators"] == ",\u202f"


def test_a_filter_changes_the_default_selection(app_env: Path) -> None:
    at = open_page()
    before = at.multiselect[0].value
    at.selectbox(key="edition").set_value(2023).run()
    at.selectbox(key="categorie").set_value("MIXITE").run()
    assert not at.exception
    after = at.multiselect[0].value
    assert after == top_by_hours(app_env, 2023, "MIXITE")
    assert after != before
    assert "catégorie de référence : MIXITE" in at.caption[0].value


def test_url_selects_candidatures(app_env: Path) -> None:
    ids = top_by_hours(app_env, 2023, "RURAL")[-2:]
    at = open_page({"edition": "2023", "ids": [label(app_env, i) for i in ids]})
    assert at.multiselect[0].value == ids
    names = shown(at.table[0]) if at.table else at.dataframe[0].value
    assert list(names["Candidature"]) == [label(app_env, i) for i in ids]
    # rerunning keeps the selection the link asked for
    at.run()
    assert at.multiselect[0].value == ids


def test_values_medians_and_percentiles_are_right(app_env: Path) -> None:
    at = open_page()
    ids = at.multiselect[0].value
    population = sql(
        app_env,
        """
        select i.candidature_id, i.heures_par_participant from indicateurs i
        join candidature_categories k using (candidature_id)
        where k.edition = 2024 and k.categorie_code = 'COMM'
          and i.heures_par_participant is not null
        """,
    )
    values = dict(population)
    mine = values[ids[0]]
    others = [v for k, v in values.items() if k != ids[0]]
    below = sum(v < mine for v in others) + 0.5 * sum(v == mine for v in others)
    expected_rank = f"{round(100 * below / len(others))}e"
    ranks = next(
        d.value
        for d in at.dataframe
        if "Indicateur" in d.value.columns and "Médiane COMM 2024" not in d.value.columns
    )
    ranks = ranks[ranks["Indicateur"] == "Heures d'insertion par participant"]
    assert ranks.iloc[0, 1] == expected_rank
    (lecture,) = [t.value for t in at.text if t.value.startswith("Lecture :")]
    assert f"est au {expected_rank} centile des candidatures COMM 2024" in lecture
    # the bar chart of hours per participant: median tick at the category median
    ordered = sorted(values.values())
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    chart = figures(at)[1]
    assert "Heures d'insertion par participant" in chart["layout"]["title"]["text"]
    assert chart["data"][1]["x"][0] == pytest.approx(median)
    assert chart["data"][0]["x"][0] == pytest.approx(mine)


def test_print_layout_shows_full_tables_and_one_chart_per_row(app_env: Path) -> None:
    at = open_page()
    assert len(at.dataframe) == 3 and not at.table
    at.toggle(key="imprimable").set_value(True).run()
    assert not at.exception
    assert not at.dataframe and len(at.table) == 3
    assert len(at.columns) == 6  # six charts, one column each
    assert len(figures(at)) == 7


def test_fewer_than_two_candidatures_asks_for_more(app_env: Path) -> None:
    at = open_page()
    at.multiselect[0].set_value(at.multiselect[0].value[:1]).run()
    assert not at.exception
    assert any("au moins deux" in i.value for i in at.info)
    assert not at.get("plotly_chart")

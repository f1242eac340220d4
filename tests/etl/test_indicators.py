"""The normalised indicators: the ``indicateurs`` view, percentile ranks, French formats."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.semantic import indicators
from etl.warehouse import SQL_DIR

VIEW_SQL = SQL_DIR / "50_indicateurs.sql"
RATIOS = (
    "heures_par_participant",
    "heures_pour_1000_habitants",
    "part_femmes",
    "part_seniors",
    "part_residents_qpv",
    "part_jeunes",
    "taux_realisation",
    "heures_par_marche",
)


def ratio(numerateur: float | None, denominateur: float | None) -> float | None:
    """The rule written independently of the SQL: unknown when a term is unknown or 0."""
    if numerateur is None or denominateur is None or denominateur == 0:
        return None
    return numerateur / denominateur


def expected_indicators(row: dict[str, object], population: int | None) -> dict[str, object]:
    def n(name: str) -> float | None:
        value = row[name]
        # hours may be decimal (« 28 038,4 h »), counts are whole
        assert value is None or isinstance(value, float if name.startswith("heures") else int)
        return value

    per_1000 = ratio(n("heures_insertion"), population)
    return {
        "territoire_population": population,
        "heures_par_participant": ratio(n("heures_insertion"), n("nb_participants")),
        "heures_pour_1000_habitants": None if per_1000 is None else per_1000 * 1000,
        "part_femmes": ratio(n("nb_femmes"), n("nb_participants")),
        "part_seniors": ratio(n("nb_seniors"), n("nb_participants")),
        "part_residents_qpv": ratio(n("nb_residents_qpv"), n("nb_participants")),
        "part_jeunes": ratio(n("nb_jeunes"), n("nb_participants")),
        "taux_realisation": ratio(n("heures_insertion"), n("heures_insertion_prevues")),
        "heures_par_marche": ratio(n("heures_insertion"), n("nb_marches_clauses")),
    }


def assert_close(found: dict[str, object], expected: dict[str, object]) -> None:
    for key, value in expected.items():
        if value is None or isinstance(value, int):
            assert found[key] == value, key
        else:
            assert found[key] == pytest.approx(value, rel=1e-12), key


@pytest.fixture
def demo(demo_data_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(demo_data_dir / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def test_a_demo_candidature_checked_by_hand(demo: duckdb.DuckDBPyConnection) -> None:
    # the first current candidature whose every input is known, its commune looked up
    # in the reference table rather than taken from the view
    row = (
        demo.sql(
            """
        select * from candidatures
        where territoire_niveau = 'commune' and heures_insertion_prevues is not null
          and nb_femmes is not null and nb_seniors is not null and nb_jeunes is not null
          and nb_residents_qpv is not null and nb_marches_clauses > 0 and nb_participants > 0
        order by candidature_id limit 1
        """
        )
        .pl()
        .row(0, named=True)
    )
    (population,) = demo.sql(
        "select population from ref_communes where code = ?", params=[row["commune_code"]]
    ).fetchall()[0]
    found = (
        demo.sql(
            "select * from indicateurs where candidature_id = ?", params=[row["candidature_id"]]
        )
        .pl()
        .row(0, named=True)
    )
    expected = expected_indicators(row, population)
    assert_close(found, expected)
    assert found["heures_par_participant"] == row["heures_insertion"] / row["nb_participants"]
    assert 0 <= found["part_femmes"] <= 1


def test_every_demo_row_follows_the_rule(demo: duckdb.DuckDBPyConnection) -> None:
    rows = demo.sql(
        """
        select c.*, r.population as ref_population from candidatures c
        left join ref_communes r on r.code = c.commune_code
        """
    ).pl()
    found = {
        r["candidature_id"]: r
        for r in demo.sql("select * from indicateurs").pl().iter_rows(named=True)
    }
    assert len(found) == rows.height == 173
    for row in rows.iter_rows(named=True):
        population = row["ref_population"] if row["territoire_niveau"] == "commune" else None
        assert_close(found[row["candidature_id"]], expected_indicators(row, population))
    # the dirty export's unresolved territory has no population, hence no rate per 1 000
    assert any(r["territoire_population"] is None for r in found.values())


def fabricated(con: duckdb.DuckDBPyConnection, rows: list[dict[str, object]]) -> pl.DataFrame:
    """Run the view's SQL on hand-made ``candidatures`` and ``ref_epci`` tables."""
    columns = {
        "candidature_id": pl.String,
        "edition": pl.Int32,
        "territoire_niveau": pl.String,
        "commune_population": pl.Int64,
        "epci_siren": pl.String,
        "heures_insertion": pl.Int64,
        "heures_insertion_prevues": pl.Int64,
        "nb_marches_clauses": pl.Int64,
        "nb_participants": pl.Int64,
        "nb_femmes": pl.Int64,
        "nb_seniors": pl.Int64,
        "nb_residents_qpv": pl.Int64,
        "nb_jeunes": pl.Int64,
    }
    frame = pl.DataFrame(
        [{c: r.get(c) for c in columns} for r in rows], schema=columns, orient="row"
    )
    epci = pl.DataFrame({"siren": ["200000001"], "population": [40_000]})
    con.register("candidatures", frame)
    con.register("ref_epci", epci)
    con.execute(VIEW_SQL.read_text(encoding="utf-8"))
    return con.sql("select * from indicateurs order by candidature_id").pl()


def test_unknown_is_never_zero() -> None:
    con = duckdb.connect()
    base = {"edition": 2023, "heures_insertion": 12_000, "nb_marches_clauses": 4}
    frame = fabricated(
        con,
        [
            # participants = 0: every share unknown, not 0 %
            {**base, "candidature_id": "a", "nb_participants": 0, "nb_femmes": 0},
            # a count left empty stays unknown; a count of 0 is a true 0 %
            {
                **base,
                "candidature_id": "b",
                "nb_participants": 30,
                "nb_femmes": None,
                "nb_seniors": 0,
                "heures_insertion_prevues": 0,
            },
            # resolved at EPCI level: the EPCI's population
            {
                **base,
                "candidature_id": "c",
                "territoire_niveau": "epci",
                "epci_siren": "200000001",
                "nb_participants": 30,
            },
            # resolved to a département only: no population, no rate per 1 000
            {
                **base,
                "candidature_id": "d",
                "territoire_niveau": "departement",
                "commune_population": None,
                "nb_participants": 30,
                "nb_marches_clauses": None,
            },
            # resolved at commune level: the commune's population
            {
                **base,
                "candidature_id": "e",
                "territoire_niveau": "commune",
                "commune_population": 24_000,
                "epci_siren": "200000001",
                "nb_participants": 30,
                "heures_insertion_prevues": 10_000,
            },
        ],
    )
    rows = {r["candidature_id"]: r for r in frame.iter_rows(named=True)}
    assert rows["a"]["part_femmes"] is None and rows["a"]["heures_par_participant"] is None
    assert rows["b"]["part_femmes"] is None
    assert rows["b"]["part_seniors"] == 0.0
    assert rows["b"]["taux_realisation"] is None
    assert rows["b"]["heures_par_participant"] == 400.0
    assert rows["c"]["territoire_population"] == 40_000
    assert rows["c"]["heures_pour_1000_habitants"] == 300.0
    assert rows["d"]["territoire_population"] is None
    assert rows["d"]["heures_pour_1000_habitants"] is None
    assert rows["d"]["heures_par_marche"] is None
    assert rows["e"]["territoire_population"] == 24_000
    assert rows["e"]["heures_pour_1000_habitants"] == 500.0
    assert rows["e"]["taux_realisation"] == 1.2
    assert rows["e"]["heures_par_marche"] == 3_000.0
    assert set(RATIOS) <= set(frame.columns)


def test_every_view_column_is_a_declared_indicator() -> None:
    declared = {i.code for i in indicators.NORMALISES}
    assert declared == set(RATIOS)


def test_percentile_rank_leaves_the_candidature_out_and_splits_ties() -> None:
    population = pl.DataFrame(
        {"candidature_id": ["a", "b", "c", "d", "e"], "x": [10.0, 20.0, 20.0, 40.0, None]}
    )
    cibles = pl.DataFrame(
        {"candidature_id": ["a", "b", "d", "e", "z"], "x": [10.0, 20.0, 40.0, None, 30.0]}
    )
    rangs = indicators.rangs_centiles(cibles, population, ["x"])
    centile = dict(zip(rangs["candidature_id"], rangs["centile"], strict=True))
    comparees = dict(zip(rangs["candidature_id"], rangs["comparees"], strict=True))
    assert centile["a"] == 0.0  # lowest of the category
    assert centile["d"] == 100.0  # highest
    assert centile["b"] == pytest.approx(100 * (1 + 0.5) / 3)  # one below, one tie, of 3
    assert centile["e"] is None  # unknown value, unknown rank
    assert centile["z"] == 75.0  # outside the category: 3 of 4 below
    assert comparees["a"] == 3 and comparees["z"] == 4
    assert rangs["candidature_id"].to_list() == ["a", "b", "d", "e", "z"]


def test_percentile_is_unknown_without_anyone_to_compare_with() -> None:
    alone = pl.DataFrame({"candidature_id": ["a"], "x": [5.0]})
    rangs = indicators.rangs_centiles(alone, alone, ["x"])
    assert rangs.row(0, named=True)["centile"] is None
    assert rangs.row(0, named=True)["comparees"] == 0


def test_median_ignores_unknown_values() -> None:
    frame = pl.DataFrame({"candidature_id": ["a", "b", "c", "d"], "x": [1.0, 3.0, None, 10.0]})
    row = indicators.medianes(frame, ["x"]).row(0, named=True)
    assert (row["mediane"], row["n"]) == (3.0, 3)


@pytest.mark.parametrize(
    ("code", "valeur", "texte"),
    [
        ("heures_par_participant", 512.4, "512\u202fh"),
        ("heures_insertion", 29_000_000, "29\u202f000\u202f000\u202fh"),
        ("heures_pour_1000_habitants", 12.34, "12,3\u202fh"),
        ("part_femmes", 0.125, "12,5\u202f%"),
        ("part_seniors", 0.3, "30\u202f%"),
        ("taux_realisation", 1.124, "112\u202f%"),
        ("nb_participants", 1, "1 personne"),
        ("nb_participants", 1250, "1\u202f250 personnes"),
        ("nb_marches_clauses", 22.5, "22,5 marchés"),
        ("part_femmes", None, "—"),
    ],
)
def test_values_are_written_in_french_with_their_unit(
    code: str, valeur: float | None, texte: str
) -> None:
    assert indicators.format_valeur(indicators.PAR_CODE[code], valeur) == texte


def test_percentile_sentence() -> None:
    assert indicators.centile_fr(85.2, "MIXITE", 2023) == (
        "85e centile des candidatures MIXITE 2023"
    )
    assert indicators.centile_fr(1.0, "RURAL", 2024).startswith("1er centile")
    assert indicators.centile_fr(None, "RURAL", 2024) == (
        "rang non calculable parmi les candidatures RURAL 2024"
    )

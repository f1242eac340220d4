"""Results of a category: the worked examples of docs/jury.md, ties, single scores."""

from __future__ import annotations

import math

import polars as pl
import pytest

from dashboard.jury.results import category_results, juror_severity, rescaled_scores


def scores(*rows: tuple[str, str, float]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={"candidature_id": pl.String, "jure": pl.String, "note": pl.Float64},
        orient="row",
    )


def by_id(table: pl.DataFrame) -> dict[str, dict[str, object]]:
    return {row["candidature_id"]: row for row in table.iter_rows(named=True)}


def test_example_1_lenient_and_severe_on_the_same_candidatures() -> None:
    notes = scores(
        ("X", "A", 5), ("Y", "A", 4), ("Z", "A", 3), ("X", "B", 2), ("Y", "B", 1), ("Z", "B", 0)
    )
    rescaled = rescaled_scores(notes, 0, 5)
    # A's 4 and B's 1 are both their juror's average: both become the panel mean 2.5.
    middle = rescaled.filter(pl.col("candidature_id") == "Y")["note_normalisee"].to_list()
    assert middle == pytest.approx([2.5, 2.5])
    table = by_id(category_results(notes, 0, 5))
    s = math.sqrt(17.5 / 6)
    z = 1 / math.sqrt(2 / 3)
    assert table["X"]["note_normalisee"] == pytest.approx(2.5 + s * z)
    assert table["X"]["note_normalisee"] == pytest.approx(4.5917, abs=1e-4)
    assert table["Y"]["note_normalisee"] == pytest.approx(2.5)
    assert table["Z"]["note_normalisee"] == pytest.approx(0.4083, abs=1e-4)
    assert [table[c]["moyenne"] for c in "XYZ"] == [3.5, 2.5, 1.5]
    assert [table[c]["rang_normalise"] for c in "XYZ"] == [1, 2, 3]
    assert not any(table[c]["decision_serree"] for c in "XYZ")


def test_example_2_partial_panels_change_the_order() -> None:
    notes = scores(("X", "A", 5), ("Y", "A", 4), ("Y", "B", 2), ("Z", "B", 3))
    result = category_results(notes, 0, 5)
    table = by_id(result)
    high = 3.5 + math.sqrt(1.25)
    assert table["X"]["note_normalisee"] == pytest.approx(high)
    assert table["Z"]["note_normalisee"] == pytest.approx(high)
    assert table["Y"]["note_normalisee"] == pytest.approx(3.5 - math.sqrt(1.25))
    assert table["X"]["note_normalisee"] == pytest.approx(4.6180, abs=1e-4)
    assert [table[c]["rang_moyenne"] for c in "XYZ"] == [1, 2, 2]
    assert [table[c]["rang_normalise"] for c in "XYZ"] == [1, 3, 1]
    assert result["candidature_id"].to_list() == ["X", "Z", "Y"]
    assert "ex æquo" in table["X"]["motifs_serree"]
    assert "une seule note" in table["Z"]["motifs_serree"]
    assert any("rang change" in m for m in table["Y"]["motifs_serree"])
    assert all(table[c]["decision_serree"] for c in "XYZ")


def test_places_limit_the_order_alert_to_the_places_that_decide() -> None:
    notes = scores(("X", "A", 5), ("Y", "A", 4), ("Y", "B", 2), ("Z", "B", 3))
    table = by_id(category_results(notes, 0, 5, places=1))
    # Z is first on the normalised score but not on the mean: it crosses the line.
    assert any("premières" in m for m in table["Z"]["motifs_serree"])
    # Y is outside the first place whatever the method: no order alert.
    assert not any("premières" in m for m in table["Y"]["motifs_serree"])


def test_a_juror_with_one_score_or_no_variance_is_neutral() -> None:
    notes = scores(("X", "A", 4), ("Y", "A", 4), ("X", "B", 1), ("Y", "B", 3), ("Z", "C", 0))
    rescaled = rescaled_scores(notes, 0, 5)
    panel_mean = notes["note"].mean()
    neutral = rescaled.filter(pl.col("jure").is_in(["A", "C"]))
    assert neutral["z"].to_list() == [0.0, 0.0, 0.0]
    assert neutral["note_normalisee"].to_list() == pytest.approx([panel_mean] * 3)


def test_single_score_has_no_spread_and_identical_scores_tie() -> None:
    table = by_id(category_results(scores(("X", "A", 3), ("Y", "A", 3)), 0, 5))
    assert table["X"]["ecart_type"] is None
    assert table["X"]["rang_normalise"] == table["Y"]["rang_normalise"] == 1
    assert table["X"]["motifs_serree"] == ["ex æquo", "une seule note"]


def test_strong_disagreement_is_on_merit_not_on_severity() -> None:
    opposed = scores(("X", "A", 5), ("Y", "A", 0), ("X", "B", 0), ("Y", "B", 5))
    table = by_id(category_results(opposed, 0, 5, desaccord_part_echelle=0.3))
    # Rescaled X: 5 (A) and 0 (B): spread 2.5 ≥ 0.3 × 5.
    assert table["X"]["ecart_type_normalise"] == pytest.approx(2.5)
    assert "désaccord fort entre jurés" in table["X"]["motifs_serree"]
    assert (
        "désaccord fort entre jurés"
        not in by_id(category_results(opposed, 0, 5, desaccord_part_echelle=0.6))["X"][
            "motifs_serree"
        ]
    )
    # Same order, different severity: raw spread 1.5, normalised spread 0 → no alert.
    agreeing = scores(("X", "A", 5), ("Y", "A", 4), ("X", "B", 2), ("Y", "B", 1))
    calm = by_id(category_results(agreeing, 0, 5, desaccord_part_echelle=0.3))
    assert calm["X"]["ecart_type"] == pytest.approx(1.5)
    assert calm["X"]["ecart_type_normalise"] == pytest.approx(0.0)
    assert not calm["X"]["decision_serree"]


def test_rescaled_scores_stay_on_the_scale_and_nulls_are_ignored() -> None:
    notes = scores(("X", "A", 5), ("Y", "A", 0), ("Z", "A", 0), ("W", "A", 0), ("X", "B", 5))
    notes = pl.concat(
        [notes, pl.DataFrame({"candidature_id": ["V"], "jure": ["B"], "note": [None]})]
    )
    rescaled = rescaled_scores(notes, 0, 5)
    assert rescaled.height == 5
    assert rescaled["note_normalisee"].max() <= 5
    assert rescaled["note_normalisee"].min() >= 0
    assert category_results(notes.head(0), 0, 5).is_empty()


def test_juror_severity_compares_with_the_other_jurors() -> None:
    notes = scores(("X", "A", 5), ("Y", "A", 4), ("X", "B", 2), ("Y", "B", 1), ("Z", "C", 3))
    severity = {r["jure"]: r for r in juror_severity(notes).iter_rows(named=True)}
    assert severity["A"]["ecart_aux_autres"] == pytest.approx(3.0)
    assert severity["B"]["ecart_aux_autres"] == pytest.approx(-3.0)
    assert severity["C"]["ecart_aux_autres"] is None
    assert severity["A"]["moyenne"] == pytest.approx(4.5)

"""Each kind of correction applied to the demo's answers by the pipeline's own functions,
and a correction whose typed value changed put « à revoir » instead of being applied."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from etl import editions, reference, warehouse
from etl.corrections import Correction, Kind, prepare
from etl.corrections.apply import APPLIED, FUSIONNEE, RETIREE, TO_REVIEW, Applied, apply


@pytest.fixture(scope="module")
def frames(demo_data_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    con = warehouse.connect(demo_data_dir / "warehouse.duckdb")
    try:
        current = con.sql(
            "select * from reponses where statut_version = 'courante' and edition = 2023"
        ).pl()
        categories = con.sql(
            "select * from categories_reponses where statut_version = 'courante' and edition = 2023"
        ).pl()
    finally:
        con.close()
    return current, categories


def made(demo_data_dir: Path, **kw: object) -> Correction:
    """A correction checked and completed by the real ``prepare`` (typed value read)."""
    values: dict[str, object] = {
        "edition": 2023,
        "motif": "Vérifié par téléphone",
        "auteur": "admin",
    }
    values.update(kw)
    con = warehouse.connect(demo_data_dir / "warehouse.duckdb")
    try:
        return prepare(Correction(**values), editions.load_editions()[2023], con)  # type: ignore[arg-type]
    finally:
        con.close()


def run(
    frames: tuple[pl.DataFrame, pl.DataFrame], reference_dir: Path, *corrections: Correction
) -> Applied:
    numbered = [Correction(**{**c.__dict__, "id": i + 1}) for i, c in enumerate(corrections)]
    return apply(
        *frames,
        numbered,
        editions.load_editions()[2023],
        reference.load_reference(reference_dir),
    )


def pick(current: pl.DataFrame, condition: pl.Expr) -> dict[str, object]:
    return current.filter(condition).sort("candidature_id").row(0, named=True)


def test_territory_of_an_ambiguous_saint_denis_is_settled(
    frames: tuple[pl.DataFrame, pl.DataFrame], demo_data_dir: Path, reference_dir: Path
) -> None:
    current, _ = frames
    row = pick(current, pl.col("territoire_statut") == "ambigu")
    c = made(
        demo_data_dir, candidature_id=row["candidature_id"], nature=Kind.TERRITOIRE, valeur="93066"
    )
    result = run(frames, reference_dir, c)
    (fixed,) = result.reponses.iter_rows(named=True)
    assert (fixed["commune_code"], fixed["departement_code"], fixed["region_code"]) == (
        "93066",
        "93",
        "11",
    )
    assert fixed["commune_population"] > 100_000 and fixed["territoire_statut"] == "corrige"
    assert "Saint-Denis (93066)" in fixed["territoire_message"] and fixed["corrige"]
    assert result.state["etat"].to_list() == [APPLIED]


def test_a_rural_candidature_moved_to_a_city_loses_the_rural_prize(
    frames: tuple[pl.DataFrame, pl.DataFrame], demo_data_dir: Path, reference_dir: Path
) -> None:
    _, categories = frames
    rural = categories.filter((pl.col("categorie_code") == "RURAL") & pl.col("eligible"))
    cid = sorted(rural["candidature_id"].to_list())[0]
    c = made(demo_data_dir, candidature_id=cid, nature=Kind.TERRITOIRE, valeur="69123")  # Lyon
    verdict = run(frames, reference_dir, c).categories.filter(pl.col("categorie_code") == "RURAL")
    assert verdict["eligible"].to_list() == [False]
    assert any("hors du champ du prix rural" in m for m in verdict["motifs"][0])


def test_values_exclusions_eligibility_withdrawal_and_merge(
    frames: tuple[pl.DataFrame, pl.DataFrame], demo_data_dir: Path, reference_dir: Path
) -> None:
    current, categories = frames
    ids = sorted(current.filter(pl.col("heures_insertion").is_not_null())["candidature_id"])[:5]
    first_prize = categories.filter(pl.col("candidature_id") == ids[2])["categorie_code"][0]
    result = run(
        frames,
        reference_dir,
        made(
            demo_data_dir,
            candidature_id=ids[0],
            nature=Kind.VALEUR,
            champ="nb_participants",
            valeur="31",
        ),
        made(demo_data_dir, candidature_id=ids[1], nature=Kind.EXCLUSION, champ="heures_insertion"),
        made(
            demo_data_dir,
            candidature_id=ids[2],
            nature=Kind.ELIGIBILITE,
            categorie=first_prize,
            valeur="refusee",
        ),
        made(demo_data_dir, candidature_id=ids[3], nature=Kind.RETRAIT),
        made(demo_data_dir, candidature_id=ids[4], nature=Kind.FUSION, valeur=ids[0]),
    )
    rows = {r["candidature_id"]: r for r in result.reponses.iter_rows(named=True)}
    assert rows[ids[0]]["nb_participants"] == 31
    assert rows[ids[1]]["heures_insertion"] is None  # out of totals and rankings
    assert rows[ids[3]]["statut_correction"] == RETIREE
    assert (rows[ids[4]]["statut_correction"], rows[ids[4]]["fusionnee_dans"]) == (
        FUSIONNEE,
        ids[0],
    )
    decided = result.categories.filter(
        (pl.col("candidature_id") == ids[2]) & (pl.col("categorie_code") == first_prize)
    ).row(0, named=True)
    assert decided["eligible"] is False and decided["decision_organisateur"] == "refusee"
    assert decided["eligible_calcule"] is not False
    assert "refusée par l'organisateur : Vérifié par téléphone" in decided["motifs"]
    assert result.state["etat"].to_list() == [APPLIED] * 5
    untouched = current.filter(pl.col("candidature_id") == ids[1])["heures_insertion"][0]
    assert untouched is not None  # the answers as read are never changed


def test_a_changed_typed_value_or_a_missing_candidature_is_to_review(
    frames: tuple[pl.DataFrame, pl.DataFrame], demo_data_dir: Path, reference_dir: Path
) -> None:
    current, _ = frames
    cid = sorted(current.filter(pl.col("heures_insertion").is_not_null())["candidature_id"])[0]
    stale = Correction(
        2023,
        cid,
        Kind.VALEUR,
        "Cumul",
        "admin",
        champ="heures_insertion",
        valeur="100",
        valeur_saisie="1",  # what the export said when the correction was made
    )
    gone = Correction(2023, "2023-0000000000", Kind.RETRAIT, "Retrait", "admin")
    result = run(frames, reference_dir, stale, gone)
    assert result.reponses.is_empty()
    assert result.state["etat"].to_list() == [TO_REVIEW, TO_REVIEW]
    reasons = result.state["revue"].to_list()
    assert "la valeur saisie a changé depuis la correction : « 1 » →" in reasons[0]
    assert "candidature introuvable" in reasons[1]

"""Invariants checked before a warehouse is published; a broken one keeps the previous."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl import identity, warehouse
from etl.warehouse import checks
from tests.helpers import MINI


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, reference_dir: Path) -> Path:
    target = tmp_path_factory.mktemp("controles") / "warehouse.duckdb"
    warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir)
    return target


def copy(built: Path) -> duckdb.DuckDBPyConnection:
    """The built warehouse's tables in a private in-memory database, free to break."""
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{built}' as source (read_only)")
    for table in warehouse.TABLES:
        con.execute(f"create table {table} as select * from source.{table}")  # noqa: S608
    con.execute("detach source")
    return con


BREAKS: dict[str, tuple[str, str]] = {
    "deux versions courantes": (
        "insert into reponses select * replace (ligne + 1000 as ligne) from reponses "
        "where statut_version = 'courante' limit 1",
        "plusieurs versions courantes pour une même candidature",
    ),
    "réponse essentielle vide": (
        "update reponses set structure_nom = null where ligne = 4",
        "« structure_nom » vide sur 1 ligne",
    ),
    "réponse obligatoire vide": (
        "update contacts set contact_email = null where ligne = 4",
        "réponse obligatoire « contact_email » vide : « mini-2023.csv », ligne 4",
    ),
    "catégorie orpheline": (
        "delete from reponses where ligne = 7",
        "catégories sans la candidature qu'elles concernent : « mini-2023.csv », ligne 7",
    ),
    "candidature sans catégorie": (
        "delete from categories_reponses where ligne = 4",
        "candidatures courantes sans catégorie",
    ),
    "comptes faux": (
        "update chargements_table set lignes_lues = lignes_lues + 1",
        "comptes de lignes incohérents : « mini-2023.csv » (2023) : 9 lues",
    ),
}


def test_a_built_warehouse_holds_every_invariant(built: Path) -> None:
    con = copy(built)
    assert checks.violations(con) == []


@pytest.mark.parametrize("name", list(BREAKS))
def test_each_broken_invariant_is_told_in_french(built: Path, name: str) -> None:
    sql, expected = BREAKS[name]
    con = copy(built)
    con.execute(sql)
    found = checks.violations(con)
    assert len(found) >= 1
    assert any(expected in f for f in found), found
    with pytest.raises(checks.InvariantViolation, match="n'a pas été publié"):
        checks.check(con)


def test_a_broken_build_is_not_published(
    tmp_path: Path, reference_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "warehouse.duckdb"
    warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir)
    before = warehouse.content_hash(target)
    honest: Callable[..., pl.DataFrame] = identity.reconcile

    def every_line_current(*args: object) -> pl.DataFrame:
        decided = honest(*args)
        return decided.with_columns(pl.lit("courante").alias("statut_version"))

    monkeypatch.setattr(identity, "reconcile", every_line_current)
    corrected = tmp_path / "corrige" / MINI.name
    corrected.parent.mkdir()
    corrected.write_text(MINI.read_text(encoding="utf-8").replace("12 OOO", "12 000"))
    with pytest.raises(warehouse.InvariantViolation) as err:
        warehouse.load_files([corrected], 2023, warehouse=target, ref_dir=reference_dir)
    assert "plusieurs versions courantes" in str(err.value)
    assert "L'entrepôt précédent reste en service" in str(err.value)
    assert warehouse.content_hash(target) == before
    assert sorted(p.name for p in tmp_path.glob("warehouse.duckdb*")) == ["warehouse.duckdb"]
    with pytest.raises(warehouse.InvariantViolation):  # the dry run says the same
        warehouse.plan_load([corrected], 2023, warehouse=target, ref_dir=reference_dir)

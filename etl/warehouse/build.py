"""Atomic build of ``data/warehouse.duckdb`` from form exports, with lineage and rejects.

A load never modifies the warehouse in place: it writes a complete new DuckDB file next
to it and swaps it in with ``os.replace``; if anything fails before the swap — a file
refused, an invariant broken (``checks``), a full disk — the previous warehouse is
untouched (readers keep their read-only view). The sources already loaded are carried
over from the previous file; a file of the same name for the same edition replaces its
earlier version (a corrected re-export); identical content is a no-op.

Two steps, one code path for the console, the app and the dry run:

1. :func:`plan_load` reads and processes the files, carries the previous tables over,
   gives every table the contract's shape (``contract``), decides identities and versions
   across files (``etl.identity``) and recounts each file's lineage: a :class:`LoadPlan`,
   nothing written. The app's dry run shows it; it is checked there too.
2. :func:`load_files` makes the same plan under the load lock, writes it into a new file,
   checks the invariants on that file, then swaps it in.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl import paths, reference
from etl.editions import Edition, load_editions
from etl.french import agree, format_decimal, format_integer, plural
from etl.mapping import load_edition_with_mapping
from etl.pipeline import ProcessedExport, process_export
from etl.reading import RawExport, read_export
from etl.rules import ChargementImpossible
from etl.territory import TerritoryResolver
from etl.warehouse import checks, corrected
from etl.warehouse.contract import contract_for
from etl.warehouse.fingerprint import config_fingerprint
from etl.warehouse.storage import (
    PURGES,
    PURGES_SCHEMA,
    derived_of,
    exclusive_lock,
    read_only,
    remove_stale_temporaries,
    write_tables,
)
from etl.warehouse.tables import warehouse_tables


class MelangeDemoReel(ChargementImpossible):
    """Demo and real exports asked to share one warehouse (French message)."""


@dataclass(frozen=True)
class LoadReport:
    """The lineage of one file's load, as stored in the ``chargements`` view."""

    fichier: str
    sha256: str
    edition: int
    encodage: str | None
    separateur: str | None
    fin_de_ligne: str | None
    champs_multilignes: int
    correspondance: str
    lignes_lues: int
    lignes_chargees: int
    lignes_rejetees: int
    doublons: int
    erreurs: int
    avertissements: int
    inchange: bool
    fictif: bool
    """Generated demo data (the app says so on every page)."""

    def summary_fr(self) -> str:
        """One French paragraph for the organiser."""
        if self.inchange:
            return f"« {self.fichier} » ({self.edition}) : déjà chargé à l'identique, rien à faire."
        return (
            f"« {self.fichier} » ({self.edition}) : "
            f"{plural(self.lignes_lues, 'ligne')} {agree(self.lignes_lues, 'lue')}, "
            f"{plural(self.lignes_chargees, 'candidature')} "
            f"{agree(self.lignes_chargees, 'chargée')}, "
            f"{plural(self.lignes_rejetees, 'ligne')} {agree(self.lignes_rejetees, 'rejetée')}, "
            f"{plural(self.doublons, 'doublon')} ou "
            f"{agree(self.doublons, 'version remplacée', 'versions remplacées')} ; "
            f"{plural(self.erreurs, 'erreur')} et {plural(self.avertissements, 'avertissement')} "
            "(vue « rejets »)."
        )


@dataclass(frozen=True)
class LoadPlan:
    """What a load would publish: the complete tables, checked, and a report per file."""

    edition: Edition
    reports: list[LoadReport]
    """One per file asked, in order (``inchange`` when already loaded identically)."""
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    """Every table of the new warehouse (empty when there is nothing to write)."""
    purges: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=PURGES_SCHEMA))
    nouveaux: tuple[str, ...] = ()
    """Names of the files this load reads anew (their lines are in ``tables``)."""
    retires: tuple[tuple[int, str], ...] = ()
    """(edition, file) removed from the warehouse: demo files a real load replaces."""
    derived: dict[str, pl.DataFrame] = field(default_factory=dict)
    """The organiser's corrections applied (``etl.warehouse.corrected``)."""

    @property
    def writes(self) -> bool:
        """Whether publishing the plan changes the warehouse."""
        return bool(self.tables)


def load_files(
    files: list[Path],
    edition_year: int,
    mapping: Path | None = None,
    warehouse: Path | None = None,
    progress: bool = False,
    ref_dir: Path | None = None,
    fictif: bool = False,
    max_bytes: int = 20 * 1024 * 1024,
    sheet: str | None = None,
    replace_demo: bool = False,
) -> list[LoadReport]:
    """Load exports of one edition into the warehouse (atomic; see module docstring).

    A warehouse is either demo or real, never both (``is_fictitious``): loading a real
    file beside demo files is refused unless ``replace_demo`` drops the demo files in the
    same atomic swap; loading demo files into a real warehouse is always refused.
    """
    target = warehouse or paths.warehouse_path()
    ref_dir = ref_dir or paths.reference_dir()
    with exclusive_lock(target.parent):
        remove_stale_temporaries(target)
        plan = _plan(
            files, edition_year, mapping, target, ref_dir, fictif, max_bytes, sheet,
            replace_demo, progress,
        )  # fmt: skip
        if plan.writes:
            if progress:
                print(
                    "Écriture du nouvel entrepôt (l'ancien reste en service jusqu'au "
                    "remplacement)…",
                    flush=True,
                )
            write_tables(target, plan.tables, ref_dir, extra={PURGES: plan.purges, **plan.derived})
        return plan.reports


def apply_corrections(
    warehouse: Path | None = None, ref_dir: Path | None = None, progress: bool = False
) -> bool:
    """Apply the organiser's corrections again without loading any file (« Appliquer les
    corrections », ``trophees corrections appliquer``): a new warehouse from the files
    already loaded, swapped in atomically. Returns whether anything changed."""
    target = warehouse or paths.warehouse_path()
    ref_dir = ref_dir or paths.reference_dir()
    if not target.exists():
        raise ChargementImpossible("aucun entrepôt : chargez d'abord un export (trophees load).")
    with exclusive_lock(target.parent):
        previous = previous_lineage(target)
        latest = int(previous["edition"].max()) if previous.height else None  # type: ignore[arg-type]
        if latest is None:
            return False
        fictif = bool(previous["fictif"].all())
        plan = _plan([], latest, None, target, ref_dir, fictif, 0, None, False, progress)
        if plan.writes:
            write_tables(target, plan.tables, ref_dir, extra={PURGES: plan.purges, **plan.derived})
        return plan.writes


def plan_load(
    files: list[Path],
    edition_year: int,
    mapping: Path | None = None,
    warehouse: Path | None = None,
    ref_dir: Path | None = None,
    fictif: bool = False,
    max_bytes: int = 20 * 1024 * 1024,
    sheet: str | None = None,
    replace_demo: bool = False,
) -> LoadPlan:
    """The dry run: what :func:`load_files` would publish, checked, with nothing written.

    Raises what the load would raise (refused file, missing column, mixing demo and real
    data, broken invariant). Another load may publish meanwhile: the plan is a preview.
    """
    target = warehouse or paths.warehouse_path()
    ref_dir = ref_dir or paths.reference_dir()
    plan = _plan(
        files, edition_year, mapping, target, ref_dir, fictif, max_bytes, sheet, replace_demo,
        False,
    )  # fmt: skip
    if plan.writes:
        con = duckdb.connect(":memory:")
        try:
            for name, frame in plan.tables.items():
                con.register(name, frame)
            checks.check(con)
        finally:
            con.close()
    return plan


def _plan(
    paths_: list[Path],
    edition_year: int,
    mapping: Path | None,
    target: Path,
    ref_dir: Path,
    fictif: bool,
    max_bytes: int,
    sheet: str | None,
    replace_demo: bool,
    progress: bool,
) -> LoadPlan:
    edition_file = paths.editions_dir() / f"{edition_year}.toml"
    if not edition_file.exists():
        raise FileNotFoundError(
            f"Édition {edition_year} inconnue : fichier {edition_file} introuvable "
            "(voir docs/editions.md)."
        )
    edition = load_edition_with_mapping(edition_file, mapping)

    def say(text: str) -> None:
        if progress:
            print(text, flush=True)

    empreinte = config_fingerprint(edition, mapping, ref_dir)
    previous = previous_lineage(target)
    dropped = _demo_files_to_drop(previous, fictif, replace_demo)
    built = str((reference.stored_metadata(ref_dir) or {}).get("fingerprint", ""))
    ref = _reference(ref_dir, built)
    resolver = functools.partial(_resolver, ref_dir, built)
    unchanged: dict[int, LoadReport] = {}
    processed: list[tuple[int, RawExport, ProcessedExport]] = []
    for position, path in enumerate(paths_):
        raw = read_export(path, max_bytes=max_bytes, sheet=sheet)
        known = previous.filter(
            (pl.col("edition") == edition_year)
            & (pl.col("fichier") == raw.fichier)
            & (pl.col("sha256") == raw.sha256)
            & (pl.col("empreinte_config") == empreinte)
        )
        if known.height:
            unchanged[position] = _report_from_lineage(known.row(0, named=True), True)
            continue
        say(
            f"« {raw.fichier} » lu ({raw.raison_encodage or raw.encodage or 'xlsx'}, "
            f"{format_integer(raw.lignes_lues)} lignes) : normalisation, territoires, règles…"
        )
        started = time.perf_counter()
        result = process_export(raw, edition, resolver, ref)
        say(f"  traité en {format_decimal(time.perf_counter() - started, 1)} s")
        # the raw text is no longer needed: its memory goes before the tables are built
        processed.append((position, dataclasses.replace(raw, frame=pl.DataFrame()), result))
        del raw
    fixes = corrected.active(target.parent / "corrections.sqlite")
    fixes_changed = _stored_digest(target) != corrected.digest(fixes)
    if not processed and not dropped and not (fixes_changed and target.exists()):
        return LoadPlan(edition, [unchanged[i] for i in sorted(unchanged)])
    configured = load_editions()
    contract = contract_for(configured.values())
    tables, purges = warehouse_tables(
        target, processed, edition, mapping, empreinte, fictif, dropped, contract
    )
    if fixes_changed:
        say(f"Corrections de l'organisateur : {plural(len(fixes), 'correction')} à appliquer.")
    derived = corrected.corrected_tables(tables, fixes, {**configured, edition.annee: edition}, ref)
    lineage = tables["chargements_table"]
    reports = dict(unchanged)
    for position, raw, _ in processed:
        row = lineage.filter(
            (pl.col("edition") == edition_year) & (pl.col("fichier") == raw.fichier)
        ).row(0, named=True)
        reports[position] = _report_from_lineage(row, False)
    return LoadPlan(
        edition,
        [reports[i] for i in sorted(reports)],
        tables,
        purges,
        tuple(raw.fichier for _, raw, _ in processed),
        tuple(sorted(dropped)),
        derived,
    )


def _stored_digest(target: Path) -> str:
    """The corrections digest the warehouse at ``target`` was built with ("" when none)."""
    stored = derived_of(target).get(corrected.DIGEST)
    if stored is None or stored.height == 0:
        return corrected.digest([]) if not target.exists() else ""
    return str(stored["empreinte"][0])


@functools.lru_cache(maxsize=2)
def _reference(ref_dir: Path, built: str) -> reference.Reference:
    """The reference tables of one build, read once per process (the app loads often)."""
    return reference.load_reference(ref_dir)


@functools.lru_cache(maxsize=2)
def _resolver(ref_dir: Path, built: str) -> TerritoryResolver:
    """The territory index of one reference build: about a second to build, so built at
    the first load that resolves a territory and kept for the next ones."""
    return TerritoryResolver.from_reference(_reference(ref_dir, built))


def warm_up(ref_dir: Path | None = None) -> None:
    """Read the reference and build the territory index now (a second or two), so that
    the next dry run or load in this process does not wait for them (the app's page
    calls it in the background as soon as it opens)."""
    ref_dir = ref_dir or paths.reference_dir()
    built = str((reference.stored_metadata(ref_dir) or {}).get("fingerprint", ""))
    _resolver(ref_dir, built)


def _demo_files_to_drop(
    previous: pl.DataFrame, fictif: bool, replace_demo: bool
) -> set[tuple[int, str]]:
    """The demo files a real load replaces; raise when the load would mix demo and real."""
    if previous.height == 0:
        return set()
    demo = previous.filter(pl.col("fictif"))
    real = previous.height - demo.height
    if fictif and real:
        raise MelangeDemoReel(
            "l'entrepôt contient des données réelles "
            f"({plural(real, 'fichier')} {agree(real, 'chargé')}) : des données fictives ne s'y "
            "ajoutent pas. Pour une démonstration, utilisez un autre dossier de données "
            "(variable TROPHEES_DATA_DIR)."
        )
    if fictif or demo.height == 0:
        return set()
    if not replace_demo:
        raise MelangeDemoReel(
            "l'entrepôt contient les données fictives de démonstration "
            f"({plural(demo.height, 'fichier')}) : un export réel ne s'y mêle pas, "
            "sinon les comptes de démonstration, le bandeau « fictif » et le dossier de "
            "presse s'appliqueraient à des données réelles. Relancez avec "
            "--remplacer-demo : les données fictives sont retirées et cet export chargé, "
            "en un seul remplacement."
        )
    # (a warehouse mixed before loads refused it is mended the same way)
    return {(int(e), str(f)) for e, f in demo.select("edition", "fichier").iter_rows()}


def previous_lineage(target: Path) -> pl.DataFrame:
    schema = {
        "edition": pl.Int64,
        "fichier": pl.String,
        "sha256": pl.String,
        "empreinte_config": pl.String,
        "fictif": pl.Boolean,
    }
    if not target.exists():
        return pl.DataFrame(schema=schema)
    con = read_only(target)
    try:
        lineage: pl.DataFrame = con.sql("select * from chargements_table").pl()
        return lineage
    finally:
        con.close()


def _report_from_lineage(row: dict[str, object], inchange: bool) -> LoadReport:
    def number(key: str) -> int:
        return int(str(row[key]))

    def text(key: str) -> str | None:
        value = row.get(key)
        return value if isinstance(value, str) else None

    return LoadReport(
        fichier=str(row["fichier"]),
        sha256=str(row["sha256"]),
        edition=number("edition"),
        encodage=text("encodage"),
        separateur=text("separateur"),
        fin_de_ligne=text("fin_de_ligne"),
        champs_multilignes=number("champs_multilignes"),
        correspondance=str(row["correspondance"]),
        lignes_lues=number("lignes_lues"),
        lignes_chargees=number("lignes_chargees"),
        lignes_rejetees=number("lignes_rejetees"),
        doublons=number("doublons"),
        erreurs=number("erreurs"),
        avertissements=number("avertissements"),
        inchange=inchange,
        fictif=bool(row["fictif"]),
    )

"""Atomic build of ``data/warehouse.duckdb`` from form exports, with lineage and rejects.

A load never modifies the warehouse in place: it writes a complete new DuckDB file next
to it and swaps it in with ``os.replace``; if anything fails before the swap, the previous
warehouse is untouched (readers keep their read-only view). The sources already loaded
are carried over from the previous file; a file of the same name for the same edition
replaces its earlier version (a corrected re-export); identical content is a no-op.

Long module: the load (lock, lineage, demo/real rule), the frames written per table and the
read-only connection form one sequence read top to bottom; splitting it is planned with the
build's invariant checks (intake issue).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from etl import files, paths, reference
from etl.editions import Edition, load_edition_with_mapping, load_editions
from etl.french import agree, format_decimal, format_integer, plural
from etl.pipeline import STATUT_COURANTE, ProcessedExport, process_export
from etl.reading import RawExport, read_export
from etl.rules import RULE_MESSAGES, ChargementImpossible
from etl.territory import TerritoryResolver

SQL_DIR = Path(__file__).with_name("sql")
TABLES = ("reponses", "categories_reponses", "problemes", "contacts", "chargements_table")
REFERENCE_TABLES = {
    "ref_communes": "communes.parquet",
    "ref_epci": "epci.parquet",
    "ref_departements": "departements.parquet",
    "ref_regions": "regions.parquet",
}


# What a full disk, a quota or a missing right looks like while DuckDB writes the new file
# (a failed commit of its write-ahead log is a TransactionException; a private temporary
# file has no concurrent writer, so it cannot be a conflict).
WRITE_FAILURES = (
    OSError,
    duckdb.IOException,
    duckdb.TransactionException,
    duckdb.OutOfMemoryException,
    duckdb.FatalException,
)


PURGES = "purges"
"""Contact purges done on this warehouse (edition, date, rows erased): kept by every load,
which also keeps contacts out of a purged edition if one of its files is loaded again."""
PURGES_SCHEMA: dict[str, pl.DataType] = {
    "edition": pl.Int64(),
    "purge_le": pl.Datetime("us", "UTC"),
    "contacts_effaces": pl.Int64(),
    "motif": pl.String(),
}


class EcritureImpossible(ChargementImpossible):
    """The new warehouse could not be written (disk full, quota, rights): nothing replaced."""


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


LOCK_TIMEOUT_S = 5.0
"""How long a load or a purge waits for another one to finish before saying so."""


def _exclusive_lock(directory: Path) -> contextlib.AbstractContextManager[None]:
    """One load or purge at a time; a second one is told, not kept waiting forever."""
    return files.exclusive(
        directory / ".warehouse.lock",
        what="Un chargement (ou une purge) de l'entrepôt",
        timeout_s=LOCK_TIMEOUT_S,
    )


def config_fingerprint(edition: Edition, mapping: Path | None, ref_dir: Path) -> str:
    """SHA-256 of everything that shapes how a file is read: configs, reference build,
    the ETL's own code and SQL views."""
    digest = hashlib.sha256()
    digest.update(edition.source_fichier.read_bytes())
    for parent in sorted(edition.source_fichier.parent.glob("*.toml")):
        digest.update(parent.read_bytes())
    if mapping is not None:
        digest.update(mapping.read_bytes())
    # the code that reads and the views it builds: a new rule or view rebuilds the warehouse
    package = Path(__file__).parent
    for source in sorted([*package.rglob("*.py"), *SQL_DIR.glob("*.sql")]):
        digest.update(source.read_bytes())
    meta = reference.stored_metadata(ref_dir) or {}
    digest.update(str(meta.get("fingerprint", "")).encode())
    return digest.hexdigest()


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

    A warehouse is either demo or real, never both (:func:`is_fictitious`): loading a real
    file beside demo files is refused unless ``replace_demo`` drops the demo files in the
    same atomic swap; loading demo files into a real warehouse is always refused.
    """
    target = warehouse or paths.warehouse_path()
    edition_file = paths.editions_dir() / f"{edition_year}.toml"
    if not edition_file.exists():
        raise FileNotFoundError(
            f"Édition {edition_year} inconnue : fichier {edition_file} introuvable "
            "(voir docs/editions.md)."
        )
    edition = load_edition_with_mapping(edition_file, mapping)
    ref_dir = ref_dir or paths.reference_dir()

    def say(text: str) -> None:
        if progress:
            print(text, flush=True)

    empreinte = config_fingerprint(edition, mapping, ref_dir)
    with _exclusive_lock(target.parent):
        _remove_stale_temporaries(target)
        previous = _previous_lineage(target)
        dropped = _demo_files_to_drop(previous, fictif, replace_demo)
        ref = reference.load_reference(ref_dir)
        resolver = functools.cache(lambda: TerritoryResolver.from_reference(ref))
        reports: list[LoadReport] = []
        processed: list[tuple[ProcessedExport, LoadReport]] = []
        for path in files:
            raw = read_export(path, max_bytes=max_bytes, sheet=sheet)
            known = previous.filter(
                (pl.col("edition") == edition_year)
                & (pl.col("fichier") == raw.fichier)
                & (pl.col("sha256") == raw.sha256)
                & (pl.col("empreinte_config") == empreinte)
            )
            if known.height:
                reports.append(_unchanged_report(known.row(0, named=True)))
                continue
            say(
                f"« {raw.fichier} » lu ({raw.raison_encodage or raw.encodage or 'xlsx'}, "
                f"{format_integer(raw.lignes_lues)} lignes) : normalisation, territoires, règles…"
            )
            started = time.perf_counter()
            result = process_export(raw, edition, resolver, ref)
            say(f"  traité en {format_decimal(time.perf_counter() - started, 1)} s")
            report = _report(raw, result, edition_year, mapping, fictif)
            processed.append((result, report))
            reports.append(report)
        if processed or dropped:
            say("Écriture du nouvel entrepôt (l'ancien reste en service jusqu'au remplacement)…")
            _write_new_warehouse(target, processed, empreinte, ref_dir=ref_dir, dropped=dropped)
        return reports


class MelangeDemoReel(ChargementImpossible):
    """Demo and real exports asked to share one warehouse (French message)."""


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


def _remove_stale_temporaries(target: Path) -> None:
    for stale in files.stale_temporaries(target):
        stale.unlink(missing_ok=True)


def _previous_lineage(target: Path) -> pl.DataFrame:
    schema = {
        "edition": pl.Int64,
        "fichier": pl.String,
        "sha256": pl.String,
        "empreinte_config": pl.String,
        "fictif": pl.Boolean,
    }
    if not target.exists():
        return pl.DataFrame(schema=schema)
    con = duckdb.connect(str(target), read_only=True)
    try:
        lineage: pl.DataFrame = con.sql("select * from chargements_table").pl()
        return lineage
    finally:
        con.close()


def _unchanged_report(row: dict[str, object]) -> LoadReport:
    return LoadReport(
        fichier=str(row["fichier"]),
        sha256=str(row["sha256"]),
        edition=int(str(row["edition"])),
        encodage=row["encodage"] if isinstance(row["encodage"], str) else None,
        separateur=row["separateur"] if isinstance(row["separateur"], str) else None,
        fin_de_ligne=row["fin_de_ligne"] if isinstance(row["fin_de_ligne"], str) else None,
        champs_multilignes=int(str(row["champs_multilignes"])),
        correspondance=str(row["correspondance"]),
        lignes_lues=int(str(row["lignes_lues"])),
        lignes_chargees=int(str(row["lignes_chargees"])),
        lignes_rejetees=int(str(row["lignes_rejetees"])),
        doublons=int(str(row["doublons"])),
        erreurs=int(str(row["erreurs"])),
        avertissements=int(str(row["avertissements"])),
        inchange=True,
        fictif=bool(row["fictif"]),
    )


def _report(
    raw: RawExport, result: ProcessedExport, edition: int, mapping: Path | None, fictif: bool
) -> LoadReport:
    statuts = result.reponses["statut_version"]
    severites = result.problemes["severite"]
    return LoadReport(
        fichier=raw.fichier,
        sha256=raw.sha256,
        edition=edition,
        encodage=raw.encodage,
        separateur=raw.separateur,
        fin_de_ligne=raw.fin_de_ligne,
        champs_multilignes=raw.champs_multilignes,
        correspondance=mapping.name if mapping else f"config/editions/{edition}.toml",
        lignes_lues=raw.lignes_lues,
        lignes_chargees=int((statuts == STATUT_COURANTE).sum()),
        lignes_rejetees=result.lignes_rejetees,
        doublons=int((statuts != STATUT_COURANTE).sum()),
        erreurs=int((severites == "erreur").sum()),
        avertissements=int((severites == "avertissement").sum()),
        inchange=False,
        fictif=fictif,
    )


def _duplicate_problems(result: ProcessedExport, fichier: str) -> pl.DataFrame:
    """Duplicates and superseded versions, recorded beside the other problems."""
    dup = result.reponses.filter(pl.col("statut_version") != STATUT_COURANTE)
    return dup.select(
        pl.col("__ligne__").alias("ligne"),
        pl.lit(None, pl.String).alias("champ"),
        pl.lit("").alias("colonne"),
        pl.col("candidature_id").alias("valeur"),
        pl.col("statut_version").alias("regle"),
        pl.lit("avertissement").alias("severite"),
        pl.lit(False).alias("rejette_ligne"),
    ).with_columns(
        pl.format(
            "Fichier « {} », ligne {} : {} (candidature {}).",
            pl.lit(fichier),
            pl.col("ligne"),
            pl.col("regle").replace_strict(RULE_MESSAGES, default=pl.col("regle")),
            pl.col("valeur"),
        ).alias("message")
    )


def _frames_for(
    result: ProcessedExport, report: LoadReport, empreinte: str, personal_fields: set[str]
) -> dict[str, pl.DataFrame]:
    internals = [c for c in result.reponses.columns if "__" in c and c != "__ligne__"]
    reponses = result.reponses.drop(internals).rename({"__ligne__": "ligne"})
    personal = [c for c in reponses.columns if c in personal_fields]
    contacts = reponses.select("candidature_id", "edition", "fichier", "ligne", *personal)
    reponses = reponses.drop(personal)
    problems = pl.concat(
        [result.problemes, _duplicate_problems(result, report.fichier)], how="vertical_relaxed"
    ).with_columns(pl.lit(report.fichier).alias("fichier"), pl.lit(report.edition).alias("edition"))
    lineage = pl.DataFrame(
        [
            {
                "fichier": report.fichier,
                "sha256": report.sha256,
                "edition": report.edition,
                "encodage": report.encodage,
                "separateur": report.separateur,
                "fin_de_ligne": report.fin_de_ligne,
                "champs_multilignes": report.champs_multilignes,
                "correspondance": report.correspondance,
                "lignes_lues": report.lignes_lues,
                "lignes_chargees": report.lignes_chargees,
                "lignes_rejetees": report.lignes_rejetees,
                "doublons": report.doublons,
                "erreurs": report.erreurs,
                "avertissements": report.avertissements,
                "empreinte_config": empreinte,
                "fictif": report.fictif,
                "charge_le": datetime.now(UTC),
            }
        ]
    )
    categories = result.categories.rename({"__ligne__": "ligne"}).with_columns(
        pl.lit(report.edition).alias("edition")
    )
    return {
        "reponses": reponses,
        "categories_reponses": categories,
        "problemes": problems,
        "contacts": contacts,
        "chargements_table": lineage,
    }


def _write_new_warehouse(
    target: Path,
    processed: list[tuple[ProcessedExport, LoadReport]],
    empreinte: str,
    ref_dir: Path,
    dropped: set[tuple[int, str]] | None = None,
) -> None:
    replaced = {(r.edition, r.fichier) for _, r in processed} | (dropped or set())
    every_edition = load_editions().values()
    field_order = list(dict.fromkeys(f.nom for e in every_edition for f in e.champs))
    personal_fields = {f for e in every_edition for f in e.champs_personnels}
    tables: dict[str, list[pl.DataFrame]] = {name: [] for name in TABLES}
    if target.exists():
        gone = pl.DataFrame(
            {"edition": [e for e, _ in replaced], "fichier": [f for _, f in replaced]},
            schema={"edition": pl.Int64, "fichier": pl.String},
        )
        con = duckdb.connect(str(target), read_only=True)
        try:
            for name in TABLES:
                old = con.sql(f"select * from {name}").pl()  # noqa: S608 - name from TABLES
                tables[name].append(
                    old.join(gone, on=["edition", "fichier"], how="anti", nulls_equal=True)
                )
        finally:
            con.close()
    for result, report in processed:
        for name, frame in _frames_for(result, report, empreinte, personal_fields).items():
            tables[name].append(frame)
    purged = _purges(target)
    if purged.height:
        tables["contacts"] = [
            f.filter(~pl.col("edition").is_in(purged["edition"].implode()))
            for f in tables["contacts"]
        ]
    _write_tables(target, tables, field_order, ref_dir, extra={PURGES: purged})


def _write_tables(
    target: Path,
    tables: dict[str, list[pl.DataFrame]],
    field_order: list[str],
    ref_dir: Path,
    extra: dict[str, pl.DataFrame] | None = None,
) -> None:
    """Write a complete warehouse beside ``target`` then swap it in (``os.replace``)."""
    try:
        with files.atomic_path(target) as tmp:
            con = duckdb.connect(str(tmp))
            try:
                _fill(con, tables, field_order, ref_dir, extra or {})
            except BaseException:
                with contextlib.suppress(duckdb.Error, OSError):
                    con.close()
                Path(f"{tmp}.wal").unlink(missing_ok=True)
                raise
            con.close()
    except WRITE_FAILURES as err:
        detail = str(err).splitlines()[0] if str(err) else err.__class__.__name__
        raise EcritureImpossible(
            "écriture du nouvel entrepôt impossible : disque plein, quota ou droits "
            f"insuffisants sur {target.parent} ? Rien n'a été remplacé. "
            f"(Détail technique : {detail})"
        ) from err


def _fill(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, list[pl.DataFrame]],
    field_order: list[str],
    ref_dir: Path,
    extra: dict[str, pl.DataFrame],
) -> None:
    for name, frames in tables.items():
        frame = pl.concat([_utc(f) for f in frames], how="diagonal_relaxed")
        frame = _canonical_columns(frame, field_order)
        con.register("__frame", frame)
        con.execute(f"create table {name} as select * from __frame")  # noqa: S608 - TABLES
        con.unregister("__frame")
    for name, frame in extra.items():
        con.register("__frame", frame)
        con.execute(f"create table {name} as select * from __frame")  # noqa: S608 - code
        con.unregister("__frame")
    for name, filename in REFERENCE_TABLES.items():
        # read by polars with glob=False: DuckDB's read_parquet would take a data directory
        # named « données[2026] » for a pattern
        con.register("__frame", pl.read_parquet(ref_dir / filename, glob=False))
        con.execute(f"create table {name} as select * from __frame")  # noqa: S608 - code
        con.unregister("__frame")
    for view in sorted(SQL_DIR.glob("*.sql")):
        con.execute(view.read_text(encoding="utf-8"))
    con.execute("checkpoint")


def _purges(target: Path) -> pl.DataFrame:
    """The purge log of the warehouse at ``target`` (empty when none or no warehouse)."""
    if not target.exists():
        return pl.DataFrame(schema=PURGES_SCHEMA)
    con = duckdb.connect(str(target), read_only=True)
    try:
        present = con.execute(
            "select count(*) from duckdb_tables() where table_name = ?", [PURGES]
        ).fetchall()
        if not present[0][0]:
            return pl.DataFrame(schema=PURGES_SCHEMA)
        log: pl.DataFrame = con.sql(f"select * from {PURGES}").pl()  # noqa: S608 - code
        return log
    finally:
        con.close()


def purge_contacts(
    editions: list[int], motif: str, warehouse: Path | None = None, ref_dir: Path | None = None
) -> dict[int, int]:
    """Erase the contacts (personal data) of ``editions``: a new warehouse without them is
    written and swapped in (erased rows do not linger in free pages of the file). Returns
    the rows erased per edition; the purge is logged in the ``purges`` table."""
    target = warehouse or paths.warehouse_path()
    ref_dir = ref_dir or paths.reference_dir()
    every_edition = load_editions().values()
    field_order = list(dict.fromkeys(f.nom for e in every_edition for f in e.champs))
    with _exclusive_lock(target.parent):
        tables: dict[str, list[pl.DataFrame]] = {}
        con = duckdb.connect(str(target), read_only=True)
        try:
            for name in TABLES:
                tables[name] = [con.sql(f"select * from {name}").pl()]  # noqa: S608 - code
        finally:
            con.close()
        contacts = tables["contacts"][0]
        erased = {e: int((contacts["edition"] == e).sum()) for e in sorted(set(editions))}
        tables["contacts"] = [contacts.filter(~pl.col("edition").is_in(list(erased)))]
        now = datetime.now(UTC)
        log = pl.concat(
            [
                _purges(target).cast(PURGES_SCHEMA),  # type: ignore[arg-type]
                pl.DataFrame(
                    {
                        "edition": list(erased),
                        "purge_le": [now] * len(erased),
                        "contacts_effaces": list(erased.values()),
                        "motif": [motif] * len(erased),
                    },
                    schema=PURGES_SCHEMA,
                ),
            ]
        )
        _write_tables(target, tables, field_order, ref_dir, extra={PURGES: log})
    return erased


def _canonical_columns(frame: pl.DataFrame, order: list[str]) -> pl.DataFrame:
    """Form fields in the editions' configured order (``order``), whatever the files and
    load order: the columns before the first field stay first, derived ones follow."""
    present = [c for c in order if c in frame.columns]
    if not present:
        return frame
    first = min(frame.columns.index(c) for c in present)
    head = [c for c in frame.columns[:first] if c not in present]
    tail = [c for c in frame.columns if c not in head and c not in present]
    return frame.select(*head, *present, *tail)


def _utc(frame: pl.DataFrame) -> pl.DataFrame:
    """Time-zone-aware columns in UTC (DuckDB gives them back so; Paris time is display)."""
    return frame.with_columns(
        pl.col(c).dt.convert_time_zone("UTC")
        for c, t in frame.schema.items()
        if isinstance(t, pl.Datetime) and t.time_zone is not None
    )


def content_hash(warehouse: Path | None = None) -> str:
    """SHA-256 over every table's rows in a fixed order (load timestamps excluded)."""
    target = warehouse or paths.warehouse_path()
    con = duckdb.connect(str(target), read_only=True)
    digest = hashlib.sha256()
    try:
        for name in (*TABLES, *REFERENCE_TABLES):
            frame = con.sql(f"select * from {name}").pl()  # noqa: S608 - name from code
            frame = frame.drop("charge_le", strict=False)
            frame = frame.with_columns(
                [
                    pl.col(c).list.join("|")
                    if isinstance(t, pl.List)
                    else pl.col(c).cast(pl.String)
                    for c, t in frame.schema.items()
                ]
            )
            frame = frame.sort(frame.columns, nulls_last=True) if frame.height else frame
            digest.update(name.encode())
            digest.update(frame.write_csv().encode())
    finally:
        con.close()
    return digest.hexdigest()


def connect(
    path: Path | str | None = None, threads: int = 2, memory_limit: str = "1GB"
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse, for the app, analysts and notebooks.

    Read-only connections never block the app nor a load (which writes a new file and
    swaps it in with ``os.replace``): a connection opened before a load keeps reading the
    previous version; connect again to see the new one.

    The file is attached to a new in-memory database rather than opened with
    ``duckdb.connect(path)``: DuckDB hands a second ``connect`` on the same path the
    instance it still holds open, so a long-lived process (the app, a notebook kernel)
    would go on reading the replaced file after a load or a purge. A cursor of this
    connection starts on the in-memory catalog: take one with :func:`cursor`.

    >>> from etl import warehouse
    >>> con = warehouse.connect()  # doctest: +SKIP — data/warehouse.duckdb
    >>> con.sql("select edition, count(*) from candidatures group by 1").pl()  # doctest: +SKIP
    """
    target = Path(path) if path is not None else paths.warehouse_path()
    if not target.exists():
        raise FileNotFoundError(
            f"Aucun entrepôt à {target} : lancez « uv run trophees demo » ou « trophees load »."
        )
    con = duckdb.connect(":memory:")
    con.execute(f"set threads = {int(threads)}")
    con.execute("set memory_limit = ?", [memory_limit])
    # ATTACH takes no bound parameter: the path is the program's own, quoted all the same
    quoted = str(target.resolve()).replace("'", "''")
    con.execute(f"attach '{quoted}' as {ATTACHED} (read_only)")
    con.execute(f"use {ATTACHED}")
    return con


ATTACHED = "entrepot"
"""Catalog name of the warehouse inside a :func:`connect` connection."""


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a :func:`connect` connection (one per thread), on the warehouse."""
    cur = con.cursor()
    cur.execute(f"use {ATTACHED}")
    return cur


def is_fictitious(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse holds demo data only: at least one file loaded and every
    loaded file generated. A single real file makes the whole warehouse real (demo
    accounts refused, no « fictif » banner or label); loads refuse to mix the two."""
    ((files, fictitious),) = con.sql(
        "select count(*), count(*) filter (where fictif) from chargements_table"
    ).fetchall()
    return bool(files) and fictitious == files

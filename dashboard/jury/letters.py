"""Feedback letters to the candidates: what each letter says, computed from the jury's work.

One letter per current candidature of an edition. For each prize it applied to: the
outcome (lauréat, présélection, non retenue, non éligible with the reason), and — when at
least :data:`MIN_SCORES` jurors scored it — its mean per criterion beside the prize's
median of those means. A single juror's score is never shown: below the threshold the
letter says that the detail is not communicated. Jury comments stay private unless the
admin shares one (table ``commentaires_partages``); a shared comment is quoted without its
author. Recused jurors and abstentions never count.

The PDF is written by :mod:`dashboard.jury.letter_pdf`; the CLI (``trophees jury
lettres``) and the admin page (« Lettres aux candidats ») call :func:`letters`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dashboard.accounts import Account
from dashboard.jury import audit
from dashboard.jury.states import AuditAction, Decision
from dashboard.jury.store import Store
from etl import files, warehouse
from etl.editions.model import Edition
from etl.french import agree, plural

MIN_SCORES = 2
"""Jurors needed before a candidature's per-criterion means are shown (one juror's score
would otherwise be readable from its « mean »)."""

OVERALL = ""
"""``critere_code`` of a score's overall comment in ``commentaires_partages``."""


class ShareRefused(PermissionError):
    """Only an admin shares or unshares a jury comment (French message)."""


@dataclass(frozen=True)
class CriterionResult:
    """One criterion of one prize in a letter."""

    libelle: str
    poids: float
    moyenne: float | None  # None below MIN_SCORES
    mediane_prix: float | None


@dataclass(frozen=True)
class PrizeOutcome:
    """What one letter says about one prize the candidature applied to."""

    numero: int
    libelle: str
    resultat: str  # « Lauréate », « Présélectionnée », « Non retenue », « Non éligible »
    motif: str | None  # why it was not eligible, in French
    nb_notes: int
    criteres: tuple[CriterionResult, ...]
    commentaires: tuple[str, ...]  # shared comments only, without their author
    note_min: int
    note_max: int


@dataclass(frozen=True)
class Letter:
    """One candidature's letter (no contact: the mail-merge file carries addresses)."""

    candidature_id: str
    structure: str
    projet: str | None
    prix: tuple[PrizeOutcome, ...]

    @property
    def file_name(self) -> str:
        """``lettre-2023-ab12cd34ef.pdf`` (the id only: no name in file names)."""
        return f"lettre-{self.candidature_id}.pdf"


def share_comment(
    store: Store,
    compte: Account,
    edition: int,
    categorie: str,
    candidature_id: str,
    jure: str,
    critere_code: str,
    shared: bool,
) -> None:
    """Share (or stop sharing) one jury comment in the candidate's letter (admin only)."""
    if compte.role != "admin":
        raise ShareRefused("Seul un administrateur choisit les commentaires partagés.")
    key = [edition, categorie, candidature_id, jure, critere_code]

    def work(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "delete from commentaires_partages where edition = ? and categorie_code = ? "
            "and candidature_id = ? and jure = ? and critere_code = ?",
            key,
        )
        if shared:
            con.execute(
                "insert into commentaires_partages (edition, categorie_code, candidature_id, "
                "jure, critere_code, partage_par) values (?, ?, ?, ?, ?, ?)",
                [*key, compte.identifiant],
            )
        quoi = "partagé" if shared else "retiré"
        detail = f"{quoi} : {categorie}, critère {critere_code or 'général'}"
        audit.record(
            con, compte.identifiant, AuditAction.PARTAGE_COMMENTAIRE, candidature_id, detail
        )

    store.write(work)


def jury_comments(con: duckdb.DuckDBPyConnection, edition: int) -> pl.DataFrame:
    """Every comment of a counted score (submitted, not recused, not an abstention) with
    whether it is shared: what the admin chooses from. Columns ``categorie_code``,
    ``candidature_id``, ``jure``, ``critere_code`` (``""`` = overall), ``commentaire``,
    ``partage``. A store not yet migrated to the letters' table shares nothing."""
    shared_table = (
        "commentaires_partages"
        if con.sql(
            "select count(*) from information_schema.tables "
            "where table_name = 'commentaires_partages'"
        ).fetchall()[0][0]
        else "(select null::integer as edition, null as categorie_code, null as candidature_id,"
        " null as jure, null as critere_code where false)"
    )
    frame: pl.DataFrame = con.sql(
        f"""
        with counted as (
            select n.* from notes n
            where n.edition = ? and n.statut = 'soumise' and not n.abstention
              and not exists (select 1 from recusations r where r.edition = n.edition
                              and r.candidature_id = n.candidature_id and r.jure = n.jure)
        ),
        comments as (
            select categorie_code, candidature_id, jure, '' as critere_code, commentaire
            from counted
            union all
            select k.categorie_code, k.candidature_id, k.jure, k.critere_code, k.commentaire
            from notes_criteres k join counted c
              using (edition, categorie_code, candidature_id, jure)
        )
        select c.*, (p.jure is not null) as partage
        from comments c
        left join {shared_table} p
          on p.edition = ? and p.categorie_code = c.categorie_code
         and p.candidature_id = c.candidature_id and p.jure = c.jure
         and p.critere_code = c.critere_code
        where nullif(trim(c.commentaire), '') is not null
        order by c.categorie_code, c.candidature_id, c.critere_code, c.jure
        """,  # noqa: S608 - the table name comes from code
        params=[edition, edition],
    ).pl()
    return frame


def _criterion_means(con: duckdb.DuckDBPyConnection, edition: int) -> pl.DataFrame:
    """Per candidature × category × criterion: counted scores and their mean."""
    frame: pl.DataFrame = con.sql(
        """
        select k.categorie_code, k.candidature_id, k.critere_code,
               count(k.valeur) as nb, avg(k.valeur) as moyenne
        from notes_criteres k
        join notes n using (edition, categorie_code, candidature_id, jure)
        where k.edition = ? and n.statut = 'soumise' and not n.abstention
          and not exists (select 1 from recusations r where r.edition = n.edition
                          and r.candidature_id = n.candidature_id and r.jure = n.jure)
        group by 1, 2, 3
        """,
        params=[edition],
    ).pl()
    return frame


def _candidatures(warehouse_con: duckdb.DuckDBPyConnection, edition: int) -> pl.DataFrame:
    frame: pl.DataFrame = warehouse_con.sql(
        """
        select c.candidature_id, c.structure_nom, c.projet_titre, cc.categorie_code,
               cc.eligible, cc.motifs
        from candidatures c join candidature_categories cc using (candidature_id)
        where c.edition = ?
        order by c.candidature_id, cc.categorie_code
        """,
        params=[edition],
    ).pl()
    return frame


RESULTS = {d.value: d.label[:1].upper() + d.label[1:] for d in Decision}
"""The outcome a letter states for each decision (« Lauréate », « Lauréate ex æquo »,
« Mention du jury », « Présélectionnée »); no decision: « Non retenue »."""


def letters(
    edition: Edition, store_con: duckdb.DuckDBPyConnection, warehouse_path: Path | None = None
) -> list[Letter]:
    """The letter of every current candidature of ``edition``."""
    con = warehouse.connect(warehouse_path)
    try:
        applied = _candidatures(con, edition.annee)
    finally:
        con.close()
    means = _criterion_means(store_con, edition.annee)
    decided = {
        (str(c), str(i)): str(n)
        for c, i, n in store_con.sql(
            "select categorie_code, candidature_id, niveau from selections where edition = ?",
            params=[edition.annee],
        ).fetchall()
    }
    shared = jury_comments(store_con, edition.annee).filter(pl.col("partage"))
    counts = {
        (str(c), str(i)): int(n)
        for c, i, n in store_con.sql(
            """
            select categorie_code, candidature_id, count(*) from notes n
            where edition = ? and statut = 'soumise' and not abstention
              and not exists (select 1 from recusations r where r.edition = n.edition
                              and r.candidature_id = n.candidature_id and r.jure = n.jure)
            group by 1, 2
            """,
            params=[edition.annee],
        ).fetchall()
    }
    medians = (
        means.group_by("categorie_code", "critere_code")
        .agg(mediane=pl.col("moyenne").median())
        .rows_by_key(["categorie_code", "critere_code"], unique=True)
    )
    by_key = means.rows_by_key(
        ["categorie_code", "candidature_id", "critere_code"], unique=True, named=True
    )
    out: list[Letter] = []
    for cid, rows in applied.rows_by_key("candidature_id", named=True).items():
        prix: list[PrizeOutcome] = []
        for row in rows:
            try:
                category = edition.category(row["categorie_code"])
            except KeyError:
                continue
            code = category.code
            n = counts.get((code, cid), 0)
            eligible = row["eligible"]
            if eligible is False:
                resultat, motif = "Non éligible", "; ".join(row["motifs"] or []) or None
            else:
                resultat, motif = RESULTS.get(decided.get((code, cid), ""), "Non retenue"), None
            criteres = tuple(
                CriterionResult(
                    libelle=k.libelle,
                    poids=k.poids,
                    moyenne=(
                        by_key[(code, cid, k.code)]["moyenne"]
                        if n >= MIN_SCORES and (code, cid, k.code) in by_key
                        else None
                    ),
                    mediane_prix=(medians.get((code, k.code)) or (None,))[0],
                )
                for k in category.criteres
            )
            comments = shared.filter(
                (pl.col("categorie_code") == code) & (pl.col("candidature_id") == cid)
            )["commentaire"].to_list()
            prix.append(
                PrizeOutcome(
                    numero=category.numero,
                    libelle=category.libelle,
                    resultat=resultat,
                    motif=motif,
                    nb_notes=n,
                    criteres=criteres,
                    commentaires=tuple(str(c).strip() for c in comments),
                    note_min=category.criteres[0].note_min,
                    note_max=category.criteres[0].note_max,
                )
            )
        first = rows[0]
        out.append(
            Letter(
                candidature_id=str(cid),
                structure=first["structure_nom"] or "Structure non renseignée",
                projet=first["projet_titre"],
                prix=tuple(sorted(prix, key=lambda p: p.numero)),
            )
        )
    return out


@dataclass(frozen=True)
class LettersKit:
    """Every letter of an edition as files: PDFs, their ZIP and the mail-merge table."""

    pdfs: dict[str, bytes]  # file name → PDF
    toutes: bytes  # every letter in one PDF, to print them all
    publipostage: pl.DataFrame  # one row per letter: file, structure, contact (admin only)
    fictif: bool

    def summary_fr(self) -> str:
        fictif = " — DONNÉES FICTIVES" if self.fictif else ""
        return f"{plural(len(self.pdfs), 'lettre')} {agree(len(self.pdfs), 'produite')}{fictif}."


def letters_kit(
    edition: Edition,
    store_con: duckdb.DuckDBPyConnection,
    *,
    day: date,
    contacts: pl.DataFrame,
    warehouse_path: Path | None = None,
) -> LettersKit:
    """Render every letter of ``edition`` and the mail-merge table. ``contacts``: the
    referents' addresses (``etl.warehouse.contacts.mailing``), which the caller has the
    right to read — the admin page asks ``dashboard.queries.contacts``."""
    from dashboard.jury.letter_pdf import letters_pdf

    con = warehouse.connect(warehouse_path)
    try:
        fictif = warehouse.is_fictitious(con)
    finally:
        con.close()
    all_letters = letters(edition, store_con, warehouse_path)
    whole, pdfs = letters_pdf(all_letters, edition, day=day, fictif=fictif)
    mail = (
        pl.DataFrame(
            {
                "candidature_id": [x.candidature_id for x in all_letters],
                "Lettre": [x.file_name for x in all_letters],
                "Structure": [x.structure for x in all_letters],
                "Projet": [x.projet for x in all_letters],
            }
        )
        .join(contacts, on="candidature_id", how="left")
        .rename({"contact_nom": "Destinataire", "contact_email": "Courriel"})
        .drop("candidature_id")
    )
    return LettersKit(pdfs=pdfs, toutes=whole, publipostage=mail, fictif=fictif)


def write_letters(kit: LettersKit, sortie: Path, annee: int) -> list[Path]:
    """Write every PDF, their ZIP and the mail-merge CSV into ``sortie``; the files written."""
    from dashboard.exports import csv_bytes
    from dashboard.press.kit import zip_bytes

    written = []
    for name, data in {
        **kit.pdfs,
        f"lettres-{annee}.zip": zip_bytes(kit.pdfs),
        f"lettres-{annee}-toutes.pdf": kit.toutes,
        f"publipostage-{annee}.csv": csv_bytes(kit.publipostage, role="admin"),
    }.items():
        files.write_atomic(sortie / name, data)
        written.append(sortie / name)
    return written[-3:]

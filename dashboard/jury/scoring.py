"""Scoring: jurors assigned to categories, their queue, their scores, the locking rules.

Rules (docs/jury.md):
- a juror scores only candidatures of categories they are assigned to, and never one
  they are recused from (``conflits``);
- each criterion of the category's rubric is an integer on the edition's scale, with an
  optional comment; « Je m'abstiens » records an abstention instead of values;
- a submitted score is locked: only an admin can reopen it (audited);
- a juror sees the others' scores of a candidature only once theirs is submitted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
import polars as pl

from dashboard.jury import audit
from dashboard.jury.conflicts import is_recused, recusals
from dashboard.jury.states import DONE_STATES, TODO_STATES, AuditAction, QueueState, ScoreStatus
from dashboard.jury.store import Store
from etl.editions.model import Category
from etl.french import format_decimal


class ScoringRefused(ValueError):
    """A score cannot be saved; the message says why, in French."""


class ScoreLocked(ScoringRefused):
    """The score was submitted: only an admin can reopen it."""


class ScoresHidden(PermissionError):
    """The juror has not submitted their own score yet."""


@dataclass(frozen=True)
class ScoreInput:
    """What the scoring form sends: a value and a comment per criterion, an overall one."""

    valeurs: Mapping[str, int | None] = field(default_factory=dict)
    commentaires: Mapping[str, str] = field(default_factory=dict)
    commentaire: str | None = None
    abstention: bool = False


@dataclass(frozen=True)
class Progress:
    """How far a juror is in their queue: submitted scores (abstentions count) / total."""

    faites: int
    total: int

    @property
    def libelle(self) -> str:
        """« 12 / 30 »."""
        return f"{self.faites} / {self.total}"


def assign(store: Store, admin: str, edition: int, categorie: str, jures: Sequence[str]) -> int:
    """Assign jurors to a category (already assigned ones are kept); how many were added."""

    def work(con: duckdb.DuckDBPyConnection) -> int:
        added = 0
        for jure in jures:
            known = con.execute(
                "select 1 from affectations where edition = ? and categorie_code = ? and jure = ?",
                [edition, categorie, jure],
            ).fetchall()
            if not known:
                con.execute(
                    "insert into affectations (edition, categorie_code, jure, affecte_par)"
                    " values (?, ?, ?, ?)",
                    [edition, categorie, jure, admin],
                )
                audit.record(con, admin, AuditAction.AFFECTATION, f"{edition}/{categorie}", jure)
                added += 1
        return added

    return store.write(work)


def assignments(con: duckdb.DuckDBPyConnection, edition: int) -> pl.DataFrame:
    """Who is assigned to which category of an edition."""
    result: pl.DataFrame = con.sql(
        "select categorie_code, jure, affecte_par, affecte_le from affectations"
        " where edition = ? order by categorie_code, jure",
        params=[edition],
    ).pl()
    return result


def weighted_score(category: Category, valeurs: Mapping[str, int | None]) -> float | None:
    """Weighted mean of the criteria on the edition's scale; None if one is missing."""
    total = 0.0
    for critere in category.criteres:
        value = valeurs.get(critere.code)
        if value is None:
            return None
        total += critere.poids * value
    return total / sum(c.poids for c in category.criteres)


def _validate(category: Category, saisie: ScoreInput, submit: bool) -> None:
    known = {c.code: c for c in category.criteres}
    unknown = set(saisie.valeurs) - set(known)
    if unknown:
        raise ScoringRefused(f"Critère(s) inconnu(s) pour {category.code} : {sorted(unknown)}.")
    for code, value in saisie.valeurs.items():
        critere = known[code]
        if value is not None and not critere.note_min <= value <= critere.note_max:
            raise ScoringRefused(
                f"« {critere.libelle} » : {value} est hors du barème "
                f"({critere.note_min} à {critere.note_max})."
            )
    if submit and not saisie.abstention:
        missing = [c.libelle for c in category.criteres if saisie.valeurs.get(c.code) is None]
        if missing:
            raise ScoringRefused("Notez chaque critère avant d'envoyer : " + " ; ".join(missing))


def save_score(
    store: Store,
    jure: str,
    edition: int,
    category: Category,
    candidature_id: str,
    saisie: ScoreInput,
    submit: bool,
) -> None:
    """Save a draft (``submit=False``) or submit (locks it) one juror's score."""
    _validate(category, saisie, submit)
    abstention = saisie.abstention
    note = None if abstention else weighted_score(category, saisie.valeurs)
    key = [edition, category.code, candidature_id, jure]

    def work(con: duckdb.DuckDBPyConnection) -> None:
        assigned, recused, current = con.execute(
            """
            select
                exists (select 1 from affectations
                        where edition = ? and categorie_code = ? and jure = ?),
                exists (select 1 from recusations
                        where edition = ? and candidature_id = ? and jure = ?),
                (select statut from notes where edition = ? and categorie_code = ?
                 and candidature_id = ? and jure = ?)
            """,
            [edition, category.code, jure, edition, candidature_id, jure, *key],
        ).fetchall()[0]
        if not assigned:
            raise ScoringRefused(f"{jure} n'est pas juré de la catégorie {category.code}.")
        if recused:
            raise ScoringRefused(f"{jure} est récusé pour {candidature_id}.")
        if current == ScoreStatus.SOUMISE:
            raise ScoreLocked("Cette note est envoyée : seul un administrateur peut la rouvrir.")
        statut = ScoreStatus.SOUMISE if submit else ScoreStatus.BROUILLON
        criteria = [
            (
                c.code,
                None if abstention else saisie.valeurs.get(c.code),
                saisie.commentaires.get(c.code),
            )
            for c in category.criteres
        ]
        if current is None:
            # First save: plain inserts (an upsert costs about three times more).
            con.execute(
                "insert into notes (edition, categorie_code, candidature_id, jure, statut,"
                " abstention, note, commentaire, soumise_le)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, case when ? then now() end)",
                [*key, statut, abstention, note, saisie.commentaire, submit],
            )
            con.execute(
                "insert into notes_criteres (edition, categorie_code, candidature_id, jure,"
                " critere_code, valeur, commentaire) select ?, ?, ?, ?, unnest(?),"
                " unnest(?), unnest(?)",
                [*key, *(list(column) for column in zip(*criteria, strict=True))],
            )
        else:
            con.execute(
                "update notes set statut = ?, abstention = ?, note = ?, commentaire = ?,"
                " modifiee_le = now(), soumise_le = case when ? then now() end"
                " where edition = ? and categorie_code = ? and candidature_id = ? and jure = ?",
                [statut, abstention, note, saisie.commentaire, submit, *key],
            )
            for code, value, comment in criteria:
                con.execute(
                    """
                    insert into notes_criteres (edition, categorie_code, candidature_id, jure,
                                                critere_code, valeur, commentaire)
                    values (?, ?, ?, ?, ?, ?, ?)
                    on conflict do update set valeur = excluded.valeur,
                                              commentaire = excluded.commentaire
                    """,
                    [*key, code, value, comment],
                )
        if submit:
            detail = "abstention" if note is None else f"note {format_decimal(note, 2)}"
            audit.record(con, jure, AuditAction.NOTE, candidature_id, f"{category.code} : {detail}")

    store.write(work)


def reopen_score(
    store: Store,
    admin: str,
    edition: int,
    categorie: str,
    candidature_id: str,
    jure: str,
    motif: str,
) -> None:
    """An admin unlocks a submitted score so its juror can change it (audited)."""
    if not motif.strip():
        raise ScoringRefused("Indiquez pourquoi la note est rouverte.")

    def work(con: duckdb.DuckDBPyConnection) -> None:
        key = [edition, categorie, candidature_id, jure]
        rows = con.execute(
            "select statut from notes where edition = ? and categorie_code = ?"
            " and candidature_id = ? and jure = ?",
            key,
        ).fetchall()
        if not rows or rows[0][0] != ScoreStatus.SOUMISE:
            raise ScoringRefused("Seule une note envoyée peut être rouverte.")
        con.execute(
            "update notes set statut = ?, soumise_le = null,"
            " modifiee_le = current_timestamp where edition = ? and categorie_code = ?"
            " and candidature_id = ? and jure = ?",
            [ScoreStatus.BROUILLON.value, *key],
        )
        audit.record(
            con,
            admin,
            AuditAction.REOUVERTURE,
            candidature_id,
            f"{categorie}, note de {jure} : {motif}",
        )

    store.write(work)


def score_detail(
    con: duckdb.DuckDBPyConnection, jure: str, edition: int, categorie: str, candidature_id: str
) -> tuple[str | None, ScoreInput]:
    """A juror's own score as the form shows it: (statut or None, values and comments)."""
    key = [edition, categorie, candidature_id, jure]
    head = con.execute(
        "select statut, abstention, commentaire from notes where edition = ?"
        " and categorie_code = ? and candidature_id = ? and jure = ?",
        key,
    ).fetchall()
    if not head:
        return None, ScoreInput()
    rows = con.execute(
        "select critere_code, valeur, commentaire from notes_criteres where edition = ?"
        " and categorie_code = ? and candidature_id = ? and jure = ?",
        key,
    ).fetchall()
    saisie = ScoreInput(
        valeurs={code: valeur for code, valeur, _ in rows},
        commentaires={code: comment for code, _, comment in rows if comment},
        commentaire=head[0][2],
        abstention=bool(head[0][1]),
    )
    return str(head[0][0]), saisie


def queue(
    con: duckdb.DuckDBPyConnection, jure: str, edition: int, candidatures: pl.DataFrame
) -> pl.DataFrame:
    """The juror's queue: candidatures of their categories minus recusals, in order.

    ``candidatures``: rows of ``candidatures.candidatures_to_judge(edition)``. Adds
    ``etat`` (« à noter », « brouillon », « envoyée », « abstention ») and ``position``.
    """
    categories = assignments(con, edition).filter(pl.col("jure") == jure)["categorie_code"]
    recused = recusals(con, edition).filter(pl.col("jure") == jure)["candidature_id"]
    own: pl.DataFrame = con.sql(
        "select categorie_code, candidature_id, statut, abstention from notes"
        " where edition = ? and jure = ?",
        params=[edition, jure],
    ).pl()
    etat = (
        pl.when(pl.col("statut").is_null())
        .then(pl.lit(QueueState.A_NOTER.value))
        .when(pl.col("statut") == ScoreStatus.BROUILLON.value)
        .then(pl.lit(QueueState.BROUILLON.value))
        .when(pl.col("abstention"))
        .then(pl.lit(QueueState.ABSTENTION.value))
        .otherwise(pl.lit(QueueState.ENVOYEE.value))
    )
    return (
        candidatures.filter(
            pl.col("categorie_code").is_in(categories.implode())
            & ~pl.col("candidature_id").is_in(recused.implode())
        )
        .join(own, on=["categorie_code", "candidature_id"], how="left")
        .with_columns(etat=etat)
        .drop("statut", "abstention")
        .sort("categorie_code", "candidature_id")
        .with_row_index("position", offset=1)
    )


def progress(file: pl.DataFrame) -> Progress:
    """Submitted scores and abstentions over the queue's length (« 12 / 30 »)."""
    done = file.filter(pl.col("etat").is_in(DONE_STATES)).height
    return Progress(done, file.height)


def neighbours(
    file: pl.DataFrame, categorie: str, candidature_id: str
) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(Précédent, Suivant) of a queue item, each as (categorie, candidature_id) or None.

    An item no longer in the queue (the juror was just recused) has neither.
    """
    keys = list(zip(file["categorie_code"], file["candidature_id"], strict=True))
    if (categorie, candidature_id) not in keys:
        return None, None
    i = keys.index((categorie, candidature_id))
    return (keys[i - 1] if i > 0 else None, keys[i + 1] if i + 1 < len(keys) else None)


def next_to_score(file: pl.DataFrame) -> tuple[str, str] | None:
    """The first item not submitted yet, as (categorie, candidature_id)."""
    todo = file.filter(pl.col("etat").is_in(TODO_STATES))
    if todo.is_empty():
        return None
    return str(todo["categorie_code"][0]), str(todo["candidature_id"][0])


def can_see_others(
    con: duckdb.DuckDBPyConnection, jure: str, edition: int, categorie: str, candidature_id: str
) -> bool:
    """Whether the juror submitted (or abstained on) their own score of this item."""
    rows = con.execute(
        "select 1 from notes where edition = ? and categorie_code = ? and candidature_id = ?"
        " and jure = ? and statut = ?",
        [edition, categorie, candidature_id, jure, ScoreStatus.SOUMISE.value],
    ).fetchall()
    return bool(rows) and not is_recused(con, jure, edition, candidature_id)


def others_scores(
    con: duckdb.DuckDBPyConnection, jure: str, edition: int, categorie: str, candidature_id: str
) -> pl.DataFrame:
    """The other jurors' submitted scores of an item; ``ScoresHidden`` before one's own."""
    if not can_see_others(con, jure, edition, categorie, candidature_id):
        raise ScoresHidden("Les notes des autres jurés s'affichent après l'envoi de la vôtre.")
    scores = submitted_scores(con, edition, categorie)
    return scores.filter((pl.col("candidature_id") == candidature_id) & (pl.col("jure") != jure))


def submitted_scores(
    con: duckdb.DuckDBPyConnection, edition: int, categorie: str | None = None
) -> pl.DataFrame:
    """Submitted scores that count: recused jurors left out (abstentions kept, note null)."""
    result: pl.DataFrame = con.sql(
        """
        select n.edition, n.categorie_code, n.candidature_id, n.jure, n.note, n.abstention,
               n.commentaire, n.soumise_le
        from notes n
        where n.edition = ? and (? is null or n.categorie_code = ?) and n.statut = ?
          and not exists (
              select 1 from recusations r
              where r.edition = n.edition and r.candidature_id = n.candidature_id
                and r.jure = n.jure)
        order by n.categorie_code, n.candidature_id, n.jure
        """,
        params=[edition, categorie, categorie, ScoreStatus.SOUMISE.value],
    ).pl()
    return result


def criteria_scores(
    con: duckdb.DuckDBPyConnection, edition: int, categorie: str | None = None
) -> pl.DataFrame:
    """Every criterion value and comment of submitted scores (for the export)."""
    result: pl.DataFrame = con.sql(
        """
        select k.edition, k.categorie_code, k.candidature_id, k.jure, k.critere_code,
               k.valeur, k.commentaire
        from notes_criteres k
        join notes n using (edition, categorie_code, candidature_id, jure)
        where k.edition = ? and (? is null or k.categorie_code = ?) and n.statut = ?
        order by k.categorie_code, k.candidature_id, k.jure, k.critere_code
        """,
        params=[edition, categorie, categorie, ScoreStatus.SOUMISE.value],
    ).pl()
    return result

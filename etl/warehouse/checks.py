"""Invariants a warehouse must hold before it is published (swapped in).

Checked on the tables of the new file, inside the build, before ``os.replace``: a failure
raises :class:`InvariantViolation` (French message, the previous warehouse stays in
service). Each check is one SQL query over the tables; column names come from the
contract, never from input.

1. one current line per candidature of an edition;
2. the required answers of each file (``chargements_table.champs_obligatoires``, those of
   the load: the edition's, as the mapping left them) and the essential columns of every
   line (id, edition, file, line, status, timestamp, structure, title) are filled;
3. every category line belongs to a stored line with the same candidature and status, and
   every current candidature has at least one category;
4. every contact line belongs to a stored line;
5. each file's counts add up: lines read = loaded + set aside + duplicates, and « loaded »
   is the number of its current lines.
"""

from __future__ import annotations

import duckdb

from etl.french import plural
from etl.rules import ChargementImpossible

ESSENTIAL = (
    "candidature_id",
    "edition",
    "fichier",
    "ligne",
    "statut_version",
    "horodateur",
    "structure_nom",
    "projet_titre",
)
"""Columns of ``reponses`` never empty, whatever an edition or a mapping says."""

_SHOWN = 3


class InvariantViolation(ChargementImpossible):
    """A new warehouse broke an invariant: it was not published."""


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return con.sql(sql).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {str(r[0]) for r in con.sql(f"select column_name from (describe {table})").fetchall()}  # noqa: S608 - table from code


def _examples(rows: list[tuple[object, ...]], fmt: str) -> str:
    shown = [fmt.format(*r) for r in rows[:_SHOWN]]
    more = len(rows) - _SHOWN
    return " ; ".join(shown) + (f" ; et {plural(more, 'autre')}" if more > 0 else "")


def violations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every invariant the tables of ``con`` break, in French (empty when all hold)."""
    found: list[str] = []
    rows = _rows(
        con,
        """
        select edition, candidature_id, count(*) from reponses
        where statut_version = 'courante' group by all having count(*) > 1 order by all
        """,
    )
    if rows:
        found.append(
            "plusieurs versions courantes pour une même candidature : "
            + _examples(rows, "{1} ({0}) : {2} versions")
        )
    found += _missing_answers(con)
    rows = _rows(
        con,
        """
        select k.fichier, k.ligne from categories_reponses k
        left join reponses r using (edition, fichier, ligne)
        where r.ligne is null or r.candidature_id is distinct from k.candidature_id
           or r.statut_version is distinct from k.statut_version
        order by all
        """,
    )
    if rows:
        found.append(
            "catégories sans la candidature qu'elles concernent : "
            + _examples(rows, "« {0} », ligne {1}")
        )
    rows = _rows(
        con,
        """
        select r.candidature_id from reponses r
        where r.statut_version = 'courante' and not exists (
            select 1 from categories_reponses k
            where k.edition = r.edition and k.fichier = r.fichier and k.ligne = r.ligne)
        order by all
        """,
    )
    if rows:
        found.append("candidatures courantes sans catégorie : " + _examples(rows, "{0}"))
    rows = _rows(
        con,
        """
        select c.fichier, c.ligne from contacts c
        anti join reponses r using (edition, fichier, ligne) order by all
        """,
    )
    if rows:
        found.append("contacts sans candidature : " + _examples(rows, "« {0} », ligne {1}"))
    rows = _rows(
        con,
        """
        with courantes as (
            select edition, fichier, count(*) filter (where statut_version = 'courante') as n
            from reponses group by all
        )
        select c.fichier, c.edition, c.lignes_lues, c.lignes_chargees, c.lignes_rejetees,
               c.doublons, coalesce(k.n, 0)
        from chargements_table c left join courantes k
          on k.edition = c.edition and k.fichier = c.fichier
        where c.lignes_lues <> c.lignes_chargees + c.lignes_rejetees + c.doublons
           or c.lignes_chargees <> coalesce(k.n, 0)
        order by all
        """,
    )
    if rows:
        found.append(
            "comptes de lignes incohérents : "
            + _examples(
                rows,
                "« {0} » ({1}) : {2} lues, {3} chargées ({6} courantes), {4} écartées, "
                "{5} doublons",
            )
        )
    return found


def _missing_answers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Essential columns, then each file's required answers, found empty (one scan per
    table; the lines are listed only for a column found wanting)."""
    found: list[str] = []
    nulls = ", ".join(f"count(*) filter (where {c} is null)" for c in ESSENTIAL)
    counts = con.sql(f"select {nulls} from reponses").fetchall()[0]  # noqa: S608 - contract
    for column, count in zip(ESSENTIAL, counts, strict=True):
        if count:
            found.append(f"« {column} » vide sur {plural(int(str(count)), 'ligne')}")
    required = {
        str(r[0])
        for r in _rows(con, "select distinct unnest(champs_obligatoires) from chargements_table")
    }
    for table in ("reponses", "contacts"):
        columns = sorted(required & _columns(con, table))
        if not columns:
            continue
        missing = [
            f"list_contains(c.champs_obligatoires, '{x}') and t.{x} is null" for x in columns
        ]
        empty = ", ".join(f"count(*) filter (where {m})" for m in missing)
        joined = f"{table} t join chargements_table c using (edition, fichier)"
        counts = con.sql(f"select {empty} from {joined}").fetchall()[0]  # noqa: S608 - contract
        for column, condition, count in zip(columns, missing, counts, strict=True):
            if not count:
                continue
            rows = _rows(
                con,
                f"select t.fichier, t.ligne from {table} t "  # noqa: S608 - contract
                f"join chargements_table c using (edition, fichier) where {condition} "
                "order by all",
            )
            found.append(
                f"réponse obligatoire « {column} » vide : " + _examples(rows, "« {0} », ligne {1}")
            )
    return found


def check(con: duckdb.DuckDBPyConnection) -> None:
    """Raise :class:`InvariantViolation` when the tables of ``con`` break an invariant."""
    found = violations(con)
    if found:
        raise InvariantViolation(
            "le nouvel entrepôt n'a pas été publié, "
            f"{plural(len(found), 'contrôle')} en échec : "
            + " ; ".join(found)
            + ". L'entrepôt précédent reste en service ; signalez ce message à l'équipe "
            "technique avec les fichiers chargés."
        )

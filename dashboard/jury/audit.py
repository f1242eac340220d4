"""Append-only audit log (table ``journal``): who did what, to what, and when (UTC).

Nothing in the app updates or deletes a ``journal`` row. Actions are a closed list so
that the log can be filtered reliably; ``cible`` names the object (a candidature id,
``2023/COMM``…), ``detail`` says the rest in French.
"""

from __future__ import annotations

import duckdb
import polars as pl

from dashboard.jury.states import AuditAction

ACTIONS: tuple[str, ...] = tuple(a.value for a in AuditAction)
"""Every action the log knows (``states.AuditAction``); ``record`` refuses any other."""


def record(
    con: duckdb.DuckDBPyConnection,
    acteur: str,
    action: AuditAction | str,
    cible: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one line to the log (inside the caller's transaction when there is one)."""
    if action not in ACTIONS:
        raise ValueError(
            f"Action inconnue du journal : {action!r} (attendu : {', '.join(ACTIONS)})."
        )
    if not acteur:
        raise ValueError("Le journal exige un acteur.")
    con.execute(
        "insert into journal (acteur, action, cible, detail) values (?, ?, ?, ?)",
        [acteur, str(action), cible, detail],
    )


def journal(
    con: duckdb.DuckDBPyConnection,
    action: str | None = None,
    acteur: str | None = None,
    limite: int = 500,
) -> pl.DataFrame:
    """The latest log lines, newest first, optionally for one action or one person."""
    result: pl.DataFrame = con.sql(
        """
        select id, horodatage, acteur, action, cible, detail
        from journal
        where (? is null or action = ?) and (? is null or acteur = ?)
        order by id desc
        limit ?
        """,
        params=[action, action, acteur, acteur, limite],
    ).pl()
    return result

"""The referents' contacts (personal data), read for the organiser's mail-merge only.

The ``contacts`` table never appears in a view. In the app, only
``dashboard.queries.contacts`` calls this module, after checking the signed-in role; the
console (``trophees jury lettres``) is the organiser's own tool.
"""

from __future__ import annotations

import duckdb
import polars as pl


def mailing(con: duckdb.DuckDBPyConnection, edition: int) -> pl.DataFrame:
    """One row per current candidature of ``edition``: ``candidature_id``, ``contact_nom``,
    ``contact_email`` (of the current version of the answer)."""
    frame: pl.DataFrame = con.sql(
        """
        select c.candidature_id, k.contact_nom, k.contact_email
        from candidatures c
        left join contacts k on k.edition = c.edition and k.fichier = c.fichier
                            and k.ligne = c.ligne
        where c.edition = ?
        order by c.candidature_id
        """,
        params=[edition],
    ).pl()
    return frame

"""Questions of the jury pages (« Mes notations », « Résultats du jury », « Jury :
administration »): the process's deliberation store, the candidatures to judge, the
edition rubric, the jury accounts.

The pages never run SQL: they call ``dashboard.jury`` functions on
``store()`` / ``cursor()`` (writes are short transactions of the store) and read the
warehouse only through ``candidatures()`` (cached by warehouse version).
"""

from __future__ import annotations

import duckdb
import polars as pl
import streamlit as st

from dashboard import db, queries
from dashboard.accounts import Account
from dashboard.jury import candidatures as candidatures_mod
from dashboard.jury import rules as regles
from dashboard.jury import scoring
from dashboard.jury.store import Store
from etl.editions.model import Edition

ETATS_FAITS = ("envoyée", "abstention")
"""Queue states that count as done (« 12 / 30 »)."""


def store() -> Store:
    """The process's read-write deliberation store (one per data directory): the same
    handle as the login log and the communication page (:func:`dashboard.db.store`)."""
    return db.store()


def cursor() -> duckdb.DuckDBPyConnection:
    """This session thread's cursor on the store."""
    return store().cursor()


@st.cache_resource(ttl=300, max_entries=8, show_spinner=False)
def _candidatures(version: int, edition: int) -> pl.DataFrame:
    # shared, not copied: polars frames are never changed in place (each rerun of « Mes
    # notations » read it back from a pickle before)
    return candidatures_mod.candidatures_to_judge(edition)


def candidatures(edition: int) -> pl.DataFrame:
    """Candidature × category rows the jury may score (empty without a warehouse)."""
    version = db.warehouse_version()
    if version is None:
        return pl.DataFrame(schema={c: pl.String for c in candidatures_mod.COLUMNS})
    return _candidatures(version, edition)


def editions() -> dict[int, Edition]:
    """Configured editions by year, most recent first."""
    return {e.annee: e for e in queries.configured_editions()}


def edition(annee: int) -> Edition:
    """The configuration of one edition (rubric, scale, quotas)."""
    return editions()[annee]


@st.cache_data(ttl=300, max_entries=1, show_spinner=False)
def rules() -> regles.JuryRules:
    """``config/jury.toml``."""
    return regles.load_rules()


def jury_accounts() -> list[Account]:
    """Active accounts of role « jury », by identifier (not cached: roles change live)."""
    from dashboard import auth

    records = auth.account_store().read()
    return sorted(
        (r.account for r in records.values() if r.active and r.account.role == "jury"),
        key=lambda a: a.identifiant,
    )


def assigned_editions(jure: str) -> list[int]:
    """Editions (most recent first) where ``jure`` is assigned to at least one category."""
    con = cursor()
    return [
        annee for annee in editions() if (scoring.assignments(con, annee)["jure"] == jure).any()
    ]


def queue(jure: str, annee: int) -> pl.DataFrame:
    """The juror's queue for an edition (``notation.queue``), with category labels."""
    return scoring.queue(cursor(), jure, annee, candidatures(annee))


def category_done(file: pl.DataFrame, categorie: str) -> bool:
    """Whether a juror has submitted (or abstained on) every item of a category.

    The juror's results of a category are visible only then; an empty queue for the
    category (not assigned, or recused everywhere) shows nothing.
    """
    part = file.filter(pl.col("categorie_code") == categorie)
    return part.height > 0 and bool(part["etat"].is_in(list(ETATS_FAITS)).all())

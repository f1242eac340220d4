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
from dashboard.jury import conflicts, corrected, meeting, scoring
from dashboard.jury import rules as regles
from dashboard.jury.states import DONE_STATES, AuditAction
from dashboard.jury.store import Store
from etl import reference
from etl.editions.model import Edition
from etl.french import sorted_by_name


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


@st.cache_resource(ttl=300, max_entries=1, show_spinner=False)
def editions() -> dict[int, Edition]:
    """Configured editions by year, most recent first (shared, not copied: an edition is
    frozen; every jury page asks for it on each rerun)."""
    return {e.annee: e for e in queries.configured_editions()}


def edition(annee: int) -> Edition:
    """The configuration of one edition (rubric, scale, quotas)."""
    return editions()[annee]


@st.cache_resource(ttl=300, max_entries=1, show_spinner=False)
def rules() -> regles.JuryRules:
    """``config/jury.toml``."""
    return regles.load_rules()


def jury_accounts() -> list[Account]:
    """Active accounts of role « jury », by name (not cached: roles change live)."""
    from dashboard import auth

    records = auth.account_store().read()
    return sorted_by_name(
        (r.account for r in records.values() if r.active and r.account.role == "jury"),
        lambda a: a.nom or a.identifiant,
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


def corrections_after_scoring(annee: int, jure: str | None = None) -> pl.DataFrame:
    """Corrections of edition ``annee`` made after a juror (``jure``, or any) began
    scoring their candidature (:func:`dashboard.jury.corrected.after_scoring`)."""
    if db.warehouse_version() is None:
        return pl.DataFrame(schema=corrected.COLUMNS)
    with db.cursor() as cur:
        made = cur.sql("select * from corrections where edition = ?", params=[annee]).pl()
    if made.is_empty():
        return pl.DataFrame(schema=corrected.COLUMNS)
    notes = (
        cursor()
        .sql(
            "select candidature_id, jure, categorie_code, statut, modifiee_le, soumise_le "
            "from notes where edition = ? and (? is null or jure = ?)",
            params=[annee, jure, jure],
        )
        .pl()
    )
    return corrected.after_scoring(made, notes)


def commune_names(codes: list[str]) -> dict[str, str]:
    """INSEE code → « commune (département, code) » for the codes given."""
    return reference.commune_labels(codes)


def category_done(file: pl.DataFrame, categorie: str) -> bool:
    """Whether a juror has submitted (or abstained on) every item of a category.

    The juror's results of a category are visible only then; an empty queue for the
    category (not assigned, or recused everywhere) shows nothing.
    """
    part = file.filter(pl.col("categorie_code") == categorie)
    return part.height > 0 and bool(part["etat"].is_in(DONE_STATES).all())


@st.cache_resource(ttl=30, max_entries=1, show_spinner=False)
def juror_names() -> dict[str, str]:
    """Juror identifier → the name people read (accounts of role « jury », any state);
    read again after 30 s at most (the séance asks on every rerun)."""
    from dashboard import auth

    return {
        r.account.identifiant: r.account.nom or r.account.identifiant
        for r in auth.account_store().read().values()
        if r.account.role == "jury"
    }


def store_version() -> int:
    """A number that changes with every action recorded in the store (see
    ``meeting.store_version``): the séance redraws when it moves."""
    return meeting.store_version(cursor())


@st.cache_resource(ttl=600, max_entries=16, show_spinner=False)
def _prize_sheet(
    store_version: int, warehouse_version: int | None, annee: int, code: str
) -> meeting.PrizeSheet:
    # one sheet per store and warehouse version: every open séance shares it, and a
    # decision (a new audit line) gives the next run a new key
    category = edition(annee).category(code)
    return meeting.prize_sheet(
        cursor(), annee, category, rules(), candidatures(annee), juror_names()
    )


def prize_sheet(annee: int, code: str, version: int | None = None) -> meeting.PrizeSheet:
    """The séance's sheet of one prize (``meeting.prize_sheet``), cached by version
    (``version``: the store's, when the caller has just read it)."""
    current = store_version() if version is None else version
    return _prize_sheet(current, db.warehouse_version(), annee, code)


@st.cache_resource(ttl=600, max_entries=8, show_spinner=False)
def _presences(store_version: int, annee: int) -> tuple[str, ...]:
    return tuple(meeting.presences(cursor(), annee))


def presences(annee: int, version: int) -> tuple[str, ...]:
    """The jurors present at the meeting (``meeting.presences``), cached by store version."""
    return _presences(version, annee)


def proces_verbal(annee: int, fmt: str) -> bytes:
    """The procès-verbal of an edition as PDF or XLSX bytes (``minutes``), logged."""
    from dashboard import auth
    from dashboard.jury import audit, minutes

    accounts = [r.account for r in auth.account_store().read().values() if r.account.role == "jury"]
    content = minutes.minutes(
        cursor(),
        edition(annee),
        rules(),
        candidatures(annee),
        accounts,
        fictif=queries.demo_data(),
    )
    data = minutes.minutes_pdf(content) if fmt == "pdf" else minutes.minutes_xlsx(content)
    compte = auth.current_account()
    if compte is not None:
        store().write(
            lambda con: audit.record(
                con, compte.identifiant, AuditAction.PROCES_VERBAL, str(annee), fmt
            )
        )
    return data


@st.cache_resource(ttl=600, max_entries=64, show_spinner=False)
def _recused_ids(store_version: int, jure: str, annee: int) -> tuple[str, ...]:
    found = conflicts.recusals(cursor(), annee).filter(pl.col("jure") == jure)
    return tuple(sorted(found["candidature_id"]))


def recused_ids(jure: str, annee: int, version: int) -> tuple[str, ...]:
    """The candidatures ``jure`` is recused from (they never see them in results)."""
    return _recused_ids(version, jure, annee)

"""Contacts of a candidature (names, e-mails, phones): personal data, read for allowed
roles only. The check is here, where the data is read, not in the page: a role without
the right never *receives* these columns, whatever page or export asks for them.

Only ``admin`` receives them: the organiser contacts the structures (missing documents,
ceremony). The jury judges projects, not people; communication never publishes contact
details; analysts work on aggregates.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import db, queries
from dashboard.accounts import ROLE_LABELS, Account
from etl.warehouse import contacts as warehouse_contacts

ROLES_CONTACTS: frozenset[str] = frozenset({"admin"})
"""Roles that receive contact data."""


def autorise(account: Account | None) -> bool:
    """Whether ``account`` may receive the contacts of candidatures."""
    return account is not None and account.role in ROLES_CONTACTS


@st.cache_data(ttl=300, max_entries=16)
def _contacts(version: int, candidature_id: str) -> pl.DataFrame:
    return db.frame(
        """
        select k.* exclude (candidature_id, edition, fichier, ligne)
        from contacts k
        join candidatures c
          on c.candidature_id = k.candidature_id and c.fichier = k.fichier
         and c.ligne = k.ligne and c.edition = k.edition
        where k.candidature_id = ?
        """,
        [candidature_id],
    )


def contacts(candidature_id: str, account: Account | None) -> dict[str, str | None]:
    """Contact fields of the current version of a candidature, labelled as in its form
    (field label → value); raises ``PermissionError`` for a role without the right."""
    if not autorise(account):
        role = "aucun" if account is None else ROLE_LABELS.get(account.role, account.role)
        raise PermissionError(
            f"Accès refusé : le rôle « {role} » ne reçoit pas les contacts des candidatures "
            "(données personnelles)."
        )
    version = db.warehouse_version()
    assert version is not None
    frame = _contacts(version, candidature_id)
    if frame.height == 0:
        return {}
    libelles = {
        champ.nom: champ.libelle
        for edition in queries.configured_editions()
        for champ in edition.champs
        if champ.donnee_personnelle
    }
    row = frame.row(0, named=True)
    return {
        libelles.get(nom, nom): (None if valeur is None else str(valeur))
        for nom, valeur in row.items()
    }


def mailing(edition: int, account: Account | None) -> pl.DataFrame:
    """The referents' names and e-mails of every current candidature of ``edition``, for
    the letters' mail-merge file; raises ``PermissionError`` for a role without the right."""
    if not autorise(account):
        raise PermissionError("Accès refusé : le publipostage contient des données personnelles.")
    with db.cursor() as cur:
        return warehouse_contacts.mailing(cur, edition)

"""Personal data by role: the communication role never *receives* a contact column.

Every query the app runs goes through ``dashboard.db.frame``; a spy records the SQL and
the columns of each result while every page the communication role can open is run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from dashboard.accounts import Account
from dashboard.navigation import PAGES, ROLES
from etl import editions
from tests.helpers import app_data_dir, shown, signed_in_app, warehouse_rows

CONTACT_LIKE = re.compile(r"e_?-?mail|courriel|t[ée]l[ée]phone|phone|contact|r[ée]f[ée]rent", re.I)
"""Column names that would carry a contact (name, e-mail, phone)."""


def personal_fields() -> set[str]:
    """Every field the edition configurations declare as personal data."""
    return {f for e in editions.load_editions().values() for f in e.champs_personnels}


Spy = list[tuple[str, list[str]]]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    """Record (sql, result columns) of every warehouse query of the app."""
    from dashboard import db

    seen: Spy = []
    real = db.frame

    def recording(sql: str, params: list[object] | None = None) -> pl.DataFrame:
        result = real(sql, params)
        seen.append((sql, result.columns))
        return result

    monkeypatch.setattr(db, "frame", recording)
    yield seen


@pytest.fixture
def audit_env(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The demo warehouse in a data directory of its own (contact views are logged)."""
    import streamlit as st

    from dashboard import auth

    data = app_data_dir(demo_data_dir, tmp_path / "donnees")
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield data
    if (data / "deliberations.duckdb").exists():
        auth._store().close()
    st.cache_resource.clear()


def run_every_page(role: str, **query: str) -> list[Any]:
    """Open every page ``role`` may open (with ``query`` in the URL); the AppTests."""
    runs = []
    at = signed_in_app(role)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    for spec in PAGES:
        if role in spec.roles:
            at.switch_page(spec.path).run()
            assert not at.exception, (spec.path, at.exception)
            runs.append(at)
    return runs


def leaks(seen: Spy) -> list[str]:
    personal = personal_fields()
    found = []
    for sql, columns in seen:
        if re.search(r"\bcontacts\b", sql, re.I):
            found.append(f"lit la table contacts : {sql.strip()[:80]}")
        found += [f"colonne {c}" for c in columns if c in personal or CONTACT_LIKE.search(c)]
    return found


@pytest.mark.parametrize("query", [{}, {"edition": "2023", "categorie": "RURAL"}])
def test_communication_queries_never_return_contact_columns(
    app_env: Path, spy: Spy, query: dict[str, str]
) -> None:
    run_every_page("communication", **query)
    assert len(spy) >= 10, "the pages of the role ran their queries"
    assert leaks(spy) == []


def test_the_leak_detector_sees_contacts_when_an_admin_asks(audit_env: Path, spy: Spy) -> None:
    at = signed_in_app("admin").run()
    at.switch_page("app_pages/fiche.py").run()
    button = next(b for b in at.button if b.label == "Afficher les contacts")
    button.click().run()
    assert not at.exception, at.exception
    assert leaks(spy), "reading contacts as admin is seen by the same check"


def test_fiche_shows_contacts_to_admin_on_demand_and_logs_it(audit_env: Path) -> None:
    from dashboard import auth
    from dashboard.jury import audit

    at = signed_in_app("admin").run()
    at.switch_page("app_pages/fiche.py").run()
    candidature_id = at.session_state["candidature"]
    ((nom, email, telephone),) = warehouse_rows(
        audit_env,
        "select k.contact_nom, k.contact_email, k.contact_telephone from contacts k "
        "join candidatures c using (candidature_id, fichier, ligne) "
        "where k.candidature_id = ?",
        [candidature_id],
    )
    values = [v for v in (nom, email, telephone) if v]
    assert values
    before = "\n".join(shown(t).to_csv() for t in at.table)
    assert not [v for v in values if v in before]
    next(b for b in at.button if b.label == "Afficher les contacts").click().run()
    displayed = "\n".join(shown(t).to_csv() for t in at.table)
    assert [v for v in values if v in displayed] == values
    assert "E-mail du/de la référent(e)" in displayed
    log = audit.journal(auth._store().cursor(), action="consultation_contacts")
    assert log.select("acteur", "cible", "detail").rows() == [
        ("test-admin", candidature_id, "fiche")
    ]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_fiche_offers_no_contacts_to_other_roles(app_env: Path, role: str) -> None:
    at = signed_in_app(role).run()
    at.switch_page("app_pages/fiche.py").run()
    assert not at.exception
    assert "Afficher les contacts" not in [b.label for b in at.button]
    assert "Contacts" not in [s.value for s in at.subheader]


def some_candidature(data: Path) -> str:
    ((candidature_id,),) = warehouse_rows(
        data, "select min(candidature_id) from candidatures where edition = 2023"
    )
    return str(candidature_id)


@pytest.mark.parametrize("role", ["communication", "jury", "analyste"])
def test_contacts_query_refuses_roles_without_the_right(app_env: Path, role: str) -> None:
    from dashboard.queries import contacts

    with pytest.raises(PermissionError, match=r"Accès refusé : le rôle « \w+ » ne reçoit pas"):
        contacts.contacts(some_candidature(app_env), Account("x", "X", role))
    with pytest.raises(PermissionError, match="rôle « aucun »"):
        contacts.contacts(some_candidature(app_env), None)


def test_contacts_query_gives_admin_the_current_version(app_env: Path) -> None:
    from dashboard.queries import contacts

    candidature_id = some_candidature(app_env)
    got = contacts.contacts(candidature_id, Account("a", "A", "admin"))
    ((nom, email),) = warehouse_rows(
        app_env,
        "select k.contact_nom, k.contact_email from contacts k join candidatures c "
        "using (candidature_id, fichier, ligne) where k.candidature_id = ?",
        [candidature_id],
    )
    assert got["Nom et prénom du/de la référent(e)"] == nom
    assert got["E-mail du/de la référent(e)"] == email
    assert set(got) == {
        champ.libelle
        for e in editions.load_editions().values()
        for champ in e.champs
        if champ.donnee_personnelle
    }


READS_CONTACTS = re.compile(r"\b(from|join)\s+\"?contacts\b", re.I)


def test_only_the_contacts_query_module_reads_the_contacts_table() -> None:
    """Queries that bypass ``db.frame`` (exports, press kit) are covered here: no code of
    the app but ``dashboard/queries/contacts.py`` names the table in SQL."""
    root = Path(__file__).resolve().parents[2]
    readers = sorted(
        str(f.relative_to(root))
        for f in (root / "dashboard").rglob("*")
        if f.suffix in {".py", ".sql"} and READS_CONTACTS.search(f.read_text(encoding="utf-8"))
    )
    assert readers == ["dashboard/queries/contacts.py"]
    assert READS_CONTACTS.search("select * from contacts k")  # the pattern bites
    assert READS_CONTACTS.search('x JOIN "contacts" using (id)')

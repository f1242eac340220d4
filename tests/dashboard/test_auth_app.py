"""Login, logout, expiry and per-role navigation in the whole app (AppTest)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.accounts import Account, AccountStore
from dashboard.navigation import PAGES, ROLES, PageSpec
from tests.helpers import (
    APP,
    ROOT,
    TEST_LOGIN,
    TEST_PASSWORD,
    accounts_file,
    app_data_dir,
    signed_in_app,
)

BANNER = "Données FICTIVES de démonstration"


@pytest.fixture
def login_env(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The demo warehouse in a data directory of its own, with one admin account."""
    import streamlit as st

    from dashboard import auth

    data = app_data_dir(demo_data_dir, tmp_path / "donnees")
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    monkeypatch.setenv("TROPHEES_COMPTES", str(accounts_file(data, "admin")))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield data
    if (data / "deliberations.duckdb").exists():
        auth._store().close()  # the audit log's store: stop its copy timer
    st.cache_resource.clear()


def login_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def log_in(at: AppTest, identifiant: str, mot_de_passe: str) -> AppTest:
    at.text_input[0].input(identifiant)
    at.text_input[1].input(mot_de_passe)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def navigation_entries(at: AppTest) -> set[str]:
    """Script paths of the pages the navigation of the last run offered."""
    return {str(info["script_path"]) for info in at._registered_pages.values()}


def expected_entries(role: str) -> set[str]:
    return {str(ROOT / "dashboard" / p.path) for p in PAGES if role in p.roles}


def current_script(at: AppTest) -> str:
    """Script path of the page the last run executed."""
    return str(at._registered_pages[at._finished_page_script_hash]["script_path"])


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def journal(data: Path) -> list[tuple[str, str, str | None]]:
    from dashboard import auth
    from dashboard.jury import audit

    frame = audit.journal(auth._store().cursor(), action="connexion")
    return [(r["acteur"], r["action"], r["detail"]) for r in frame.iter_rows(named=True)][::-1]


def test_login_page_comes_first_with_the_demo_banner(login_env: Path) -> None:
    at = login_page()
    assert titles(at) == ["Connexion"]
    assert any(BANNER in w.value for w in at.warning)
    assert [t.label for t in at.text_input] == ["Identifiant", "Mot de passe"]
    assert [b.label for b in at.button] == ["Se connecter"]  # no OIDC configured
    assert not at.selectbox, "no filter, no data before login"
    assert navigation_entries(at) <= {str(Path(APP))}


def test_wrong_then_right_password(login_env: Path) -> None:
    at = log_in(login_page(), TEST_LOGIN, "pas le bon mot de passe")
    assert [e.value for e in at.error] == ["Identifiant ou mot de passe incorrect."]
    assert titles(at) == ["Connexion"]
    at = log_in(at, TEST_LOGIN.upper(), TEST_PASSWORD)
    assert titles(at) == ["Vue d'ensemble"]
    assert any(BANNER in w.value for w in at.warning)
    assert at.session_state["compte"].identifiant == TEST_LOGIN
    shown = [c.value for c in at.sidebar.text]
    assert "Connecté·e : Compte de test (admin) — rôle administration" in shown
    assert navigation_entries(at) == expected_entries("admin")
    assert journal(login_env) == [
        (TEST_LOGIN, "connexion", "échec : Identifiant ou mot de passe incorrect. (client local)"),
        (TEST_LOGIN, "connexion", "réussie (client local)"),
    ]


def test_lockout_message_on_the_login_page(login_env: Path) -> None:
    at = login_page()
    for _ in range(3):
        at = log_in(at, TEST_LOGIN, "non")
    assert "Encore 2 essais avant un blocage de 15 minutes." in at.error[0].value
    at = log_in(at, TEST_LOGIN, TEST_PASSWORD)  # too soon after three failures
    assert at.error[0].value.startswith("Trop d'essais rapprochés : réessayez dans")
    assert titles(at) == ["Connexion"]


def test_logout_returns_to_the_login_page(login_env: Path) -> None:
    at = log_in(login_page(), TEST_LOGIN, TEST_PASSWORD)
    logout = next(b for b in at.sidebar.button if b.label == "Se déconnecter")
    logout.click().run()
    assert not at.exception
    assert titles(at) == ["Connexion"]
    assert "compte" not in at.session_state
    assert [i.value for i in at.info] == ["Vous êtes déconnecté·e."]


@pytest.mark.parametrize(
    ("since_login", "idle", "message"),
    [
        (9 * 3600, 60, "Session expirée : elle dure au plus 8 h."),
        (2 * 3600, 61 * 60, "Session expirée après 60 min sans activité."),
    ],
)
def test_session_expires(login_env: Path, since_login: int, idle: int, message: str) -> None:
    at = signed_in_app("analyste").run()
    assert titles(at) == ["Vue d'ensemble"]
    at.session_state["compte_debut"] = time.time() - since_login
    at.session_state["compte_activite"] = time.time() - idle
    at.run()
    assert titles(at) == ["Connexion"]
    assert at.info[0].value.startswith(message)
    assert "compte" not in at.session_state


def test_recent_activity_keeps_the_session(login_env: Path) -> None:
    at = signed_in_app("analyste").run()
    at.session_state["compte_debut"] = time.time() - 7 * 3600
    at.session_state["compte_activite"] = time.time() - 50 * 60
    at.run()
    assert titles(at) == ["Vue d'ensemble"]


def test_a_disabled_account_is_signed_out_at_its_next_action(login_env: Path) -> None:
    at = log_in(login_page(), TEST_LOGIN, TEST_PASSWORD)
    assert titles(at) == ["Vue d'ensemble"]
    AccountStore().disable(TEST_LOGIN)
    at.run()
    assert titles(at) == ["Connexion"]
    assert at.info[0].value == "Votre compte n'est plus autorisé : session fermée."


def test_a_role_change_applies_at_the_next_action(login_env: Path) -> None:
    at = log_in(login_page(), TEST_LOGIN, TEST_PASSWORD)
    assert navigation_entries(at) == expected_entries("admin")
    AccountStore().update(TEST_LOGIN, role="communication")
    at.run()
    assert at.session_state["compte"].role == "communication"
    assert navigation_entries(at) == expected_entries("communication")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_pages(app_env: Path, role: str) -> None:
    at = signed_in_app(role).run()
    assert not at.exception, at.exception
    offered = navigation_entries(at)
    assert offered == expected_entries(role)
    names = {Path(p).name for p in offered}
    if role == "communication":
        assert {"qualite.py", "comparer.py"}.isdisjoint(names)
    if role == "admin":
        assert {"qualite.py", "comparer.py", "fiche.py"} <= names
    # every offered page opens for this role, every other one cannot be opened
    for spec in PAGES:
        if role in spec.roles:
            at.switch_page(spec.path).run()
            assert not at.exception, (spec.path, at.exception)
            assert current_script(at) == str(ROOT / "dashboard" / spec.path)
            assert titles(at) and titles(at) != ["Connexion"] and not at.error
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(spec.path)


def guarded_page() -> None:
    import streamlit as st

    from dashboard import auth
    from dashboard.accounts import Account
    from dashboard.navigation import PageSpec

    spec = PageSpec("app_pages/qualite.py", "Qualité", "", "S", frozenset({"admin"}))
    auth.guard(spec, Account("x", "X", st.session_state["role"]))
    st.title("contenu protégé")


@pytest.mark.parametrize(("role", "opens"), [("admin", True), ("communication", False)])
def test_the_frame_guard_refuses_a_page_outside_the_role(role: str, opens: bool) -> None:
    at = AppTest.from_function(guarded_page)
    at.session_state["role"] = role
    at.run()
    assert (titles(at) == ["contenu protégé"]) is opens
    if not opens:
        assert at.error[0].value == "Cette page n'est pas accessible avec votre rôle."


def test_guard_allows_by_page_roles() -> None:
    from dashboard.auth import allowed

    spec = PageSpec("p.py", "P", "", "S", frozenset({"jury", "admin"}))
    assert allowed(spec, Account("a", "A", "jury"))
    assert not allowed(spec, Account("a", "A", "analyste"))


def oidc_app(email: str, verified: bool | None = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "secret-de-test",
        "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
    }
    at.user = {"is_logged_in": True, "email": email, "email_verified": verified}
    return at.run()


def test_oidc_user_in_the_allow_list_gets_the_role_of_the_file(login_env: Path) -> None:
    AccountStore().add(
        "claire", "Claire Martin", "communication", None, email="claire@asso.example"
    )
    at = oidc_app("Claire@Asso.example")
    assert not at.exception, at.exception
    assert titles(at) == ["Vue d'ensemble"]
    assert at.session_state["compte"].role == "communication"
    assert navigation_entries(at) == expected_entries("communication")


@pytest.mark.parametrize(
    ("email", "verified"), [("inconnu@asso.example", True), ("claire@asso.example", False)]
)
def test_oidc_user_outside_the_allow_list_is_refused(
    login_env: Path, email: str, verified: bool
) -> None:
    AccountStore().add(
        "claire", "Claire Martin", "communication", None, email="claire@asso.example"
    )
    at = oidc_app(email, verified)
    assert "compte" not in at.session_state
    assert "n'est pas autorisée" in at.error[0].value
    assert not navigation_entries(at) - {str(Path(APP))}


@pytest.mark.parametrize("authlib", [True, False])
def test_login_page_offers_oidc_when_configured(
    login_env: Path, monkeypatch: pytest.MonkeyPatch, authlib: bool
) -> None:
    from dashboard import auth

    monkeypatch.setattr(auth, "authlib_installed", lambda: authlib)
    at = oidc_app("x@y.example")
    at.user = {}
    at.run()
    labels = [b.label for b in at.button]
    if authlib:
        assert labels == ["Se connecter", "Se connecter avec le compte de l'organisation"]
    else:
        assert labels == ["Se connecter"]
        assert "le paquet Authlib manque" in at.warning[-1].value

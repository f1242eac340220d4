"""Who is signed in (streamlit side): login form, OIDC admission, expiry, logout, guards.

The signed-in ``Account`` lives in ``st.session_state["compte"]``; tests may put one there
directly (an account placed so is trusted as is: session state never comes from the
browser). An account signed in through the form or OIDC is checked against the accounts
file on every rerun, so disabling an account or changing its role takes effect at once.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlparse

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard import accounts, db
from dashboard.accounts import Account, AccountSettings, AccountStore
from dashboard.jury.store import Store
from dashboard.navigation import PageSpec
from etl.french import format_number

SESSION_KEY = "compte"
DEBUT_KEY = "compte_debut"  # time.time() of the login
ACTIVITE_KEY = "compte_activite"  # time.time() of the latest rerun
SOURCE_KEY = "compte_source"  # "formulaire" or "oidc"; absent when placed by a test
MESSAGE_KEY = "connexion_message"  # why the previous session ended
PARAMS_KEY = "parametres_avant_connexion"  # URL query parameters seen before login
PAGE_KEY = "page_avant_connexion"  # last segment of the URL path seen before login
RESTORE_KEY = "parametres_a_rendre"  # URL parameters to give back after login
NOTICE_KEY = "avis_page"  # why the page asked for before login is not the one shown

_LOG = logging.getLogger(__name__)
THROTTLED_ANSWER_S = 1.0
"""How long the answer to a refused-before-checking login try waits (a tarpit)."""


def current_account() -> Account | None:
    """The signed-in account of this browser session, if any."""
    compte = st.session_state.get(SESSION_KEY)
    return compte if isinstance(compte, Account) else None


def account_store() -> AccountStore:
    """The accounts store as configured now (``config/app.toml``, ``TROPHEES_COMPTES``)."""
    return AccountStore(accounts.account_settings())


def client_address(settings: AccountSettings) -> str:
    """The throttling key of this browser's client: the address a trusted reverse proxy
    passes in ``[connexion] entete_adresse`` when set, else the connection's own."""
    address: object = None
    if settings.client_header:
        address = st.context.headers.get(settings.client_header)
    if not address:
        address = st.context.ip_address
    return accounts.client_key(address if isinstance(address, str) else None)


# --------------------------------------------------------------------------- audit


def journaliser(acteur: str, action: str, cible: str | None, detail: str | None) -> None:
    """Append a line to the audit log of the deliberation store.

    Raises when the line cannot be written: callers decide whether that blocks.
    """
    from dashboard.jury import audit

    store = _store()
    store.write(lambda con: audit.record(con, acteur[:100], action, cible, detail))


def _store() -> Store:
    """The app's deliberation store, where the audit log lives (``dashboard.db.store``)."""
    return db.store()


def _journaliser_connexion(acteur: str, detail: str) -> None:
    try:
        journaliser(acteur, "connexion", None, detail)
    except Exception:  # the login itself must not depend on the log being writable
        _LOG.exception("journal des connexions indisponible")


# --------------------------------------------------------------------------- session


def sign_in(account: Account, source: str) -> None:
    """Open the session of ``account`` and give back the URL parameters seen before."""
    now = time.time()
    state = st.session_state
    state[SESSION_KEY] = account
    state[DEBUT_KEY] = now
    state[ACTIVITE_KEY] = now
    state[SOURCE_KEY] = source
    state.pop(MESSAGE_KEY, None)
    # given back by open_requested_page once the navigation exists: set here, before the
    # first run with pages, Streamlit would drop them while setting the page up
    state[RESTORE_KEY] = state.pop(PARAMS_KEY, None) or {}


def sign_out(message: str | None = None) -> None:
    """Forget everything of this session (the URL parameters stay in the address bar)."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if message:
        st.session_state[MESSAGE_KEY] = message


def expired(settings: AccountSettings, now: float | None = None) -> str | None:
    """French reason why the current session is over, or None (and note the activity)."""
    state = st.session_state
    now = time.time() if now is None else now
    debut = float(state.setdefault(DEBUT_KEY, now))
    activite = float(state.get(ACTIVITE_KEY, now))
    if now - debut > settings.session_max.total_seconds():
        heures = format_number(settings.session_max.total_seconds() / 3600)
        return f"Session expirée : elle dure au plus {heures} h. Reconnectez-vous pour continuer."
    if now - activite > settings.idle_max.total_seconds():
        minutes = format_number(settings.idle_max.total_seconds() / 60)
        return (
            f"Session expirée après {minutes} min sans activité. Reconnectez-vous pour continuer."
        )
    state[ACTIVITE_KEY] = now
    return None


def _revalidated(account: Account, store: AccountStore, demo: bool) -> Account | None:
    """The account as the accounts file says now, or None when it may no longer sign in."""
    source = st.session_state.get(SOURCE_KEY)
    if source is None:
        return account
    if source == "oidc":
        email = str(st.user.get("email") or "")
        record = store.by_email(email) if st.user.get("is_logged_in") else None
    else:
        record = store.current(account.identifiant)
    if record is None or (record.demo and not demo):
        return None
    if record.account != account:
        st.session_state[SESSION_KEY] = record.account
    return record.account


# --------------------------------------------------------------------------- OIDC


def oidc_configured() -> bool:
    """Whether ``st.login`` is set up: an ``[auth]`` section in the secrets."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def authlib_installed() -> bool:
    """``st.login`` needs Authlib (``streamlit[auth]``), not a default dependency here."""
    return importlib.util.find_spec("authlib") is not None


def _oidc_label() -> str:
    try:
        return str(st.secrets["trophees"]["oidc_libelle"])
    except Exception:
        return "le compte de l'organisation"


def _admit_oidc(store: AccountStore, demo: bool) -> bool:
    """Admit the OIDC user when their e-mail is in the allow-list (role from the file)."""
    if not oidc_configured() or not st.user.get("is_logged_in"):
        return False
    email = str(st.user.get("email") or "").strip().lower()
    verified = st.user.get("email_verified")
    record = store.by_email(email) if email and verified is not False else None
    if record is None or (record.demo and not demo):
        _journaliser_connexion(email or "inconnu", "échec OIDC : adresse non autorisée")
        st.error(
            "Votre identité est reconnue mais cette adresse n'est pas autorisée dans "
            "l'application : demandez un compte à l'administrateur."
        )
        st.button("Changer de compte", on_click=st.logout)
        st.stop()
    sign_in(record.account, "oidc")
    _journaliser_connexion(record.account.identifiant, "réussie (OIDC)")
    return True


# --------------------------------------------------------------------------- login page


def _login_form(store: AccountStore, demo: bool) -> None:
    st.title("Connexion")
    message = st.session_state.get(MESSAGE_KEY)
    if message:
        st.info(message)
    with st.form("connexion", enter_to_submit=True):
        identifiant = st.text_input(
            "Identifiant", autocomplete="username", max_chars=accounts.IDENTIFIER_MAX
        )
        mot_de_passe = st.text_input(
            "Mot de passe",
            type="password",
            autocomplete="current-password",
            max_chars=accounts.PASSWORD_MAX,
        )
        envoye = st.form_submit_button("Se connecter", type="primary")
    if oidc_configured():
        if authlib_installed():
            st.button(f"Se connecter avec {_oidc_label()}", on_click=st.login)
        else:
            st.warning(
                "Connexion OIDC configurée mais le paquet Authlib manque : connexion par "
                "mot de passe seulement."
            )
    _prechauffer_graphiques()
    if not envoye:
        return
    if not identifiant.strip() or not mot_de_passe:
        st.error("Saisissez votre identifiant et votre mot de passe.")
        return
    client = client_address(store.settings)
    resultat = store.verify(identifiant, mot_de_passe, client)
    if resultat.account is None:
        if not resultat.checked:
            # a throttled try is refused before any check and not logged (hammering the
            # form cannot flood the audit log); its answer waits a little: a script that
            # fires its next try as soon as it is answered slows to a trickle, and the
            # server's CPU stays for everyone else (the wait costs a thread, not the CPU)
            time.sleep(THROTTLED_ANSWER_S)
        else:
            _journaliser_connexion(
                accounts.normalise_identifier(identifiant)[: accounts.IDENTIFIER_MAX],
                f"échec : {resultat.message} (client {client})",
            )
        st.error(resultat.message or accounts.REFUSAL)
        return
    if resultat.demo and not demo:
        _journaliser_connexion(resultat.account.identifiant, "refus : compte de démonstration")
        st.error(
            "Compte de démonstration refusé : l'entrepôt contient des données réelles. "
            "Demandez un compte à l'administrateur."
        )
        return
    sign_in(resultat.account, "formulaire")
    _journaliser_connexion(resultat.account.identifiant, f"réussie (client {client})")
    st.rerun()


@functools.cache
def _graphique_vide() -> Any:
    """The warm-up chart, built and frozen once per process (:class:`charts.FrozenFigure`)."""
    from dashboard import charts

    return charts.FrozenFigure(
        layout={
            "height": 10,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        }
    ).freeze()


def _prechauffer_graphiques() -> None:
    """An empty 10-pixel chart under the form, with nothing in it: the browser fetches and
    evaluates Plotly's script (about 0,7 s of work here) while the person types, instead
    of after « Se connecter » when every page's first chart waits for it."""
    st.plotly_chart(
        _graphique_vide(),
        config={"staticPlot": True, "displayModeBar": False},
        key="prechauffage",
    )


def require_account(demo: bool) -> Account:
    """The signed-in account; otherwise draw the login page and stop the script run.

    ``demo``: whether the warehouse holds fictitious data (demo accounts only then).
    """
    store = account_store()
    account = current_account()
    if account is not None:
        reason = expired(store.settings)
        if reason is None:
            checked = _revalidated(account, store, demo)
            if checked is not None:
                return checked
            reason = "Votre compte n'est plus autorisé : session fermée."
        was_oidc = st.session_state.get(SOURCE_KEY) == "oidc"
        sign_out(reason)
        if was_oidc:
            st.logout()
            st.stop()
    _remember_request()
    with st.columns([1, 2, 1])[1]:
        if _admit_oidc(store, demo):
            st.rerun()
        _login_form(store, demo)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def _remember_request() -> None:
    """Keep the page and the URL parameters asked for before login, to honour them after."""
    state = st.session_state
    if PARAMS_KEY not in state and len(st.query_params):
        state[PARAMS_KEY] = {k: st.query_params.get_all(k) for k in st.query_params}
    if PAGE_KEY not in state and st.context.url:
        segment = urlparse(st.context.url).path.rstrip("/").rsplit("/", 1)[-1]
        if segment:
            state[PAGE_KEY] = segment


def open_requested_page(
    pages: Iterable[StreamlitPage],
    current: StreamlitPage,
    account: Account,
    titles: Mapping[str, str],
) -> None:
    """After login, open the page and URL parameters asked for before it; a page the role
    may not open is named in a notice (French) instead of being silently replaced.

    ``titles``: title of every page of the app by URL segment, the role's or not.
    """
    state = st.session_state
    wanted = state.pop(PAGE_KEY, None)
    saved: Mapping[str, list[str]] | None = state.pop(RESTORE_KEY, None)
    if wanted is None and saved is None:
        return
    target = current
    if wanted and wanted != current.url_path:
        found = [page for page in pages if page.url_path == wanted]
        if found:
            target = found[0]
        elif wanted in titles:
            role = accounts.ROLE_LABELS.get(account.role, account.role)
            state[NOTICE_KEY] = (
                f"La page « {titles[wanted]} » n'est pas ouverte au rôle {role} : "
                f"voici « {current.title} ». Les pages de votre rôle sont dans le menu."
            )
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    for key, values in (saved or {}).items():
        if values and key not in params:
            params[key] = list(values)
    if target is not current or params:
        st.switch_page(target, query_params=params)


def show_notice() -> None:
    """The notice left by :func:`open_requested_page`, once."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.warning(notice, icon=":material/block:")


def sidebar(account: Account) -> None:
    """Who is signed in, with which role, and the « Se déconnecter » button."""
    role = accounts.ROLE_LABELS.get(account.role, account.role)
    st.sidebar.text(f"Connecté·e : {account.nom} — rôle {role}")  # text: never markdown
    if st.sidebar.button("Se déconnecter", icon=":material/logout:"):
        was_oidc = st.session_state.get(SOURCE_KEY) == "oidc"
        sign_out("Vous êtes déconnecté·e.")
        if was_oidc:
            st.logout()
        st.rerun()


def allowed(spec: PageSpec, account: Account) -> bool:
    """Whether ``account`` may open the page described by ``spec``."""
    return account.role in spec.roles


def guard(spec: PageSpec | None, account: Account) -> None:
    """Defence in depth: stop before rendering a page the role may not open."""
    if spec is None or not allowed(spec, account):
        st.error("Cette page n'est pas accessible avec votre rôle.")
        st.stop()

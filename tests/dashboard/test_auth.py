"""Accounts file, password hashing and failed-login delays (``dashboard.accounts``)."""

from __future__ import annotations

import os
import stat
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dashboard.accounts import (
    REFUSAL,
    Account,
    AccountSettings,
    AccountStore,
    InvalidAccount,
    account_settings,
)

PASSWORD = "un mot de passe assez long"
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class Clock:
    """A settable clock for the failure delays."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> AccountStore:
    comptes = AccountStore(AccountSettings(file=tmp_path / "secret" / "comptes.toml"), clock=clock)
    comptes.add(
        "Jdupont",
        "Jeanne Dupont",
        "jury",
        PASSWORD,
        organisation="PLIE du Val",
        departement="94",
        region="11",
        reseau="plie",
    )
    return comptes


def test_file_holds_argon2id_hashes_only_and_is_private(store: AccountStore) -> None:
    text = store.file.read_text(encoding="utf-8")
    assert "$argon2id$" in text
    assert PASSWORD not in text
    assert stat.S_IMODE(os.stat(store.file).st_mode) == 0o600
    assert [p.name for p in store.file.parent.glob("*.tmp")] == []
    record = store.read()["jdupont"]
    assert record.password_hash is not None and record.password_hash.startswith("$argon2id$")
    assert record.account == Account(
        "jdupont", "Jeanne Dupont", "jury", "PLIE du Val", "94", "11", "plie"
    )


def test_right_password_signs_in_with_the_stored_account(store: AccountStore) -> None:
    result = store.verify("  JDupont ", PASSWORD)
    assert result.admitted and result.message is None
    assert result.account is not None and result.account.role == "jury"
    assert result.account.organisation == "PLIE du Val"


def test_wrong_password_and_unknown_login_get_the_same_answer(store: AccountStore) -> None:
    wrong = store.verify("jdupont", PASSWORD + "!")
    unknown = store.verify("personne", PASSWORD)
    assert not wrong.admitted and not unknown.admitted
    assert wrong.message == unknown.message == REFUSAL
    # both are counted: an attacker cannot tell which identifiers exist
    assert store.failure_state("jdupont")[0] == 1
    assert store.failure_state("personne")[0] == 1


def test_unknown_login_costs_as_much_as_a_wrong_password(store: AccountStore) -> None:
    """The app builds a new store on every rerun: the decoy hash must not be rebuilt each
    time (it was, and an unknown identifier cost a hash plus a check: 40 out of 40 told
    apart). Medians of interleaved attempts, each from its own client (no delay)."""
    settings = store.settings
    AccountStore(settings).verify("personne-0", PASSWORD, "192.0.2.250")  # warm the process

    def timed(identifiant: str, client: str) -> float:
        fresh = AccountStore(settings)  # as a rerun of the app does
        started = time.perf_counter()
        result = fresh.verify(identifiant, "mauvais mot de passe", client)
        elapsed = time.perf_counter() - started
        assert result.checked and not result.admitted
        return elapsed

    wrong: list[float] = []
    unknown: list[float] = []
    for i in range(7):
        wrong.append(timed("jdupont", f"192.0.2.{i}"))
        unknown.append(timed(f"personne-{i}", f"198.51.100.{i}"))
    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert statistics.median(wrong) > 0.02  # a real KDF, not a plain comparison
    assert 0.75 < ratio < 1.33, (wrong, unknown)


def test_an_attacker_elsewhere_cannot_keep_a_juror_out(store: AccountStore, clock: Clock) -> None:
    attacker, juror = "203.0.113.7", "198.51.100.20"
    for _ in range(5):
        store.verify("jdupont", "devine", attacker)
        clock.advance(seconds=30)  # past each delay: five counted failures block the pair
    blocked = store.verify("jdupont", PASSWORD, attacker)
    assert not blocked.admitted and "bloquée jusqu'au" in (blocked.message or "")
    assert not blocked.checked  # refused before any password check: cheap for the server
    # the juror, on their own client, at the same moment
    assert store.verify("jdupont", PASSWORD, juror).admitted
    # and their success does not lift the attacker's block
    assert not store.verify("jdupont", PASSWORD, attacker).admitted


def test_a_client_trying_many_identifiers_is_blocked_everywhere(store: AccountStore) -> None:
    from dataclasses import replace

    from dashboard.accounts import client_key

    strict = AccountStore(replace(store.settings, client_failures_before_block=6))
    sprayer = client_key("2001:db8:1:2:3:4:5:6")
    for i in range(6):
        assert not strict.verify(f"compte-{i}", "devine", sprayer).admitted
    # the whole /64 of an IPv6 address counts as one client
    neighbour = client_key("2001:db8:1:2:ffff::1")
    refused = strict.verify("jdupont", PASSWORD, neighbour)
    assert not refused.admitted and "bloquée jusqu'au" in (refused.message or "")
    assert strict.verify("jdupont", PASSWORD, client_key("2001:db8:9::1")).admitted
    assert client_key("::ffff:192.0.2.1") == client_key("192.0.2.1") == "192.0.2.1"
    assert client_key(None) == "local" and client_key("n'importe quoi") == "invalide"


def test_failure_state_stays_small_whatever_is_typed(
    store: AccountStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.accounts import throttling

    huge = "x" * 3_000_000
    started = time.perf_counter()
    for i in range(6):
        result = store.verify(huge + str(i), huge, f"192.0.2.{i}")
        assert result.message == REFUSAL
    assert time.perf_counter() - started < 2  # 3 MB passwords are never hashed
    # junk identifiers are never stored: one counter per client, nothing else
    assert store.failures.size() == 6
    assert store.failures.path.stat().st_size < 200_000
    monkeypatch.setattr(throttling, "MAX_ROWS", 40)
    for i in range(60):
        store.failures.fail(f"10.0.0.{i}", f"compte-{i}", START)
    assert store.failures.size() <= 40


def test_a_login_does_not_wait_for_the_accounts_file_lock(store: AccountStore) -> None:
    """No lock serialises logins: a long write of the accounts file (the CLI) never holds
    a login back (the check used to run inside that lock)."""
    from etl import files

    with files.exclusive(store._lock, what="test", timeout_s=1):
        started = time.perf_counter()
        assert store.verify("jdupont", PASSWORD, "192.0.2.1").admitted
        assert time.perf_counter() - started < 5


def test_backoff_then_block_with_a_french_until_message(store: AccountStore, clock: Clock) -> None:
    for _ in range(2):
        assert store.verify("jdupont", "non").message == REFUSAL
    third = store.verify("jdupont", "non")
    assert third.message == f"{REFUSAL} Encore 2 essais avant un blocage de 15 minutes."
    # too soon: refused without even checking the (right) password, and not counted
    hurried = store.verify("jdupont", PASSWORD)
    assert not hurried.admitted
    assert hurried.message == "Trop d'essais rapprochés : réessayez dans 2 s."
    assert store.failure_state("jdupont")[0] == 3
    clock.advance(seconds=2)
    assert "Encore 1 essai avant" in (store.verify("jdupont", "non").message or "")
    assert store.verify("jdupont", "non").message == (
        "Trop d'essais rapprochés : réessayez dans 4 s."
    )
    clock.advance(seconds=4)
    fifth = store.verify("jdupont", "non")
    assert fifth.blocked_until == START + timedelta(seconds=6, minutes=15)
    # 09:15:06 UTC is 10:15 in Paris
    assert fifth.message == (
        f"{REFUSAL} Trop d'échecs de connexion : connexion bloquée jusqu'au 25/11/2026 à 10:15 "
        "(heure de Paris)."
    )
    clock.advance(minutes=10)
    blocked = store.verify("jdupont", PASSWORD)
    assert not blocked.admitted
    assert "bloquée jusqu'au 25/11/2026 à 10:15" in (blocked.message or "")
    clock.advance(minutes=6)
    assert store.verify("jdupont", PASSWORD).admitted
    assert store.failure_state("jdupont") == (0, None)


def test_an_administrator_can_lift_a_block(store: AccountStore) -> None:
    for _ in range(5):
        store.verify("jdupont", "non")  # the clock does not move: the waits refuse fast
    failures, _ = store.failure_state("jdupont")
    assert failures == 3
    store.unlock("jdupont")
    assert store.verify("jdupont", PASSWORD).admitted


def test_disabled_account_is_refused_even_with_its_password(store: AccountStore) -> None:
    store.disable("jdupont")
    result = store.verify("jdupont", PASSWORD)
    assert not result.admitted
    assert result.message == "Ce compte est désactivé : adressez-vous à l'administrateur."
    assert store.current("jdupont") is None
    store.update("jdupont", active=True)
    assert store.verify("jdupont", PASSWORD).admitted


def test_roles_identifiers_and_passwords_are_validated(store: AccountStore) -> None:
    with pytest.raises(InvalidAccount, match="Rôle « chef » inconnu"):
        store.add("chef", "Chef", "chef", PASSWORD)
    with pytest.raises(InvalidAccount, match="trop court"):
        store.add("court", "Court", "admin", "abc")
    with pytest.raises(InvalidAccount, match="Identifiant « Zoé » invalide"):
        store.add("Zoé", "Zoé", "admin", PASSWORD)
    with pytest.raises(InvalidAccount, match="existe déjà"):
        store.add("jdupont", "Autre", "admin", PASSWORD)
    with pytest.raises(InvalidAccount, match="Rôle « chef » inconnu"):
        store.update("jdupont", role="chef")
    assert set(store.read()) == {"jdupont"}


def test_role_change_and_new_password_are_stored(store: AccountStore) -> None:
    store.update("jdupont", role="analyste", password="un autre mot de passe")
    assert not store.verify("jdupont", PASSWORD).admitted
    result = store.verify("jdupont", "un autre mot de passe")
    assert result.account is not None and result.account.role == "analyste"


def test_oidc_allow_list_by_email(store: AccountStore) -> None:
    store.add("c.martin", "Claire Martin", "communication", None, email="Claire@Asso.fr")
    assert store.by_email("claire@asso.fr") is not None
    assert store.by_email("CLAIRE@asso.fr ").account.role == "communication"  # type: ignore[union-attr]
    assert store.by_email("autre@asso.fr") is None
    # an OIDC-only account has no password: no password ever opens it
    assert not store.verify("c.martin", "").admitted
    store.disable("c.martin")
    assert store.by_email("claire@asso.fr") is None
    with pytest.raises(InvalidAccount, match="sans mot de passe doit avoir un e-mail"):
        store.add("sans", "Sans", "jury", None)


HOSTILE_NAMES = (
    'Nom "entre guillemets"\n[comptes.pirate]\nrole = "admin" \\ é',
    "Suppr\x7fime",
    "Contr\x00ôle\x01\x1b[31m\x1f fin",
    "Retour\r\nà la ligne\u2028et\u2029paragraphe",
    "'''triple''' \"\"\"triple\"\"\" ${x} #commentaire",
    "É" * 200,
)


@pytest.mark.parametrize("nom", HOSTILE_NAMES)
def test_hostile_names_never_make_the_file_unreadable(store: AccountStore, nom: str) -> None:
    store.add("bizarre", nom, "communication", PASSWORD, organisation=nom[::-1] + " \t ü")
    records = store.read()  # the whole file still parses
    assert set(records) == {"jdupont", "bizarre"}
    assert records["bizarre"].account.nom == nom
    assert records["bizarre"].account.organisation == nom[::-1] + " \t ü"
    assert store.verify("jdupont", PASSWORD).admitted  # nobody is locked out
    store.update("bizarre", name=nom[:199] + "\x7f")
    assert store.read()["bizarre"].account.nom == nom[:199] + "\x7f"


def test_a_name_too_long_is_refused_in_french(store: AccountStore) -> None:
    with pytest.raises(InvalidAccount, match="Nom trop long : au plus 200 caractères"):
        store.add("long", "N" * 201, "jury", PASSWORD)
    with pytest.raises(InvalidAccount, match=r"Identifiant « x{40}… » invalide"):
        store.add("x" * 101, "N", "jury", PASSWORD)


def test_settings_come_from_app_toml_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "app.toml"
    config.write_text(
        '[comptes]\nfichier = "acces/comptes.toml"\n[session]\nduree_max_heures = 2\n'
        "inactivite_max_minutes = 5\n[connexion]\nechecs_avant_blocage = 3\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(tmp_path / "donnees"))
    monkeypatch.delenv("TROPHEES_COMPTES", raising=False)
    r = account_settings(config)
    assert r.file == tmp_path / "donnees" / "acces" / "comptes.toml"
    assert r.session_max == timedelta(hours=2)
    assert r.idle_max == timedelta(minutes=5)
    assert r.failures_before_block == 3
    monkeypatch.setenv("TROPHEES_COMPTES", str(tmp_path / "ailleurs.toml"))
    assert account_settings(config).file == tmp_path / "ailleurs.toml"
    # the versioned config/app.toml keeps the documented defaults
    monkeypatch.delenv("TROPHEES_COMPTES")
    defaults = account_settings()
    assert defaults.file == tmp_path / "donnees" / "comptes.toml"
    assert (defaults.session_max, defaults.idle_max) == (
        timedelta(hours=8),
        timedelta(hours=1),
    )
    assert (defaults.failures_before_block, defaults.block) == (5, timedelta(minutes=15))
    assert (defaults.client_failures_before_block, defaults.client_header) == (30, "")

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
    REFUS,
    Account,
    CompteInvalide,
    Comptes,
    Reglages,
    reglages,
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
def store(tmp_path: Path, clock: Clock) -> Comptes:
    comptes = Comptes(Reglages(fichier=tmp_path / "secret" / "comptes.toml"), horloge=clock)
    comptes.ajouter(
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


def test_file_holds_argon2id_hashes_only_and_is_private(store: Comptes) -> None:
    text = store.fichier.read_text(encoding="utf-8")
    assert "$argon2id$" in text
    assert PASSWORD not in text
    assert stat.S_IMODE(os.stat(store.fichier).st_mode) == 0o600
    assert [p.name for p in store.fichier.parent.glob("*.tmp")] == []
    record = store.lire()["jdupont"]
    assert record.empreinte is not None and record.empreinte.startswith("$argon2id$")
    assert record.compte == Account(
        "jdupont", "Jeanne Dupont", "jury", "PLIE du Val", "94", "11", "plie"
    )


def test_right_password_signs_in_with_the_stored_account(store: Comptes) -> None:
    result = store.verifier("  JDupont ", PASSWORD)
    assert result.admise and result.message is None
    assert result.compte is not None and result.compte.role == "jury"
    assert result.compte.organisation == "PLIE du Val"


def test_wrong_password_and_unknown_login_get_the_same_answer(store: Comptes) -> None:
    wrong = store.verifier("jdupont", PASSWORD + "!")
    unknown = store.verifier("personne", PASSWORD)
    assert not wrong.admise and not unknown.admise
    assert wrong.message == unknown.message == REFUS
    # both are counted: an attacker cannot tell which identifiers exist
    assert store.etat("jdupont")[0] == 1
    assert store.etat("personne")[0] == 1


def test_unknown_login_costs_as_much_as_a_wrong_password(store: Comptes) -> None:
    store.verifier("personne-0", PASSWORD)  # first unknown login builds the decoy hash

    def timed(identifiant: str) -> float:
        started = time.perf_counter()
        store.verifier(identifiant, "mauvais mot de passe")
        return time.perf_counter() - started

    wrong = statistics.median(timed("jdupont") for _ in range(2))
    store.deverrouiller("jdupont")
    unknown = statistics.median(timed(f"personne-{i}") for i in range(1, 3))
    assert wrong > 0.02  # a real KDF, not a plain comparison
    assert unknown > 0.5 * wrong


def test_backoff_then_block_with_a_french_until_message(store: Comptes, clock: Clock) -> None:
    for _ in range(2):
        assert store.verifier("jdupont", "non").message == REFUS
    third = store.verifier("jdupont", "non")
    assert third.message == f"{REFUS} Encore 2 essais avant un blocage de 15 minutes."
    # too soon: refused without even checking the (right) password, and not counted
    hurried = store.verifier("jdupont", PASSWORD)
    assert not hurried.admise
    assert hurried.message == "Trop d'essais rapprochés : réessayez dans 2 s."
    assert store.etat("jdupont")[0] == 3
    clock.advance(seconds=2)
    assert "Encore 1 essai avant" in (store.verifier("jdupont", "non").message or "")
    assert store.verifier("jdupont", "non").message == (
        "Trop d'essais rapprochés : réessayez dans 4 s."
    )
    clock.advance(seconds=4)
    fifth = store.verifier("jdupont", "non")
    assert fifth.bloque_jusqu_a == START + timedelta(seconds=6, minutes=15)
    # 09:15:06 UTC is 10:15 in Paris
    assert fifth.message == (
        f"{REFUS} Trop d'échecs de connexion : connexion bloquée jusqu'au 25/11/2026 à 10:15 "
        "(heure de Paris)."
    )
    clock.advance(minutes=10)
    blocked = store.verifier("jdupont", PASSWORD)
    assert not blocked.admise
    assert "bloquée jusqu'au 25/11/2026 à 10:15" in (blocked.message or "")
    clock.advance(minutes=6)
    assert store.verifier("jdupont", PASSWORD).admise
    assert store.etat("jdupont") == (0, None)


def test_an_administrator_can_lift_a_block(store: Comptes) -> None:
    for _ in range(5):
        store.verifier("jdupont", "non")  # the clock does not move: the waits refuse fast
    failures, _ = store.etat("jdupont")
    assert failures == 3
    store.deverrouiller("jdupont")
    assert store.verifier("jdupont", PASSWORD).admise


def test_disabled_account_is_refused_even_with_its_password(store: Comptes) -> None:
    store.desactiver("jdupont")
    result = store.verifier("jdupont", PASSWORD)
    assert not result.admise
    assert result.message == "Ce compte est désactivé : adressez-vous à l'administrateur."
    assert store.actuel("jdupont") is None
    store.modifier("jdupont", actif=True)
    assert store.verifier("jdupont", PASSWORD).admise


def test_roles_identifiers_and_passwords_are_validated(store: Comptes) -> None:
    with pytest.raises(CompteInvalide, match="Rôle « chef » inconnu"):
        store.ajouter("chef", "Chef", "chef", PASSWORD)
    with pytest.raises(CompteInvalide, match="trop court"):
        store.ajouter("court", "Court", "admin", "abc")
    with pytest.raises(CompteInvalide, match="Identifiant « Zoé » invalide"):
        store.ajouter("Zoé", "Zoé", "admin", PASSWORD)
    with pytest.raises(CompteInvalide, match="existe déjà"):
        store.ajouter("jdupont", "Autre", "admin", PASSWORD)
    with pytest.raises(CompteInvalide, match="Rôle « chef » inconnu"):
        store.modifier("jdupont", role="chef")
    assert set(store.lire()) == {"jdupont"}


def test_role_change_and_new_password_are_stored(store: Comptes) -> None:
    store.modifier("jdupont", role="analyste", mot_de_passe="un autre mot de passe")
    assert not store.verifier("jdupont", PASSWORD).admise
    result = store.verifier("jdupont", "un autre mot de passe")
    assert result.compte is not None and result.compte.role == "analyste"


def test_oidc_allow_list_by_email(store: Comptes) -> None:
    store.ajouter("c.martin", "Claire Martin", "communication", None, email="Claire@Asso.fr")
    assert store.par_email("claire@asso.fr") is not None
    assert store.par_email("CLAIRE@asso.fr ").compte.role == "communication"  # type: ignore[union-attr]
    assert store.par_email("autre@asso.fr") is None
    # an OIDC-only account has no password: no password ever opens it
    assert not store.verifier("c.martin", "").admise
    store.desactiver("c.martin")
    assert store.par_email("claire@asso.fr") is None
    with pytest.raises(CompteInvalide, match="sans mot de passe doit avoir un e-mail"):
        store.ajouter("sans", "Sans", "jury", None)


def test_hostile_values_round_trip_through_the_toml_file(store: Comptes) -> None:
    nom = 'Nom "entre guillemets"\n[comptes.pirate]\nrole = "admin" \\ é'
    store.ajouter("bizarre", nom, "communication", PASSWORD, organisation="Org ' \t ü")
    records = store.lire()
    assert set(records) == {"jdupont", "bizarre"}
    assert records["bizarre"].compte.nom == nom
    assert records["bizarre"].compte.organisation == "Org ' \t ü"


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
    r = reglages(config)
    assert r.fichier == tmp_path / "donnees" / "acces" / "comptes.toml"
    assert r.duree_max == timedelta(hours=2)
    assert r.inactivite_max == timedelta(minutes=5)
    assert r.echecs_avant_blocage == 3
    monkeypatch.setenv("TROPHEES_COMPTES", str(tmp_path / "ailleurs.toml"))
    assert reglages(config).fichier == tmp_path / "ailleurs.toml"
    # the versioned config/app.toml keeps the documented defaults
    monkeypatch.delenv("TROPHEES_COMPTES")
    defaults = reglages()
    assert defaults.fichier == tmp_path / "donnees" / "comptes.toml"
    assert (defaults.duree_max, defaults.inactivite_max) == (
        timedelta(hours=8),
        timedelta(hours=1),
    )
    assert (defaults.echecs_avant_blocage, defaults.blocage) == (5, timedelta(minutes=15))

"""Accounts of the app: who someone is and which role they have (no streamlit import).

Contract shared by the whole app: the signed-in ``Account`` lives in
``st.session_state["compte"]`` (see ``dashboard.auth``); tests set it directly.

Accounts live outside git in a TOML file (``config/app.toml`` ``[comptes] fichier``,
default ``<données>/comptes.toml``, overridden by ``TROPHEES_COMPTES``), written atomically
with permissions 0600. Passwords are stored as argon2id hashes only. Failed logins are
counted per identifier (known or not, so the answers never tell whether an account
exists) in a sidecar file ``<fichier>.echecs.json``: after a few failures each new try
waits (doubling delay), after more the identifier is blocked for a while.

Long module: records, password hashing and failure counting still live together here;
the security issue splits them into files of their own.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard.navigation import ROLES
from etl import files, paths, settings
from etl.french import format_datetime, plural


@dataclass(frozen=True)
class Account:
    identifiant: str  # login, unique, lower case
    nom: str  # display name
    role: str  # one of dashboard.navigation.ROLES
    organisation: str | None = None  # juror's organisation, for conflict-of-interest hints
    departement: str | None = None  # INSEE code of the organisation's département
    region: str | None = None  # INSEE code of its région
    reseau: str | None = None  # network (PLIE, MDE, association network…)


ROLE_LIBELLES: dict[str, str] = {
    "admin": "administration",
    "jury": "jury",
    "communication": "communication",
    "analyste": "analyste",
}
"""French label of each role, shown beside the signed-in name."""

ENV_FICHIER = "TROPHEES_COMPTES"
IDENTIFIANT = re.compile(r"^[a-z0-9][a-z0-9._@+-]{1,99}$")
MOT_DE_PASSE_MIN = 12
REFUS = "Identifiant ou mot de passe incorrect."


class CompteInvalide(ValueError):
    """A request to create or change an account that cannot be honoured (French message)."""


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Reglages:
    """Where the accounts live, how long a session lasts, how failed logins are slowed."""

    fichier: Path
    duree_max: timedelta = timedelta(hours=8)
    inactivite_max: timedelta = timedelta(hours=1)
    echecs_avant_attente: int = 3
    attente: timedelta = timedelta(seconds=2)
    echecs_avant_blocage: int = 5
    blocage: timedelta = timedelta(minutes=15)

    def attente_apres(self, echecs: int) -> timedelta:
        """Delay imposed before the next try after ``echecs`` consecutive failures."""
        if echecs < self.echecs_avant_attente:
            return timedelta(0)
        facteur: int = 2 ** (echecs - self.echecs_avant_attente)
        return self.attente * facteur


def config_file() -> Path:
    """``app.toml`` in the configuration directory (``TROPHEES_CONFIG_DIR``)."""
    return paths.config_dir() / "app.toml"


def reglages(config: Path | None = None) -> Reglages:
    """Settings from ``config/app.toml`` (defaults when absent; typos refused in French by
    ``etl.settings``) and ``TROPHEES_COMPTES``."""
    document = settings.app_settings(config or config_file())
    env = os.environ.get(ENV_FICHIER)
    if env:
        fichier = Path(env)
    else:
        fichier = Path(document.comptes.fichier)
        if not fichier.is_absolute():
            fichier = paths.data_dir() / fichier
    session, connexion = document.session, document.connexion
    return Reglages(
        fichier=fichier,
        duree_max=timedelta(hours=session.duree_max_heures),
        inactivite_max=timedelta(minutes=session.inactivite_max_minutes),
        echecs_avant_attente=connexion.echecs_avant_attente,
        attente=timedelta(seconds=connexion.attente_secondes),
        echecs_avant_blocage=connexion.echecs_avant_blocage,
        blocage=timedelta(minutes=connexion.blocage_minutes),
    )


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Enregistrement:
    """One account as stored: the public ``Account`` plus what only this module reads."""

    compte: Account
    empreinte: str | None  # argon2id hash; None for an account admitted only through OIDC
    email: str | None = None  # e-mail admitted through OIDC (st.login), lower case
    actif: bool = True
    demo: bool = False  # created by `trophees comptes demo`: valid on fictitious data only
    cree_le: str = ""
    modifie_le: str = ""


@dataclass(frozen=True)
class Connexion:
    """Outcome of a login attempt: the account when admitted, else a French message."""

    compte: Account | None
    message: str | None = None
    bloque_jusqu_a: datetime | None = None
    demo: bool = False

    @property
    def admise(self) -> bool:
        return self.compte is not None


def normalise_identifiant(identifiant: str) -> str:
    return identifiant.strip().lower()


def valide_identifiant(identifiant: str) -> str:
    ident = normalise_identifiant(identifiant)
    if not IDENTIFIANT.fullmatch(ident):
        raise CompteInvalide(
            f"Identifiant « {identifiant} » invalide : 2 à 100 caractères parmi les lettres "
            "minuscules sans accent, chiffres et . _ @ + -, en commençant par une lettre ou "
            "un chiffre."
        )
    return ident


def valide_role(role: str) -> str:
    if role not in ROLES:
        raise CompteInvalide(f"Rôle « {role} » inconnu : choisir parmi {', '.join(ROLES)}.")
    return role


def valide_mot_de_passe(mot_de_passe: str) -> str:
    if len(mot_de_passe) < MOT_DE_PASSE_MIN:
        raise CompteInvalide(f"Mot de passe trop court : au moins {MOT_DE_PASSE_MIN} caractères.")
    return mot_de_passe


def mot_de_passe_aleatoire() -> str:
    """A random password (about 120 bits), easy to copy: letters, digits and dashes."""
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    groupes = ["".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4)]
    return "-".join(groupes)


def _maintenant() -> datetime:
    return datetime.now(UTC)


def _toml_str(value: str) -> str:
    # JSON string escapes (\" \\ \n \uXXXX) are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def _ecrire_atomique(path: Path, text: str) -> None:
    """Replace ``path`` (permissions 0600: password hashes) in one rename."""
    files.write_atomic(path, text, mode=0o600)


_FACULTATIFS = ("organisation", "departement", "region", "reseau")


def _lire_enregistrement(identifiant: str, table: dict[str, Any]) -> Enregistrement:
    compte = Account(
        identifiant=identifiant,
        nom=str(table.get("nom", identifiant)),
        role=valide_role(str(table.get("role", ""))),
        **{k: (str(table[k]) if table.get(k) else None) for k in _FACULTATIFS},
    )
    empreinte = table.get("empreinte")
    email = table.get("email")
    return Enregistrement(
        compte=compte,
        empreinte=str(empreinte) if empreinte else None,
        email=str(email).lower() if email else None,
        actif=bool(table.get("actif", True)),
        demo=bool(table.get("demo", False)),
        cree_le=str(table.get("cree_le", "")),
        modifie_le=str(table.get("modifie_le", "")),
    )


def _ecrire_enregistrement(e: Enregistrement) -> str:
    c = e.compte
    lines = [f"[comptes.{_toml_str(c.identifiant)}]"]
    lines.append(f"nom = {_toml_str(c.nom)}")
    lines.append(f"role = {_toml_str(c.role)}")
    for key in _FACULTATIFS:
        value = getattr(c, key)
        if value:
            lines.append(f"{key} = {_toml_str(value)}")
    if e.email:
        lines.append(f"email = {_toml_str(e.email)}")
    if e.empreinte:
        lines.append(f"empreinte = {_toml_str(e.empreinte)}")
    lines.append(f"actif = {'true' if e.actif else 'false'}")
    if e.demo:
        lines.append("demo = true")
    lines.append(f"cree_le = {_toml_str(e.cree_le)}")
    lines.append(f"modifie_le = {_toml_str(e.modifie_le)}")
    return "\n".join(lines)


ENTETE = (
    "# Comptes de l'application Trophées ASR — hors git, permissions 0600.\n"
    "# Géré par `trophees comptes` : les mots de passe n'y figurent que sous forme\n"
    "# d'empreintes argon2id. Voir docs/comptes.md.\n"
)


# --------------------------------------------------------------------------- store


class Comptes:
    """The accounts file and its failed-login counters."""

    def __init__(
        self,
        reglages_: Reglages | None = None,
        *,
        horloge: Callable[[], datetime] = _maintenant,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.reglages = reglages_ or reglages()
        self.fichier = self.reglages.fichier
        self.fichier_echecs = self.fichier.with_name(self.fichier.stem + ".echecs.json")
        self._verrou = self.fichier.with_name(f".{self.fichier.name}.lock")
        self.horloge = horloge
        self.hasher = hasher or PasswordHasher()
        self._empreinte_leurre: str | None = None

    # ---- reading and writing

    def lire(self) -> dict[str, Enregistrement]:
        """Every stored account by identifiant (empty when the file does not exist)."""
        if not self.fichier.exists():
            return {}
        with self.fichier.open("rb") as handle:
            data = tomllib.load(handle)
        comptes = data.get("comptes", {})
        return {
            normalise_identifiant(ident): _lire_enregistrement(normalise_identifiant(ident), t)
            for ident, t in comptes.items()
        }

    def _ecrire(self, comptes: dict[str, Enregistrement]) -> None:
        blocs = [_ecrire_enregistrement(comptes[k]) for k in sorted(comptes)]
        _ecrire_atomique(self.fichier, ENTETE + "\n" + "\n\n".join(blocs) + "\n")

    def _exclusif(self) -> contextlib.AbstractContextManager[None]:
        """One writer at a time across processes (CLI and app) for read-modify-write."""
        return files.exclusive(self._verrou, what="Une modification des comptes", timeout_s=10)

    def _empreinte(self, mot_de_passe: str) -> str:
        return self.hasher.hash(valide_mot_de_passe(mot_de_passe))

    # ---- administration

    def ajouter(
        self,
        identifiant: str,
        nom: str,
        role: str,
        mot_de_passe: str | None,
        *,
        email: str | None = None,
        organisation: str | None = None,
        departement: str | None = None,
        region: str | None = None,
        reseau: str | None = None,
        demo: bool = False,
        remplacer: bool = False,
    ) -> Enregistrement:
        """Create an account (``remplacer`` overwrites an existing one)."""
        ident = valide_identifiant(identifiant)
        valide_role(role)
        if mot_de_passe is None and not email:
            raise CompteInvalide(
                "Un compte sans mot de passe doit avoir un e-mail (connexion OIDC)."
            )
        empreinte = self._empreinte(mot_de_passe) if mot_de_passe is not None else None
        moment = self.horloge().isoformat(timespec="seconds")
        with self._exclusif():
            comptes = self.lire()
            ancien = comptes.get(ident)
            if ancien is not None and not remplacer:
                raise CompteInvalide(f"Le compte « {ident} » existe déjà.")
            enregistrement = Enregistrement(
                compte=Account(
                    ident,
                    nom.strip() or ident,
                    role,
                    organisation or None,
                    departement or None,
                    region or None,
                    reseau or None,
                ),
                empreinte=empreinte,
                email=email.strip().lower() if email else None,
                actif=True,
                demo=demo,
                cree_le=ancien.cree_le if ancien else moment,
                modifie_le=moment,
            )
            comptes[ident] = enregistrement
            self._ecrire(comptes)
        return enregistrement

    def modifier(
        self,
        identifiant: str,
        *,
        nom: str | None = None,
        role: str | None = None,
        mot_de_passe: str | None = None,
        email: str | None = None,
        actif: bool | None = None,
    ) -> Enregistrement:
        """Change some attributes of an existing account."""
        ident = normalise_identifiant(identifiant)
        empreinte = self._empreinte(mot_de_passe) if mot_de_passe is not None else None
        with self._exclusif():
            comptes = self.lire()
            if ident not in comptes:
                raise CompteInvalide(f"Aucun compte « {ident} ».")
            e = comptes[ident]
            compte = e.compte
            if nom is not None:
                compte = replace(compte, nom=nom)
            if role is not None:
                compte = replace(compte, role=valide_role(role))
            e = replace(
                e,
                compte=compte,
                empreinte=empreinte or e.empreinte,
                email=email.strip().lower() if email else e.email,
                actif=e.actif if actif is None else actif,
                modifie_le=self.horloge().isoformat(timespec="seconds"),
            )
            comptes[ident] = e
            self._ecrire(comptes)
        return e

    def desactiver(self, identifiant: str) -> Enregistrement:
        """Refuse every future login of this account (kept for the audit trail)."""
        return self.modifier(identifiant, actif=False)

    def par_email(self, email: str) -> Enregistrement | None:
        """The active account admitting ``email`` through OIDC (allow-list), if any."""
        cle = email.strip().lower()
        if not cle:
            return None
        for e in self.lire().values():
            if e.actif and cle in {e.email, e.compte.identifiant}:
                return e
        return None

    def actuel(self, identifiant: str) -> Enregistrement | None:
        """The stored account, if it still exists and is active."""
        e = self.lire().get(normalise_identifiant(identifiant))
        return e if e is not None and e.actif else None

    # ---- failed logins

    def _lire_echecs(self) -> dict[str, dict[str, Any]]:
        if not self.fichier_echecs.exists():
            return {}
        try:
            data = json.loads(self.fichier_echecs.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _ecrire_echecs(self, echecs: dict[str, dict[str, Any]]) -> None:
        # Forget identifiers whose last failure is older than a day (the file stays small).
        limite = self.horloge() - timedelta(days=1)
        gardes = {
            k: v
            for k, v in echecs.items()
            if datetime.fromisoformat(v["dernier"]) > limite
            or (v.get("bloque") and datetime.fromisoformat(v["bloque"]) > self.horloge())
        }
        _ecrire_atomique(self.fichier_echecs, json.dumps(gardes, ensure_ascii=False, indent=1))

    def deverrouiller(self, identifiant: str) -> None:
        """Forget the failures of an identifier (administrator's decision)."""
        with self._exclusif():
            echecs = self._lire_echecs()
            if echecs.pop(normalise_identifiant(identifiant), None) is not None:
                self._ecrire_echecs(echecs)

    def etat(self, identifiant: str) -> tuple[int, datetime | None]:
        """Consecutive failures of an identifier and the end of its block, if blocked."""
        entree = self._lire_echecs().get(normalise_identifiant(identifiant))
        if entree is None:
            return 0, None
        bloque = datetime.fromisoformat(entree["bloque"]) if entree.get("bloque") else None
        return int(entree["echecs"]), bloque if bloque and bloque > self.horloge() else None

    def _verifie_empreinte(self, empreinte: str | None, mot_de_passe: str) -> bool:
        if empreinte is None:
            # Same cost as a real check: an unknown login is not faster than a wrong password.
            if self._empreinte_leurre is None:
                self._empreinte_leurre = self.hasher.hash(secrets.token_urlsafe(24))
            empreinte = self._empreinte_leurre
            with contextlib.suppress(VerificationError, InvalidHashError):
                self.hasher.verify(empreinte, mot_de_passe)
            return False
        try:
            return self.hasher.verify(empreinte, mot_de_passe)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def verifier(self, identifiant: str, mot_de_passe: str) -> Connexion:
        """Check a login with its password, counting failures and enforcing the delays."""
        r = self.reglages
        ident = normalise_identifiant(identifiant)
        maintenant = self.horloge()
        with self._exclusif():
            echecs = self._lire_echecs()
            entree = echecs.get(ident, {"echecs": 0, "dernier": maintenant.isoformat()})
            bloque = datetime.fromisoformat(entree["bloque"]) if entree.get("bloque") else None
            if bloque is not None and maintenant < bloque:
                return Connexion(None, message_blocage(bloque), bloque)
            if bloque is not None:  # the block is over: start counting again
                entree = {"echecs": 0, "dernier": maintenant.isoformat()}
            n = int(entree["echecs"])
            prochain = datetime.fromisoformat(entree["dernier"]) + r.attente_apres(n)
            if n and maintenant < prochain:
                secondes = max(1, int((prochain - maintenant).total_seconds() + 0.999))
                return Connexion(None, f"Trop d'essais rapprochés : réessayez dans {secondes} s.")
            stocke = self.lire().get(ident) if ident else None
            bon = self._verifie_empreinte(stocke.empreinte if stocke else None, mot_de_passe)
            if not bon or stocke is None:
                n += 1
                entree = {"echecs": n, "dernier": maintenant.isoformat()}
                message = REFUS
                fin: datetime | None = None
                if n >= r.echecs_avant_blocage:
                    fin = maintenant + r.blocage
                    entree["bloque"] = fin.isoformat()
                    message = f"{REFUS} {message_blocage(fin)}"
                elif n >= r.echecs_avant_attente:
                    reste = r.echecs_avant_blocage - n
                    message = (
                        f"{REFUS} Encore {plural(reste, 'essai')} avant un "
                        f"blocage de {_duree_fr(r.blocage)}."
                    )
                echecs[ident] = entree
                self._ecrire_echecs(echecs)
                return Connexion(None, message, fin)
            if not stocke.actif:
                return Connexion(
                    None, "Ce compte est désactivé : adressez-vous à l'administrateur."
                )
            if ident in echecs:
                del echecs[ident]
                self._ecrire_echecs(echecs)
        if stocke.empreinte and self.hasher.check_needs_rehash(stocke.empreinte):
            self.modifier(ident, mot_de_passe=mot_de_passe)
        return Connexion(stocke.compte, demo=stocke.demo)


def _duree_fr(duree: timedelta) -> str:
    minutes = int(duree.total_seconds() // 60)
    if minutes >= 60 and minutes % 60 == 0:
        heures = minutes // 60
        return plural(heures, "heure")
    return plural(minutes, "minute")


def message_blocage(fin: datetime) -> str:
    """French message saying until when logins are blocked (Paris time)."""
    return (
        "Trop d'échecs de connexion : connexion bloquée jusqu'au "
        f"{format_datetime(fin)} (heure de Paris)."
    )

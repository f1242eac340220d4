"""One account as the app sees it (:class:`Account`) and as the accounts file stores it
(:class:`AccountRecord`), the rules a new account must follow, and the TOML file format.

The file is written by a TOML library (``tomli-w``) and read by ``tomllib``: any name
(quotes, newlines, control characters, U+007F…) round-trips, so one odd name can never
make the whole file unreadable and lock everyone out. Python names are English; the
field names are the file's (French) keys, part of the data contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import tomli_w

from dashboard.navigation import ROLES


@dataclass(frozen=True)
class Account:
    """Who is signed in: what every page and the jury rules read (French field names are
    those of the accounts file)."""

    identifiant: str  # login, unique, lower case
    nom: str  # display name
    role: str  # one of dashboard.navigation.ROLES
    organisation: str | None = None  # juror's organisation, for conflict-of-interest hints
    departement: str | None = None  # INSEE code of the organisation's département
    region: str | None = None  # INSEE code of its région
    reseau: str | None = None  # network (PLIE, MDE, association network…)


@dataclass(frozen=True)
class AccountRecord:
    """One account as stored: the public :class:`Account` plus what only the accounts
    package reads."""

    account: Account
    password_hash: str | None  # argon2id; None for an account admitted only through OIDC
    email: str | None = None  # e-mail admitted through OIDC (st.login), lower case
    active: bool = True
    demo: bool = False  # created by `trophees comptes demo`: valid on fictitious data only
    created: str = ""
    modified: str = ""


ROLE_LABELS: dict[str, str] = {
    "admin": "administration",
    "jury": "jury",
    "communication": "communication",
    "analyste": "analyste",
}
"""French label of each role, shown beside the signed-in name."""

IDENTIFIER_MAX = 100
"""Longest identifier (characters); the login form refuses to take more."""
IDENTIFIER = re.compile(rf"^[a-z0-9][a-z0-9._@+-]{{1,{IDENTIFIER_MAX - 1}}}$")
PASSWORD_MIN = 12
PASSWORD_MAX = 1024
"""Longest password checked (characters): a longer one is refused without hashing it."""
NAME_MAX = 200
REFUSAL = "Identifiant ou mot de passe incorrect."


class InvalidAccount(ValueError):
    """A request to create or change an account that cannot be honoured (French message)."""


def normalise_identifier(identifier: str) -> str:
    return identifier.strip().lower()


def validate_identifier(identifier: str) -> str:
    ident = normalise_identifier(identifier)
    if not IDENTIFIER.fullmatch(ident):
        shown = identifier if len(identifier) <= 40 else identifier[:40] + "…"
        raise InvalidAccount(
            f"Identifiant « {shown} » invalide : 2 à {IDENTIFIER_MAX} caractères parmi les "
            "lettres minuscules sans accent, chiffres et . _ @ + -, en commençant par une "
            "lettre ou un chiffre."
        )
    return ident


def is_valid_identifier(identifier: str) -> bool:
    """Whether ``identifier`` (normalised) could name an account."""
    return IDENTIFIER.fullmatch(identifier) is not None


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidAccount(f"Rôle « {role} » inconnu : choisir parmi {', '.join(ROLES)}.")
    return role


def validate_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise InvalidAccount(f"Mot de passe trop court : au moins {PASSWORD_MIN} caractères.")
    if len(password) > PASSWORD_MAX:
        raise InvalidAccount(f"Mot de passe trop long : au plus {PASSWORD_MAX} caractères.")
    return password


def validate_name(name: str, identifier: str) -> str:
    cleaned = name.strip() or identifier
    if len(cleaned) > NAME_MAX:
        raise InvalidAccount(f"Nom trop long : au plus {NAME_MAX} caractères.")
    return cleaned


_OPTIONAL = ("organisation", "departement", "region", "reseau")

HEADER = (
    "# Comptes de l'application Trophées ASR — hors git, permissions 0600.\n"
    "# Géré par `trophees comptes` : les mots de passe n'y figurent que sous forme\n"
    "# d'empreintes argon2id. Voir docs/comptes.md.\n"
)


def record_from_table(identifier: str, table: dict[str, Any]) -> AccountRecord:
    """One ``[comptes.<identifiant>]`` table of the file."""
    account = Account(
        identifiant=identifier,
        nom=str(table.get("nom", identifier)),
        role=validate_role(str(table.get("role", ""))),
        **{k: (str(table[k]) if table.get(k) else None) for k in _OPTIONAL},
    )
    password_hash = table.get("empreinte")
    email = table.get("email")
    return AccountRecord(
        account=account,
        password_hash=str(password_hash) if password_hash else None,
        email=str(email).lower() if email else None,
        active=bool(table.get("actif", True)),
        demo=bool(table.get("demo", False)),
        created=str(table.get("cree_le", "")),
        modified=str(table.get("modifie_le", "")),
    )


def table_from_record(record: AccountRecord) -> dict[str, Any]:
    a = record.account
    table: dict[str, Any] = {"nom": a.nom, "role": a.role}
    table.update({k: getattr(a, k) for k in _OPTIONAL if getattr(a, k)})
    if record.email:
        table["email"] = record.email
    if record.password_hash:
        table["empreinte"] = record.password_hash
    table["actif"] = record.active
    if record.demo:
        table["demo"] = True
    table["cree_le"] = record.created
    table["modifie_le"] = record.modified
    return table


def file_text(records: dict[str, AccountRecord]) -> str:
    """The whole accounts file, accounts sorted by identifier."""
    document = {"comptes": {k: table_from_record(records[k]) for k in sorted(records)}}
    return HEADER + "\n" + tomli_w.dumps(document)

"""The accounts file (read, add, update, disable) and the login check.

The file is rewritten whole, atomically, with permissions 0600, one writer at a time
across processes (``etl.files.exclusive``). A login never takes that lock: it reads the
file, asks the failure log whether this client may try, checks the password outside any
lock, then records the outcome.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher

from dashboard.accounts import passwords
from dashboard.accounts.records import (
    PASSWORD_MAX,
    REFUSAL,
    Account,
    AccountRecord,
    InvalidAccount,
    file_text,
    is_valid_identifier,
    normalise_identifier,
    record_from_table,
    validate_identifier,
    validate_name,
    validate_password,
    validate_role,
)
from dashboard.accounts.settings import AccountSettings, account_settings
from dashboard.accounts.throttling import LOCAL, FailureLog, block_message
from etl import files
from etl.french import plural


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a login attempt: the account when admitted, else a French message."""

    account: Account | None
    message: str | None = None
    blocked_until: datetime | None = None
    demo: bool = False
    checked: bool = False  # the password was checked (a throttled try is not)

    @property
    def admitted(self) -> bool:
        return self.account is not None


def _now() -> datetime:
    return datetime.now(UTC)


class AccountStore:
    """The accounts file and its failed-login counters."""

    def __init__(
        self,
        settings: AccountSettings | None = None,
        *,
        clock: Callable[[], datetime] = _now,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.settings = settings or account_settings()
        self.file = self.settings.file
        self.failures = FailureLog(
            self.file.with_name(self.file.stem + ".echecs.sqlite"), self.settings
        )
        self._lock = self.file.with_name(f".{self.file.name}.lock")
        self.clock = clock
        self.hasher = hasher or passwords.HASHER

    # ---- reading and writing

    def read(self) -> dict[str, AccountRecord]:
        """Every stored account by identifier (empty when the file does not exist)."""
        if not self.file.exists():
            return {}
        with self.file.open("rb") as handle:
            data = tomllib.load(handle)
        return {
            normalise_identifier(ident): record_from_table(normalise_identifier(ident), table)
            for ident, table in data.get("comptes", {}).items()
        }

    def _write(self, records: dict[str, AccountRecord]) -> None:
        files.write_atomic(self.file, file_text(records), mode=0o600)

    def _exclusive(self) -> contextlib.AbstractContextManager[None]:
        """One writer at a time across processes (CLI and app) for read-modify-write."""
        return files.exclusive(self._lock, what="Une modification des comptes", timeout_s=10)

    def _hash(self, password: str) -> str:
        return passwords.hash_password(validate_password(password), self.hasher)

    # ---- administration

    def add(
        self,
        identifier: str,
        name: str,
        role: str,
        password: str | None,
        *,
        email: str | None = None,
        organisation: str | None = None,
        departement: str | None = None,
        region: str | None = None,
        reseau: str | None = None,
        demo: bool = False,
        replace_existing: bool = False,
    ) -> AccountRecord:
        """Create an account (``replace_existing`` overwrites one)."""
        ident = validate_identifier(identifier)
        validate_role(role)
        shown = validate_name(name, ident)
        if password is None and not email:
            raise InvalidAccount(
                "Un compte sans mot de passe doit avoir un e-mail (connexion OIDC)."
            )
        password_hash = self._hash(password) if password is not None else None
        moment = self.clock().isoformat(timespec="seconds")
        with self._exclusive():
            records = self.read()
            old = records.get(ident)
            if old is not None and not replace_existing:
                raise InvalidAccount(f"Le compte « {ident} » existe déjà.")
            record = AccountRecord(
                account=Account(
                    ident,
                    shown,
                    role,
                    organisation or None,
                    departement or None,
                    region or None,
                    reseau or None,
                ),
                password_hash=password_hash,
                email=email.strip().lower() if email else None,
                active=True,
                demo=demo,
                created=old.created if old else moment,
                modified=moment,
            )
            records[ident] = record
            self._write(records)
        return record

    def update(
        self,
        identifier: str,
        *,
        name: str | None = None,
        role: str | None = None,
        password: str | None = None,
        email: str | None = None,
        active: bool | None = None,
    ) -> AccountRecord:
        """Change some attributes of an existing account."""
        ident = normalise_identifier(identifier)
        password_hash = self._hash(password) if password is not None else None
        with self._exclusive():
            records = self.read()
            if ident not in records:
                raise InvalidAccount(f"Aucun compte « {ident[:100]} ».")
            record = records[ident]
            account = record.account
            if name is not None:
                account = replace(account, nom=validate_name(name, ident))
            if role is not None:
                account = replace(account, role=validate_role(role))
            record = replace(
                record,
                account=account,
                password_hash=password_hash or record.password_hash,
                email=email.strip().lower() if email else record.email,
                active=record.active if active is None else active,
                modified=self.clock().isoformat(timespec="seconds"),
            )
            records[ident] = record
            self._write(records)
        return record

    def disable(self, identifier: str) -> AccountRecord:
        """Refuse every future login of this account (kept for the audit trail)."""
        return self.update(identifier, active=False)

    def by_email(self, email: str) -> AccountRecord | None:
        """The active account admitting ``email`` through OIDC (allow-list), if any."""
        key = email.strip().lower()
        if not key:
            return None
        for record in self.read().values():
            if record.active and key in {record.email, record.account.identifiant}:
                return record
        return None

    def current(self, identifier: str) -> AccountRecord | None:
        """The stored account, if it still exists and is active."""
        record = self.read().get(normalise_identifier(identifier))
        return record if record is not None and record.active else None

    # ---- failed logins

    def unlock(self, identifier: str) -> int:
        """Forget the failures of an identifier from every client (administrator)."""
        return self.failures.forget_identifier(normalise_identifier(identifier))

    def failure_state(self, identifier: str) -> tuple[int, datetime | None]:
        """Most consecutive failures of an identifier from one client, and the end of a
        running block of it, if any."""
        return self.failures.summary(normalise_identifier(identifier), self.clock())

    def verify(self, identifier: str, password: str, client: str = LOCAL) -> LoginResult:
        """Check a login from ``client`` (see ``throttling.client_key``), counting
        failures per client and identifier and enforcing the delays."""
        s = self.settings
        ident = normalise_identifier(identifier)
        key = ident if is_valid_identifier(ident) else None  # never store junk identifiers
        now = self.clock()
        verdict = self.failures.check(client, key, now)
        if not verdict.allowed:
            return LoginResult(None, verdict.message, verdict.blocked_until)
        stored = self.read().get(key) if key else None
        if len(password) > PASSWORD_MAX:
            right = False  # never hash megabytes; counted like any wrong password
        else:
            right = passwords.check(
                stored.password_hash if stored else None,
                password,
                hasher=self.hasher,
                concurrent=s.concurrent_checks,
            )
        if not right or stored is None:
            outcome = self.failures.fail(client, key, now)
            ends = [e for e in (outcome.blocked_until, outcome.client_blocked_until) if e]
            if ends:
                until = max(ends)
                return LoginResult(None, f"{REFUSAL} {block_message(until)}", until, checked=True)
            message = REFUSAL
            if outcome.failures >= s.failures_before_delay:
                left = s.failures_before_block - outcome.failures
                message = (
                    f"{REFUSAL} Encore {plural(left, 'essai')} avant un blocage de "
                    f"{_duration_fr(s.block)}."
                )
            return LoginResult(None, message, checked=True)
        if not stored.active:
            return LoginResult(
                None, "Ce compte est désactivé : adressez-vous à l'administrateur.", checked=True
            )
        self.failures.succeed(client, stored.account.identifiant)
        if stored.password_hash and passwords.needs_rehash(stored.password_hash, self.hasher):
            self.update(stored.account.identifiant, password=password)
        return LoginResult(stored.account, demo=stored.demo, checked=True)


def _duration_fr(duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    if minutes >= 60 and minutes % 60 == 0:
        return plural(minutes // 60, "heure")
    return plural(minutes, "minute")

"""Password hashes (argon2id, RFC 9106 parameters of argon2-cffi) and their checks.

An unknown identifier is checked against a decoy hash built **once per process**, so it
costs exactly one verification, like a wrong password for a known account: the time of
an answer never tells whether an account exists. Checks run at most
``concurrent_checks`` at a time (each takes 64 Mio): a burst of attempts waits in a short
queue instead of exhausting memory, and no single lock serialises every login.
"""

from __future__ import annotations

import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher()

_decoy_lock = threading.Lock()
_decoy: str | None = None
_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def hash_password(password: str, hasher: PasswordHasher = HASHER) -> str:
    return hasher.hash(password)


def decoy_hash(hasher: PasswordHasher = HASHER) -> str:
    """A hash of a random secret, built the first time it is needed, then kept."""
    global _decoy
    if _decoy is None:
        with _decoy_lock:
            if _decoy is None:
                _decoy = hasher.hash(secrets.token_urlsafe(24))
    return _decoy


def _slots_for(concurrent: int) -> threading.BoundedSemaphore:
    with _slots_lock:
        if concurrent not in _slots:
            _slots[concurrent] = threading.BoundedSemaphore(concurrent)
        return _slots[concurrent]


def check(
    password_hash: str | None,
    password: str,
    *,
    hasher: PasswordHasher = HASHER,
    concurrent: int = 4,
) -> bool:
    """Whether ``password`` matches ``password_hash``; a missing hash (unknown identifier,
    account admitted through OIDC only) costs one verification of the decoy and fails."""
    target = password_hash or decoy_hash(hasher)
    with _slots_for(concurrent):
        try:
            matched: bool = hasher.verify(target, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            matched = False
    return matched and password_hash is not None


def needs_rehash(password_hash: str, hasher: PasswordHasher = HASHER) -> bool:
    return hasher.check_needs_rehash(password_hash)


def random_password() -> str:
    """A random password (about 120 bits), easy to copy: letters, digits and dashes."""
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    groups = ["".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4)]
    return "-".join(groups)

"""Failed logins, counted so that an attacker cannot turn them against a juror.

Two counters, both keyed by the **client** (the address of the browser, or the one a
trusted reverse proxy passes in a header; an IPv6 address counts by its /64 network):

- one identifier tried from one client: after a few failures each new try waits
  (doubling delay), after more this client is blocked for this identifier for a while;
- one client, whatever identifiers it tries: after many failures the client is blocked.

Failures of an identifier from elsewhere never block a juror on their own client: there
is deliberately no lock per identifier alone (it is exactly what would let anyone keep a
juror out). A distributed guesser is held back by the per-client limits, by argon2id and
by passwords of 12 characters at least.

State lives in a small SQLite file beside the accounts file (shared by the app and
``trophees comptes``, which lifts blocks): bounded — identifiers longer than the longest
valid one are never stored, rows expire, and the table never holds more than
:data:`MAX_ROWS` rows. Each transaction is short; the password check happens outside.
"""

from __future__ import annotations

import contextlib
import ipaddress
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dashboard.accounts.settings import AccountSettings
from etl import files
from etl.french import format_datetime

ANY_IDENTIFIER = ""
"""Identifier column of a client's own counter (all identifiers together)."""
LOCAL = "local"
"""Client of a connection without an address (the same machine, tests)."""
MAX_ROWS = 20_000
KEEP = timedelta(days=1)
"""Failures older than this (and not blocking) are forgotten."""

SCHEMA = """
create table if not exists echecs (
    client text not null,
    identifiant text not null,
    echecs integer not null,
    dernier real not null,
    bloque_jusqu_a real,
    primary key (client, identifiant)
);
create index if not exists echecs_dernier on echecs (dernier);
"""


def client_key(address: str | None) -> str:
    """The throttling key of a client address: the address itself (IPv4), its /64
    network (IPv6), :data:`LOCAL` without one; anything unparsable counts as one client."""
    if not address:
        return LOCAL
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "invalide"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class Verdict:
    """Whether a try may go on to the password check, else why not (French)."""

    allowed: bool
    message: str | None = None
    blocked_until: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """What a counted failure led to."""

    failures: int
    blocked_until: datetime | None
    client_blocked_until: datetime | None


def _ts(moment: datetime) -> float:
    return moment.timestamp()


def _moment(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


class FailureLog:
    """The failure counters of one accounts file."""

    def __init__(self, path: Path, settings: AccountSettings) -> None:
        self.path = path
        self.settings = settings

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with (
            files.sqlite_database(self.path, SCHEMA, synchronous="normal") as con,
            files.sqlite_transaction(con),
        ):
            yield con
        with contextlib.suppress(OSError):
            self.path.chmod(0o600)

    def _row(
        self, con: sqlite3.Connection, client: str, identifier: str
    ) -> tuple[int, float, float | None] | None:
        row = con.execute(
            "select echecs, dernier, bloque_jusqu_a from echecs "
            "where client = ? and identifiant = ?",
            (client, identifier),
        ).fetchone()
        return None if row is None else (int(row[0]), float(row[1]), row[2])

    def check(self, client: str, identifier: str | None, now: datetime) -> Verdict:
        """Whether ``client`` may try ``identifier`` now (``None``: an identifier that
        cannot exist, counted for the client only)."""
        s = self.settings
        with self._transaction() as con:
            own = self._row(con, client, ANY_IDENTIFIER)
            pair = self._row(con, client, identifier) if identifier else None
        for row in (own, pair):
            if row is not None and row[2] is not None and _ts(now) < row[2]:
                until = _moment(row[2])
                assert until is not None
                return Verdict(False, block_message(until), until)
        if pair is not None:
            failures, last, _ = pair
            next_try = _moment(last)
            assert next_try is not None
            next_try += s.delay_after(failures)
            if failures and now < next_try:
                seconds = max(1, int((next_try - now).total_seconds() + 0.999))
                return Verdict(False, f"Trop d'essais rapprochés : réessayez dans {seconds} s.")
        return Verdict(True)

    def fail(self, client: str, identifier: str | None, now: datetime) -> Outcome:
        """Count a failed password check of ``identifier`` from ``client``."""
        s = self.settings
        with self._transaction() as con:
            own = self._bump(con, client, ANY_IDENTIFIER, now, s.client_failures_before_block)
            pair = (
                self._bump(con, client, identifier, now, s.failures_before_block)
                if identifier
                else (0, None)
            )
            self._trim(con, now)
        return Outcome(pair[0], pair[1], own[1])

    def _bump(
        self, con: sqlite3.Connection, client: str, identifier: str, now: datetime, limit: int
    ) -> tuple[int, datetime | None]:
        s = self.settings
        row = self._row(con, client, identifier)
        # a pair's failures are consecutive ones (kept a day); a client's, those less than
        # a block's length apart
        horizon = KEEP if identifier else s.client_block
        failures = 0
        if row is not None:
            failures, last, until = row
            ended = until is not None and _ts(now) >= until
            stale = _ts(now) - last > horizon.total_seconds()
            if ended or stale:
                failures = 0
        failures += 1
        blocked = now + (s.block if identifier else s.client_block) if failures >= limit else None
        con.execute(
            "insert into echecs values (?, ?, ?, ?, ?) on conflict (client, identifiant) "
            "do update set echecs = excluded.echecs, dernier = excluded.dernier, "
            "bloque_jusqu_a = excluded.bloque_jusqu_a",
            (client, identifier, failures, _ts(now), _ts(blocked) if blocked else None),
        )
        return failures, blocked

    def _trim(self, con: sqlite3.Connection, now: datetime) -> None:
        """Forget old failures; never keep more than :data:`MAX_ROWS` rows."""
        con.execute(
            "delete from echecs where dernier < ? and coalesce(bloque_jusqu_a, 0) < ?",
            (_ts(now - KEEP), _ts(now)),
        )
        (count,) = con.execute("select count(*) from echecs").fetchone()
        if count > MAX_ROWS:
            con.execute(
                "delete from echecs where rowid in "
                "(select rowid from echecs order by dernier limit ?)",
                (count - MAX_ROWS,),
            )

    def succeed(self, client: str, identifier: str) -> None:
        """A right password from ``client``: its failures on this identifier are forgotten
        (not those of other clients, nor the client's own count)."""
        with self._transaction() as con:
            con.execute(
                "delete from echecs where client = ? and identifiant = ?", (client, identifier)
            )

    def forget_identifier(self, identifier: str) -> int:
        """Lift every block and delay of ``identifier`` (administrator's decision)."""
        with self._transaction() as con:
            return con.execute("delete from echecs where identifiant = ?", (identifier,)).rowcount

    def forget_client(self, client: str) -> int:
        """Lift every block of one client (administrator's decision)."""
        with self._transaction() as con:
            return con.execute("delete from echecs where client = ?", (client,)).rowcount

    def summary(self, identifier: str, now: datetime) -> tuple[int, datetime | None]:
        """Most consecutive failures of ``identifier`` from one client, and the latest end
        of a block of it (any client), if one is running."""
        if not self.path.exists():
            return 0, None
        with self._transaction() as con:
            rows = con.execute(
                "select echecs, bloque_jusqu_a from echecs where identifiant = ?", (identifier,)
            ).fetchall()
        failures = max((int(r[0]) for r in rows), default=0)
        ends = [r[1] for r in rows if r[1] is not None and r[1] > _ts(now)]
        return failures, _moment(max(ends)) if ends else None

    def size(self) -> int:
        """Rows held (tests: the state stays bounded)."""
        if not self.path.exists():
            return 0
        with self._transaction() as con:
            (count,) = con.execute("select count(*) from echecs").fetchone()
        return int(count)


def block_message(until: datetime) -> str:
    """French message saying until when logins are blocked (Paris time)."""
    return (
        "Trop d'échecs de connexion : connexion bloquée jusqu'au "
        f"{format_datetime(until)} (heure de Paris)."
    )

"""Retention of personal data: contacts are erased N months after an edition's ceremony.

The contacts of the candidatures (names, e-mails, phones of the project's referents) are
only needed to run the edition. ``config/app.toml`` sets how long they are kept after the
ceremony (``[conservation] contacts_mois``); ``trophees purge`` lists the editions that are
due and, with ``--confirmer``, erases their contacts from the warehouse (a new file is
written and swapped in, so erased rows do not linger in the old file's free pages) and
deletes their exports under ``data/raw/<édition>/``. Jury scores and candidatures stay.
"""

from __future__ import annotations

import calendar
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from etl import paths, settings, warehouse
from etl.editions import load_editions
from etl.french import format_date, plural

DEFAULT_MONTHS = 6


def retention_months(config: Path | None = None) -> int:
    """Months contacts are kept after the ceremony (``[conservation] contacts_mois`` of
    ``config/app.toml``)."""
    return settings.app_settings(config).conservation.contacts_mois


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Due:
    """One edition whose contacts are (or will be) due for erasure."""

    edition: int
    ceremonie: date
    echeance: date
    contacts: int
    fichiers: tuple[Path, ...]

    def describe_fr(self) -> str:
        fichiers = (
            f"{plural(len(self.fichiers), 'fichier')} sous {raw_dir(self.edition)}"
            if self.fichiers
            else "aucun export sous data/raw"
        )
        return (
            f"Édition {self.edition} : cérémonie du {format_date(self.ceremonie)}, contacts à "
            f"effacer depuis le {format_date(self.echeance)} — "
            f"{plural(self.contacts, 'ligne')} de contacts, {fichiers}."
        )


def due_editions(today: date, months: int, target: Path | None = None) -> list[Due]:
    """Editions whose ceremony + ``months`` is on or before ``today`` and that still hold
    contacts or raw exports."""
    target = target or paths.warehouse_path()
    counts: dict[int, int] = {}
    if target.exists():
        con = duckdb.connect(str(target), read_only=True)
        try:
            rows = con.execute("select edition, count(*) from contacts group by edition")
            counts = {int(e): int(n) for e, n in rows.fetchall()}
        finally:
            con.close()
    result = []
    for year, edition in sorted(load_editions().items()):
        ceremonie = edition.calendrier.ceremonie.date()
        echeance = add_months(ceremonie, months)
        raw = raw_dir(year)
        fichiers = tuple(sorted(p for p in raw.rglob("*") if p.is_file())) if raw.exists() else ()
        if echeance <= today and (counts.get(year, 0) or fichiers):
            result.append(Due(year, ceremonie, echeance, counts.get(year, 0), fichiers))
    return result


def purge(due: list[Due], today: date, target: Path | None = None) -> dict[int, int]:
    """Erase the contacts of ``due`` editions and delete their raw exports."""
    target = target or paths.warehouse_path()
    erased: dict[int, int] = {}
    if target.exists():
        erased = warehouse.purge_contacts(
            [d.edition for d in due],
            motif=f"conservation échue le {today.isoformat()}",
            warehouse=target,
        )
    for d in due:
        shutil.rmtree(raw_dir(d.edition), ignore_errors=True)
    return erased


def raw_dir(edition: int) -> Path:
    """Where an edition's form exports are kept (``data/raw/<édition>/``)."""
    return paths.data_dir() / "raw" / str(edition)

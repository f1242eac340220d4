"""Spreadsheet exports of the whole product: CSV and XLSX a French spreadsheet opens safely.

Every download of every page and every file of the press kit that holds a table goes
through :func:`csv_bytes` or :func:`xlsx_bytes` (pure: frame in, bytes out).

- **CSV**: UTF-8 *with* a byte-order mark (French Excel reads UTF-8 only with it), ``;``
  between fields, and a **decimal comma** (``12,5``): French Excel, with ``;`` as list
  separator, reads ``12.5`` as text or even as a date, while ``12,5`` is a number.
- **Formula injection**: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is read as a formula by Excel or LibreOffice (``=HYPERLINK(…)`` or
  worse). In a CSV such a cell gets a leading apostrophe (``'=HYPERLINK(…)``), which shows
  the text as typed (OWASP's advice). In an XLSX it is written as a *string* cell with
  Excel's « quote prefix » style (what Excel itself stores when one types ``'=…``): no
  ``<f>`` formula element can appear, and the text keeps its exact value.
- **Types are kept**: only text columns are neutralised. A negative amount in a numeric
  column stays a number (``-6``); a phone number typed ``+33 1 …`` is text, so it is
  neutralised like any text.
- **Communication role**: an export for ``role="communication"`` refuses (French
  :class:`DonneesPersonnellesRefusees`) a frame with a contact-like column (e-mail,
  téléphone, nom du contact…) or a text cell that looks like an e-mail or a phone number.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import phonenumbers
import polars as pl
import xlsxwriter

from etl.editions.model import normalise_header
from etl.french import PARIS

DECLENCHEURS_FORMULE = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_PATTERN = r"^[=+\-@\t\r]"

ROLE_COMMUNICATION = "communication"

MOTS_CONTACT = (
    "email",
    "e mail",
    "mail",
    "courriel",
    "telephone",
    "tel",
    "portable",
    "mobile",
    "phone",
    "contact",
    "repondant",
    "referent",
    "nom prenom",
    "prenom",
)
"""Words (normalised: no case, accents or punctuation) of a contact-like column name."""

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TELEPHONE = re.compile(
    r"(?<![\w.,\-])(?:(?:\+|00)33[\s.\-]?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?!\d)"
)
"""French phone numbers: ``06 12 34 56 78``, ``06.12.34.56.78``, ``+33 6 12 34 56 78``."""
HIDDEN_EMAIL = re.compile(
    r"[\w.+-]+\s*(?:@|[\[({]\s*(?:at|arobase)\s*[\])}]|\s(?:at|arobase)\s)\s*[\w-]+"
    r"(?:\s*(?:\.|[\[({]\s*(?:dot|point)\s*[\])}]|\s(?:dot|point)\s)\s*[\w-]+)+",
    re.IGNORECASE,
)
"""An e-mail address written to dodge filters: ``x [at] example.org``, ``x (at) exemple
point fr``, ``x arobase exemple.fr``, ``x @ exemple.fr``."""
_DIGITS = re.compile(r"\d")
_SLASH_BETWEEN_DIGITS = re.compile(r"(?<=\d)/(?=\d)")


def looks_personal(text: str) -> bool:
    """Whether ``text`` holds something like an e-mail address or a phone number.

    Phone numbers are found by ``phonenumbers`` (Google's libphonenumber, French region):
    ``+33 (0)6 12 34 56 78``, ``0612345678``, ``+33 6…``, foreign numbers with their
    prefix; slashes between digits count as spaces (``06/12/34/56/78``), a date does not
    make a valid number. The regular expression stays as a second net.
    """
    if EMAIL.search(text) or HIDDEN_EMAIL.search(text) or TELEPHONE.search(text):
        return True
    if len(_DIGITS.findall(text)) < 8:
        return False
    spaced = _SLASH_BETWEEN_DIGITS.sub(" ", text)
    matcher = phonenumbers.PhoneNumberMatcher(spaced, "FR", leniency=phonenumbers.Leniency.VALID)
    return matcher.has_next()


class DonneesPersonnellesRefusees(ValueError):
    """An export for the communication role would contain personal data (French message)."""


def neutralised(column: pl.Expr) -> pl.Expr:
    """A text column whose cells that would run as formulas start with ``'``."""
    return pl.when(column.str.contains(_PATTERN)).then("'" + column).otherwise(column)


def contact_columns(columns: Iterable[str]) -> list[str]:
    """Column names that look like contact data (``E-mail``, ``contact_telephone``…)."""
    found = []
    for name in columns:
        words = f" {normalise_header(name)} "
        if (
            any(f" {mot} " in words for mot in MOTS_CONTACT)
            or "mail" in words.replace(" ", "")
            or "telephone" in words.replace(" ", "")
        ):
            found.append(name)
    return found


def personal_cells(frame: pl.DataFrame) -> list[str]:
    """``colonne : valeur`` of the first text cells that look like an e-mail or a phone."""
    hits: list[str] = []
    for name, dtype in frame.schema.items():
        if dtype != pl.String:
            continue
        for value in frame[name].drop_nulls().to_list():
            if looks_personal(value):
                hits.append(name)
                break
    return hits


def refuse_personal_data(frame: pl.DataFrame, role: str | None) -> None:
    """Raise :class:`DonneesPersonnellesRefusees` when ``role`` is communication and the
    frame has contact-like columns or e-mail/phone-like text; do nothing otherwise."""
    if role != ROLE_COMMUNICATION:
        return
    columns = contact_columns(frame.columns)
    if columns:
        raise DonneesPersonnellesRefusees(
            "Export refusé pour le rôle communication : colonnes de contact "
            f"({', '.join(columns)}). Les sorties de communication ne contiennent jamais "
            "de données personnelles ; retirez ces colonnes."
        )
    cells = personal_cells(frame)
    if cells:
        raise DonneesPersonnellesRefusees(
            "Export refusé pour le rôle communication : des cellules ressemblent à une "
            f"adresse e-mail ou à un numéro de téléphone (colonnes {', '.join(cells)})."
        )


def _flattened(frame: pl.DataFrame) -> pl.DataFrame:
    """List cells joined with `` | `` (a spreadsheet cell holds one value)."""
    lists = [n for n, t in frame.schema.items() if isinstance(t, pl.List)]
    return frame.with_columns(pl.col(n).cast(pl.List(pl.String)).list.join(" | ") for n in lists)


def csv_bytes(frame: pl.DataFrame, *, role: str | None) -> bytes:
    """The frame as a CSV for French spreadsheets: UTF-8 with BOM, ``;``, decimal comma,
    formulas neutralised. ``role``: the signed-in role (None for the CLI's admin work)."""
    refuse_personal_data(frame, role)
    text = _flattened(frame)
    text = text.with_columns(
        neutralised(pl.col(name)).alias(name)
        for name, dtype in text.schema.items()
        if dtype == pl.String
    )
    text = text.with_columns(
        pl.col(n).dt.convert_time_zone(str(PARIS)).dt.replace_time_zone(None)
        for n, t in text.schema.items()
        if isinstance(t, pl.Datetime) and t.time_zone is not None
    )
    body = text.write_csv(
        separator=";",
        decimal_comma=True,
        date_format="%d/%m/%Y",
        datetime_format="%d/%m/%Y %H:%M",
    )
    return "\ufeff".encode() + body.encode("utf-8")


def _cell(value: Any) -> Any:
    """A Python value as xlsxwriter writes it (aware times in Paris, naive)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(PARIS).replace(tzinfo=None)
    return value


def xlsx_bytes(frame: pl.DataFrame, *, role: str | None, feuille: str = "Données") -> bytes:
    """The frame as an XLSX workbook of one sheet: text cells are strings (never formulas,
    a formula-like text gets Excel's quote prefix), numbers numbers, dates dates."""
    return xlsx_workbook({feuille: frame}, role=role)


def xlsx_workbook(feuilles: Mapping[str, pl.DataFrame], *, role: str | None) -> bytes:
    """Several frames as the sheets of one XLSX workbook (sheet name → frame), each
    written as :func:`xlsx_bytes` writes its one sheet."""
    for frame in feuilles.values():
        refuse_personal_data(frame, role)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    for name, frame in feuilles.items():
        _write_sheet(book, name, _flattened(frame))
    book.close()
    return buffer.getvalue()


def _write_sheet(book: xlsxwriter.Workbook, feuille: str, flat: pl.DataFrame) -> None:
    sheet = book.add_worksheet(feuille[:31])
    header = book.add_format({"bold": True})
    quoted = book.add_format({"quote_prefix": True})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    moment = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for col, name in enumerate(flat.columns):
        sheet.write_string(0, col, name, header)
        sheet.set_column(col, col, min(60, max(10, len(name) + 2)))
    for col, (name, dtype) in enumerate(flat.schema.items()):
        for row, raw in enumerate(flat[name].to_list(), start=1):
            value = _cell(raw)
            if value is None:
                continue
            if dtype == pl.String:
                fmt = quoted if str(value).startswith(DECLENCHEURS_FORMULE) else None
                sheet.write_string(row, col, str(value), fmt)
            elif isinstance(value, bool):
                sheet.write_boolean(row, col, value)
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(row, col, value, moment)
            elif isinstance(value, date):
                sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
            else:
                sheet.write_string(row, col, str(value))
    sheet.freeze_panes(1, 0)

"""French text for people: numbers, hours, shares, dates, plurals and accent folding.

One module for the whole product (pages, messages, exports, generated documents). French
typography groups thousands with a narrow no-break space (U+202F) and writes a decimal
comma: ``18 230``, ``45,2``, ``10 %``, ``29 000 000 h``. The symbols and the plural rule
come from the CLDR data of Babel, read once at import; the formatting itself stays plain
string work, because pages format thousands of cells per rerun.
"""

from __future__ import annotations

import operator
import struct
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo

import polars as pl
import pyuca
from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

LOCALE = Locale.parse("fr_FR")
NARROW_NBSP = "\u202f"
"""Narrow no-break space (U+202F): thousands separator, and before « % », « h », « Mo »."""
GROUP = get_group_symbol(LOCALE)
DECIMAL = get_decimal_symbol(LOCALE)
assert GROUP == NARROW_NBSP and DECIMAL == ",", "CLDR French symbols changed"

PARIS = ZoneInfo("Europe/Paris")
"""Time zone in which dates and times are shown to people."""

T = TypeVar("T")

_MONTHS = tuple(LOCALE.months["format"]["wide"][m] for m in range(1, 13))


def format_integer(n: int) -> str:
    """An integer with French thousands grouping: ``18230`` → ``18 230`` (U+202F)."""
    sign = "-" if n < 0 else ""
    return sign + f"{abs(n):,}".replace(",", GROUP)


def format_decimal(x: float, places: int = 1) -> str:
    """A decimal number in French: ``1234.56`` → ``1 234,6`` (grouping U+202F, comma)."""
    text = f"{x:,.{places}f}"
    return text.replace(",", GROUP).replace(".", DECIMAL)


def format_number(x: float, places: int = 1) -> str:
    """A number rounded to ``places`` decimals, without a trailing ``,0`` when the rounded
    value is whole: ``12.0`` → ``12``, ``12.34`` → ``12,3``, ``1234.96`` → ``1 235``."""
    rounded = round(x, places)
    if float(rounded).is_integer():
        return format_integer(int(rounded))
    return format_decimal(rounded, places)


def format_ordinal(n: int, feminine: bool = False) -> str:
    """A rank: ``1`` → « 1er » (« 1re » in the feminine), ``2`` → « 2e »."""
    if n == 1:
        return "1re" if feminine else "1er"
    return f"{format_integer(n)}e"


def format_percent(points: float, places: int = 0) -> str:
    """A value already in percentage points: ``12.5`` → ``12,5 %`` (U+202F before « % »)."""
    if places == 0 and float(points).is_integer():
        return f"{format_integer(int(points))}{NARROW_NBSP}%"
    return f"{format_decimal(points, places)}{NARROW_NBSP}%"


def format_share(fraction: float, places: int = 1) -> str:
    """A share given as a fraction: ``0.125`` → ``12,5 %``; ``0.30`` → ``30 %``."""
    return f"{format_number(fraction * 100, places)}{NARROW_NBSP}%"


def format_hours(n: float) -> str:
    """A number of hours: ``29000000`` → ``29 000 000 h``; ``3448.7`` → ``3 448,7 h``."""
    return f"{format_number(n, 1)}{NARROW_NBSP}h"


def format_if_number(text: str | None, empty: str = "") -> str:
    """A value kept as text, the French way when it is a number: ``"524925"`` →
    ``524 925``, ``"1234.5"`` → ``1 234,5``; other text as it is; ``empty`` for None."""
    if text is None:
        return empty
    try:
        number = float(text)
    except ValueError:
        return text
    return format_number(number, 0 if number.is_integer() else 1)


def format_size_mb(size_bytes: int) -> str:
    """A file size in megabytes (2**20 bytes): ``25,3 Mo``, ``20 Mo``."""
    return f"{format_number(size_bytes / 2**20, 1)}{NARROW_NBSP}Mo"


def format_date(d: date) -> str:
    """A calendar date: ``2023-11-21`` → ``21/11/2023`` (an aware datetime is read in Paris)."""
    if isinstance(d, datetime) and d.tzinfo is not None:
        d = d.astimezone(PARIS)
    return d.strftime("%d/%m/%Y")


def format_datetime(moment: datetime) -> str:
    """A moment, in Paris time when it is aware: ``21/11/2023 à 08:24``."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(PARIS)
    return moment.strftime("%d/%m/%Y à %H:%M")


def format_long_date(moment: date, *, with_time: bool = False) -> str:
    """A date in words: ``2024-11-08`` → « 8 novembre 2024 », the first of the month as
    « 1er »; with ``with_time`` « … à 16 h 00 » (and seconds when there are any). An aware
    moment is written in its own time zone (an edition's calendar says which)."""
    day = "1er" if moment.day == 1 else str(moment.day)
    text = f"{day} {_MONTHS[moment.month - 1]} {moment.year}"
    if with_time and isinstance(moment, datetime):
        text += f" à {moment.hour} h {moment.minute:02d}"
        if moment.second:
            text += f" min {moment.second:02d} s"
    return text


def is_singular(n: float) -> bool:
    """Whether French uses the singular for ``n`` (CLDR: 0 and 1, and any number below 2,
    take the singular: « 0 candidature », « 1,5 heure »)."""
    return LOCALE.plural_form(abs(n)) == "one"


def plural(n: float, singular: str, plural_form: str | None = None) -> str:
    """``n`` followed by the word it counts, agreed the French way: « 0 candidature »,
    « 1 candidature », « 12 candidatures », « 1 234 candidatures ». ``plural_form``
    defaults to ``singular + "s"``; give it for « 3 travaux », « 2 lauréats décidés »."""
    word = singular if is_singular(n) else (plural_form or singular + "s")
    number = format_integer(int(n)) if float(n).is_integer() else format_number(n, 1)
    return f"{number} {word}"


def agree(n: float, singular: str, plural_form: str | None = None) -> str:
    """The word alone, agreed with ``n``: « affecté » / « affectés »."""
    return singular if is_singular(n) else (plural_form or singular + "s")


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def fold_accents(text: str) -> str:
    """Text without diacritics, ligatures spelled out: « Châlons-en-Champagne » →
    « Chalons-en-Champagne », « Œuvre » → « OEuvre ». Case is kept: callers fold it
    as their matching needs (``upper()``, ``casefold()``)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _collator() -> pyuca.Collator:
    # the Unicode Collation Algorithm's default table (DUCET) is CLDR's order for French:
    # accents and case only break ties, ligatures sort as their letters (« Œ » = « OE »)
    return pyuca.Collator()


COLLATION_CACHE = 65_536
"""Names whose sort key is kept (a page sorts the same thousands of names at every rerun;
the key costs microseconds to compute, a few hundred bytes to keep)."""


_LEVELS = 4
_SEPARATOR = struct.pack(">H", 0)
_LEVEL_OF = [operator.itemgetter(level) for level in range(_LEVELS)]


_Entry = tuple[tuple[bytes, ...], frozenset[int]]


@cache
def _character_entry(character: str) -> _Entry | None:
    """One character's weights, level by level, each level's non-zero weights packed as in
    a key; and the characters that, following it, would start a contraction (« L » then
    « · »). None when the table has no entry of its own for it (pyuca computes an
    implicit weight: the string goes through pyuca)."""
    node = _collator().table.root.children.get(ord(character))
    if node is None or not node.value:
        return None
    levels = tuple(
        b"".join(struct.pack(">H", e[level]) for e in node.value if len(e) > level and e[level])
        for level in range(_LEVELS)
    )
    return levels, frozenset(node.children or ())


@lru_cache(maxsize=COLLATION_CACHE)
def collation_key(text: str | None) -> bytes:
    """The French sort key of a name: « Île-de-France » sorts among the I, « Écully »
    among the E, case and accents only break ties (Unicode Collation Algorithm, pyuca).
    A missing name sorts first. The key's weights (16 bits each in the UCA tables) are
    packed big-endian in bytes: bytes compare as the weights do, in less memory.

    A name is keyed from a per-character table, the weights pyuca would find, unless a
    character may combine with the next one (a contraction, a combining mark after a
    contraction's first letter) or has no entry: then pyuca reads it whole (tested equal
    to pyuca on random text)."""
    decomposed = unicodedata.normalize("NFD", text or "")
    entries = []
    starters: frozenset[int] = frozenset()  # what would extend the previous character
    for character in decomposed:
        entry = _character_entry(character)
        if entry is None or (
            starters and (ord(character) in starters or unicodedata.combining(character))
        ):
            weights = _collator().sort_key(text or "")
            return struct.pack(f">{len(weights)}H", *weights)
        levels, starters = entry
        entries.append(levels)
    return _SEPARATOR.join([b"".join(map(_LEVEL_OF[level], entries)) for level in range(_LEVELS)])


def sorted_by_name(items: Iterable[T], name: Callable[[T], str | None] = str) -> list[T]:
    """``items`` in French alphabetical order of ``name(item)`` (one order for every list
    people read: filters, choosers, tables)."""
    return sorted(items, key=lambda item: collation_key(name(item)))


def sort_frame_by_name(
    frame: pl.DataFrame, *columns: str, then: Sequence[str] = ()
) -> pl.DataFrame:
    """The rows of ``frame`` in French alphabetical order of ``columns`` (each next column
    breaking ties), then in plain order of ``then`` (codes and ids: nothing to collate).

    Each column's distinct names are keyed once and ranked; the frame is then sorted on
    the ranks by polars (100 000 rows repeat a few thousand names)."""
    ranks = []
    for column in columns:
        name = pl.col(column).cast(pl.String).fill_null("")  # (a missing name sorts first)
        ordered = sorted(frame.select(name.unique()).to_series().to_list(), key=collation_key)
        ranks.append(name.replace_strict(ordered, range(len(ordered)), return_dtype=pl.Int64))
    if not ranks and not then:
        return frame
    return frame.sort([*ranks, *then], maintain_order=True)

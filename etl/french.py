"""French number formatting for text the ETL writes for people (explanations, summaries).

French typography groups thousands with a narrow no-break space (U+202F) and uses a comma
as decimal separator: ``18 230``, ``45,2``, ``10 %``. The narrow no-break space keeps a
figure on one line and is what INSEE publications use.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

ESPACE_FINE = "\u202f"
"""Narrow no-break space (U+202F): thousands separator and space before « % »."""


def format_entier(n: int) -> str:
    """An integer with French thousands grouping: ``18230`` → ``18 230`` (U+202F)."""
    signe = "-" if n < 0 else ""
    return signe + f"{abs(n):,}".replace(",", ESPACE_FINE)


def format_decimal(x: float, decimales: int = 1) -> str:
    """A decimal number in French: ``1234.56`` → ``1 234,6`` (grouping U+202F, comma)."""
    texte = f"{x:,.{decimales}f}"
    return texte.replace(",", ESPACE_FINE).replace(".", ",")


def format_pourcentage(points: float, decimales: int = 0) -> str:
    """A value already expressed in percentage points: ``12.5`` → ``12,5 %`` (U+202F)."""
    if decimales == 0 and float(points).is_integer():
        return f"{format_entier(int(points))}{ESPACE_FINE}%"
    return f"{format_decimal(points, decimales)}{ESPACE_FINE}%"


FUSEAU_PARIS = ZoneInfo("Europe/Paris")
"""Time zone in which dates and times are shown to people."""


def format_heures(n: int) -> str:
    """A number of hours: ``29000000`` → ``29 000 000 h`` (U+202F grouping and before « h »)."""
    return f"{format_entier(n)}{ESPACE_FINE}h"


def format_part(fraction: float, decimales: int = 1) -> str:
    """A share given as a fraction: ``0.125`` → ``12,5 %``; ``0.30`` → ``30 %``.

    Rounded to ``decimales`` places; a result that is a whole number loses its ``,0``.
    """
    points = round(fraction * 100, decimales)
    if float(points).is_integer():
        return format_pourcentage(int(points))
    return format_pourcentage(points, decimales)


def format_date(d: date) -> str:
    """A calendar date: ``2023-11-21`` → ``21/11/2023`` (an aware datetime is read in Paris)."""
    if isinstance(d, datetime) and d.tzinfo is not None:
        d = d.astimezone(FUSEAU_PARIS)
    return d.strftime("%d/%m/%Y")


def format_date_heure(moment: datetime) -> str:
    """A moment, in Paris time when it is aware: ``21/11/2023 à 08:24``."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(FUSEAU_PARIS)
    return moment.strftime("%d/%m/%Y à %H:%M")

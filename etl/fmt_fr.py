"""French number formatting for text the ETL writes for people (explanations, summaries).

French typography groups thousands with a narrow no-break space (U+202F) and uses a comma
as decimal separator: ``18 230``, ``45,2``, ``10 %``. The narrow no-break space keeps a
figure on one line and is what INSEE publications use.
"""

from __future__ import annotations

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

"""The fonts of every generated PDF: DejaVu Sans (Debian ``fonts-dejavu-core``, installed
by ``make chromium``), which has every French letter and the narrow no-break space
(U+202F) of French numbers."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"


class PoliceAbsente(RuntimeError):
    """The DejaVu fonts are missing (French message saying which package to install)."""


def check_fonts() -> None:
    """Raise :class:`PoliceAbsente` (in French) when the fonts are not installed."""
    if not REGULAR.exists() or not BOLD.exists():
        raise PoliceAbsente(
            f"Police DejaVu introuvable ({REGULAR}) : installez le paquet Debian "
            "« fonts-dejavu-core » (make chromium)."
        )

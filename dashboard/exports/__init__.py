"""The product's one export module (no streamlit import).

- :mod:`dashboard.exports.spreadsheets`: CSV and XLSX for French spreadsheets, formula cells
  neutralised, personal data refused for the communication role;
- :mod:`dashboard.exports.images`: any Plotly chart or map as PNG or SVG (kaleido with
  Debian's Chromium, base map served from ``dashboard/static``: works offline).
"""

from dashboard.exports.spreadsheets import (
    DECLENCHEURS_FORMULE,
    DonneesPersonnellesRefusees,
    csv_bytes,
    refuse_personal_data,
    xlsx_bytes,
    xlsx_workbook,
)

__all__ = [
    "DECLENCHEURS_FORMULE",
    "DonneesPersonnellesRefusees",
    "csv_bytes",
    "refuse_personal_data",
    "xlsx_bytes",
    "xlsx_workbook",
]

"""A file chooser that speaks French.

``st.file_uploader`` draws its button (« Upload ») and its instructions (« 20MB per file •
CSV, XLSX ») in English, with no parameter to change them. :func:`file_chooser` draws the
same widget and a style sheet, scoped to that widget's key, that hides those two English
texts and shows French ones in their place (« Parcourir », « 20 Mo au plus par fichier ·
CSV, XLSX »). The style sheet is written from code only: no typed text goes into it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import streamlit as st

from etl.french import NARROW_NBSP

_KEY = re.compile(r"[a-z0-9_-]+")


def french_style(key: str, types: Sequence[str], max_mb: int) -> str:
    """The ``<style>`` block giving the chooser of widget ``key`` its French texts."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"clé de widget inattendue : {key!r}")
    kinds = ", ".join(t.upper() for t in types if re.fullmatch(r"[a-z0-9]+", t))
    instructions = f"{max_mb}{NARROW_NBSP}Mo au plus par fichier" + (f" · {kinds}" if kinds else "")
    scope = f".st-key-{key}"
    # the chooser's own button, not a chosen file's delete button
    chip = '[data-testid="stFileChipDeleteBtn"]'
    button = f'{scope} [data-testid="stFileUploaderDropzone"] button:not({chip}):not({chip} *)'
    consignes = f'{scope} [data-testid="stFileUploaderDropzoneInstructions"]'
    return (
        "<style>"
        f'{button}, {button} *:not([data-testid="stIconMaterial"]) {{font-size: 0;}}'
        f'{button} [data-testid="stIconMaterial"] {{font-size: 1.25rem;}}'
        f'{button}::after {{content: "Parcourir"; font-size: 0.875rem;}}'
        f"{consignes} * {{font-size: 0;}}"
        f'{consignes}::after {{content: "{instructions}"; font-size: 0.875rem;'
        " color: rgba(49, 51, 63, 0.6);}"
        "</style>"
    )


def file_chooser(
    label: str, *, types: Sequence[str], key: str, max_mb: int, help: str | None = None
) -> Any:
    """``st.file_uploader`` with French button and instructions (see module docstring)."""
    st.html(french_style(key, types, max_mb))
    return st.file_uploader(label, type=list(types), key=key, help=help)

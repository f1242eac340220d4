"""Text typed by someone else, shown exactly as typed: never as Markdown, never as HTML.

Streamlit renders Markdown in ``st.table`` cells and headers, captions, alerts, metric
labels, expander and tab labels, help texts and radio options. A form answer such as
``![p](http://ailleurs.example/pixel.png)`` would there fetch a remote image (the reader's
address and reading time leak to whoever typed it) and a link would be clickable. Every
such place goes through :func:`escape`: each ASCII punctuation character gets a
backslash, which CommonMark defines as « this character, literally » — no link, image,
emphasis, HTML, LaTeX or Streamlit directive can start. Web and e-mail addresses are
found again in the text after parsing (GFM « autolink literals », checked in Chromium):
an invisible WORD JOINER (U+2060) after each ``:`` and inside ``www.`` keeps them from
becoming links. An e-mail address still becomes a ``mailto:`` link (harmless, and an
administrator copies a contact's address intact). ``st.text``,
``st.dataframe`` and widget options already show plain text and need nothing.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl
import pyarrow as pa
import streamlit as st

from etl.frames import apply

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_START_SPACES = re.compile(r"(?m)^( +)")
_WWW = re.compile(r"(?i)(www)(\\\.)")
WORD_JOINER = "\u2060"


def escape(text: object) -> str:
    """``text`` made literal for Streamlit's Markdown (``None`` gives an empty string)."""
    if text is None:
        return ""
    escaped = _PUNCTUATION.sub(r"\\\1", str(text))
    escaped = escaped.replace("\\:", "\\:" + WORD_JOINER)
    escaped = _WWW.sub("\\1" + WORD_JOINER + "\\2", escaped)
    # four leading spaces would make a code block: keep them as no-break spaces
    return _LINE_START_SPACES.sub(lambda m: "\u00a0" * len(m.group(1)), escaped)


def frame(data: pl.DataFrame) -> pl.DataFrame:
    """Every text cell and every column name of ``data`` escaped (other types as is)."""
    escaped = data.with_columns(
        apply(data[name], escape) for name, dtype in data.schema.items() if dtype == pl.String
    )
    return escaped.rename({name: escape(name) for name in escaped.columns})


def table(data: pl.DataFrame | pa.Table, **options: Any) -> None:
    """``st.table`` of ``data`` shown as plain text (the only way pages draw a table that
    Streamlit would render as Markdown; ``tests/test_architecture.py`` checks it)."""
    if isinstance(data, pa.Table):
        st.table(frame(pl.DataFrame(pl.from_arrow(data))).to_arrow(), **options)
    else:
        st.table(frame(data), **options)


def caption(text: str) -> None:
    """A caption made only of ``text`` taken literally (a file name, a typed value)."""
    st.caption(escape(text))

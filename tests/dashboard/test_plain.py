"""Typed text reaches Streamlit's Markdown only escaped (``dashboard.plain``); the browser
suite (``tests/browser/test_xss.py``) checks what a real Chromium draws from it."""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st_

from dashboard import plain

ROOT = Path(__file__).resolve().parents[2]


def test_markdown_and_html_payloads_lose_every_active_character() -> None:
    for payload in (
        "![p](http://127.0.0.1:9999/epci.png)",
        "[cliquez](https://hameçon.example)",
        "<img src=http://127.0.0.1:9999/x.png>",
        "http://127.0.0.1:9999/auto www.exemple.org x@exemple.org",
        ":material/warning: :red[alerte] $x^2$ **gras** _it_ `code`",
    ):
        escaped = plain.escape(payload)
        assert "://" not in escaped and "www." not in escaped.lower()
        for char in "![]()<>:*_`$@.":
            assert char not in escaped.replace("\\" + char, ""), (payload, escaped)


@given(st_.text())
def test_escaping_keeps_the_text_once_backslashes_are_read(text: str) -> None:
    escaped = plain.escape(text)
    # what CommonMark shows: each « \x » of ASCII punctuation is the character itself
    shown = ""
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\" and i + 1 < len(escaped):
            shown += escaped[i + 1]
            i += 2
        else:
            shown += escaped[i]
            i += 1
    shown = shown.replace(plain.WORD_JOINER, "")
    assert shown.replace("\u00a0", " ") == text.replace("\u00a0", " ").replace(
        plain.WORD_JOINER, ""
    )


def test_frames_escape_cells_and_headers_but_keep_numbers() -> None:
    frame = pl.DataFrame({"[a](b)": ["*x*", None], "n": [1, 2]})
    escaped = plain.frame(frame)
    assert escaped.columns == ["\\[a\\]\\(b\\)", "n"]
    assert escaped.to_dicts() == [
        {"\\[a\\]\\(b\\)": "\\*x\\*", "n": 1},
        {"\\[a\\]\\(b\\)": None, "n": 2},
    ]


def test_no_page_draws_a_markdown_table_but_through_plain() -> None:
    """``st.table`` renders Markdown in every cell: only ``dashboard/plain.py`` calls it."""
    offenders = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        if path.name == "plain.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "table"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "st"
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []

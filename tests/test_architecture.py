"""Module boundaries of docs/architecture.md, enforced on the import graph."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package or module -> top-level names it must never import (docs/architecture.md)
FORBIDDEN = {
    "etl": {"streamlit", "dashboard", "bench"},
    "dashboard": {"bench"},
    # the Streamlit-free subpackages, shared with the console, notebooks and generators
    "dashboard/accounts": {"streamlit"},
    "dashboard/charts": {"streamlit", "duckdb"},
    "dashboard/exports": {"streamlit", "duckdb"},
    "dashboard/jury": {"streamlit"},
    "dashboard/jury/results.py": {"streamlit", "duckdb"},
    "dashboard/maps": {"streamlit", "duckdb"},
    "dashboard/press": {"streamlit"},
    "dashboard/site": {"streamlit"},
    "dashboard/cli.py": {"streamlit"},
    "dashboard/intake.py": {"streamlit", "duckdb"},
    # pages and their bodies ask ``queries``; they never run SQL themselves
    "dashboard/app_pages": {"duckdb"},
    "dashboard/layouts": {"duckdb"},
}


def imported_roots(path: Path) -> set[str]:
    """Top-level module names imported anywhere in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def files_of(target: str) -> list[Path]:
    """The Python files of a package or module; a path that no longer exists is an error
    (a rule about a moved module would otherwise check nothing)."""
    path = ROOT / target
    if path.is_dir():
        return sorted(path.rglob("*.py"))
    if not path.exists():
        raise FileNotFoundError(f"{target} : chemin absent, règle à mettre à jour")
    return [path]


@pytest.mark.parametrize("target", sorted(FORBIDDEN))
def test_module_never_imports_forbidden(target: str) -> None:
    offenders = {
        str(f.relative_to(ROOT)): sorted(imported_roots(f) & FORBIDDEN[target])
        for f in files_of(target)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_boundary_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nfrom dashboard.fmt import x\n", encoding="utf-8")
    assert imported_roots(bad) == {"streamlit", "dashboard"}


def test_etl_package_is_checked() -> None:
    assert len(files_of("etl")) >= 3


def test_a_rule_on_a_missing_path_fails() -> None:
    with pytest.raises(FileNotFoundError):
        files_of("dashboard/deliberation/store.py")


def test_no_raw_html_outside_reviewed_places() -> None:
    """Candidate text must never be rendered as HTML: no unsafe switches in the app."""
    # reviewed: a style sheet written from code only (widget key checked, file types
    # filtered; tests/dashboard/test_uploads.py), no typed text goes into it
    reviewed = {"dashboard/uploads.py"}
    hits = []
    for f in files_of("dashboard"):
        text = f.read_text(encoding="utf-8")
        for needle in ("unsafe_allow_html", "st.html(", "unsafe_allow_javascript"):
            if needle in text and str(f.relative_to(ROOT)) not in reviewed:
                hits.append(f"{f.relative_to(ROOT)}: {needle}")
    assert hits == []


LONG_MODULE = 450


def test_a_long_module_says_why_in_its_docstring() -> None:
    """Small files, clear rooms: past 450 lines a module either splits or explains itself
    with a « Long module: » sentence in its docstring."""
    silent = []
    for package in ("etl", "dashboard", "bench"):
        for path in files_of(package):
            text = path.read_text(encoding="utf-8")
            if text.count("\n") > LONG_MODULE:
                docstring = ast.get_docstring(ast.parse(text)) or ""
                if "Long module:" not in docstring:
                    silent.append(str(path.relative_to(ROOT)))
    assert silent == []


def test_polars_never_runs_python_on_its_worker_threads() -> None:
    """``map_elements``/``map_batches`` with a Python function deadlock the app's server
    when another session converts a frame at the same moment (etl/frames.py says how):
    Python over a column goes through ``etl.frames.apply``."""
    hits = [
        f"{f.relative_to(ROOT)}: {needle}"
        for package in ("etl", "dashboard")
        for f in files_of(package)
        for needle in (".map_elements(", ".map_batches(")
        if needle in f.read_text(encoding="utf-8")
    ]
    assert hits == []

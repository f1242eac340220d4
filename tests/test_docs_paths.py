"""Every repository path the README and docs/ name still exists (docs once named files the
code had moved away from)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP = ("etl/", "dashboard/", "bench/", "tests/", "config/", "docs/", "notebooks/", ".ci/")
PATH = re.compile(r"`([A-Za-z0-9_./-]+)`")


def named_paths(text: str) -> set[str]:
    found = set()
    for token in PATH.findall(text):
        token = token.split("::")[0].rstrip(".,;:")
        if token.startswith(TOP) and not any(m in token for m in ("*", "AAAA", "NNN")):
            found.add(token)
    return found


def test_every_path_named_in_the_docs_exists() -> None:
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    missing = {
        f"{doc.relative_to(ROOT)}: {name}"
        for doc in documents
        for name in named_paths(doc.read_text(encoding="utf-8"))
        if not (ROOT / name).exists()
    }
    assert sorted(missing) == []


def test_the_path_finder_sees_a_missing_path() -> None:
    assert named_paths("voir `etl/warehouse.py` et `docs/x.md`.") == {
        "etl/warehouse.py",
        "docs/x.md",
    }

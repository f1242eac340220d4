"""Shared fixtures: the real reference geography, built once per session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from etl.reference import Reference


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The reference geography built by the real code path (cached under data/reference)."""
    from etl import paths, reference

    reference.build_reference()
    return paths.reference_dir()


@pytest.fixture(scope="session")
def reference(reference_dir: Path) -> Reference:
    """The reference tables, loaded once for the whole test session."""
    from etl.reference import load_reference

    return load_reference(reference_dir)

"""Every test of this folder drives a real headless Chromium against a real Streamlit
server: the ``browser`` marker is applied here, once, rather than on each test."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)

"""Configuration lint: the Streamlit safety switches stay on and no secret is tracked."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAMES = ("secrets.toml", ".env", "users.toml", "comptes.toml")


def streamlit_config() -> dict[str, dict[str, object]]:
    with (ROOT / ".streamlit" / "config.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_xsrf_protection_is_on() -> None:
    assert streamlit_config()["server"]["enableXsrfProtection"] is True


def test_error_details_are_hidden() -> None:
    assert streamlit_config()["client"]["showErrorDetails"] == "none"


def test_usage_statistics_are_off() -> None:
    assert streamlit_config()["browser"]["gatherUsageStats"] is False


def test_uploads_are_small() -> None:
    size = streamlit_config()["server"]["maxUploadSize"]
    assert isinstance(size, int) and size <= 20


def test_no_secret_file_is_tracked() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    offenders = [f for f in tracked if Path(f).name in SECRET_NAMES or f.endswith((".pem", ".key"))]
    assert offenders == []


def test_secrets_are_git_ignored() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", ".streamlit/secrets.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ignored.returncode == 0


def test_the_agent_api_is_pinned_off() -> None:
    assert streamlit_config()["server"]["enableAgentApi"] is False


def test_a_clear_cache_message_keeps_the_deliberation_store_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any websocket may send Streamlit's « clear cache » (it empties both caches for every
    user): the deliberation store lives outside them and stays open."""
    import streamlit as st

    from dashboard import db

    monkeypatch.setenv("TROPHEES_DATA_DIR", str(tmp_path))
    first = db.store()
    st.cache_data.clear()  # what AppSession does on a clear_cache message
    st.cache_resource.clear()
    assert db.store() is first and not first.closed
    assert first.cursor().execute("select 42").fetchall() == [(42,)]
    first.close()
    assert db.store() is not first  # a closed store is replaced, never handed out
    db.store().close()

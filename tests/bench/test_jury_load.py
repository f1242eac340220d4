"""The load harness of ``make bench`` on a short run: real server, two jurors' browser
sessions signed in and acting at once (pages, filters, scores), every run's duration
journaled by the app, no error, every score a browser saw locked found in the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import jury_load


@pytest.mark.browser
def test_short_load_run_reports_server_runs_and_no_error(app_env: Path, tmp_path: Path) -> None:
    from tests.helpers import app_data_dir

    data = app_data_dir(app_env, tmp_path / "donnees")
    result = jury_load.run_load(
        data, tmp_path, duree_s=6, sessions=2, ouvertes=2, seul=10, repos_s=0.2
    )
    assert result["errors"] == []
    assert result["actions"] >= 2
    assert result["server_runs"] >= result["actions"]  # one run at least per action
    assert 0 < result["server_alone_p95"] < 30 and 0 < result["server_p95"] < 30
    journal = (tmp_path / "durees-des-executions.tsv").read_text(encoding="utf-8")
    pages = {line.split("\t")[0] for line in journal.splitlines()}
    assert {"carte", "comparer"} & pages, pages
    assert "jury_notation" in pages, pages
    assert sum(result["sent"].values()) >= 1  # the lone juror's 10 actions send scores
    assert result["lost"] == 0
    for juror, sent in result["sent"].items():
        assert result["stored"].get(juror, 0) >= sent, (juror, result["stored"])

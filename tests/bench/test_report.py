"""docs/performance.md says what the latest bench JSON says (``make bench`` writes both)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from bench import report


def test_performance_page_matches_the_versioned_bench_json() -> None:
    payload = json.loads(report.versioned_json().read_text(encoding="utf-8"))
    page = report.doc_path().read_text(encoding="utf-8")
    assert report.section(page) == report.render(payload)


def test_the_versioned_run_holds_every_figure_the_issues_ask_for() -> None:
    payload = json.loads(report.versioned_json().read_text(encoding="utf-8"))
    names = {f["name"] for f in payload["figures"]}
    assert sorted(set(report.REQUIRED) - names) == []
    for f in payload["figures"]:  # each figure judged against a baseline of the same run
        if math.isnan(f["value"]):  # a measure that failed in this run: missed, and why
            assert not f["ok"] and f["description"].startswith("NON MESURÉE"), f["name"]
            assert "en échec" in f["description"], f["name"]
            continue
        assert f["baseline"] > 0 and f["target"] >= 0, f["name"]
        assert f["ok"] == (
            (f["ratio"] if f["cible_sur"] == "ratio" else f["value"]) <= f["target"]
            if f["sens"] == "<="
            else (f["ratio"] if f["cible_sur"] == "ratio" else f["value"]) >= f["target"]
        ), f["name"]
    assert payload["machine"]["cpu_count"] >= 1 and payload["machine"]["memcpy_gb_s"] > 0


def test_report_marks_a_missed_target_and_rewrites_only_its_section(tmp_path: Path) -> None:
    figure = {
        "name": "x_ratio",
        "value": 5.0,
        "unit": "s",
        "baseline": 1.0,
        "ratio": 5.0,
        "target": 3.0,
        "ok": False,
        "sens": "<=",
        "cible_sur": "ratio",
        "description": "Essai",
    }
    payload = {"machine": {"cpu_count": 2, "memcpy_gb_s": 10.0}, "figures": [figure]}
    assert "**manquée**" in report.render(payload)
    assert "rapport ≤ 3" in report.render(payload)
    latest = tmp_path / "latest.json"
    latest.write_text(json.dumps(payload), encoding="utf-8")
    doc = tmp_path / "performance.md"
    doc.write_text(
        f"# Titre\n\nTexte.\n\n{report.DEBUT}\nancien\n{report.FIN}\n\nFin.\n",
        encoding="utf-8",
    )
    report.write_report(latest, doc, versioned=tmp_path / "copie" / "latest.json")
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Titre\n\nTexte.\n\n") and text.endswith("\n\nFin.\n")
    assert "ancien" not in text and "`x_ratio`" in text
    assert json.loads((tmp_path / "copie" / "latest.json").read_text()) == payload


def test_an_unmeasured_figure_is_shown_as_missed_not_as_a_number() -> None:
    nan = float("nan")
    figure = {
        "name": "charge_p95_s",
        "value": nan,
        "unit": "",
        "baseline": nan,
        "ratio": nan,
        "target": nan,
        "ok": False,
        "sens": "<=",
        "cible_sur": "valeur",
        "description": "NON MESURÉE dans ce passage (bench.jury_load en échec : délai)",
    }
    page = report.render({"machine": {}, "figures": [figure]})
    assert "| `charge_p95_s` | non mesurée | — | — | — | **manquée** |" in page
    assert "NON MESURÉE dans ce passage (bench.jury_load en échec : délai)" in page

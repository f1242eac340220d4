"""The stored codes of the deliberation keep their values (the data contract) and each
has a French label that is not a code."""

from __future__ import annotations

import re

import duckdb
import pytest

from dashboard.jury import audit
from dashboard.jury.states import (
    AuditAction,
    ConflictOrigin,
    ConflictStatus,
    Decision,
    HighlightKind,
    Labelled,
    QueueState,
    ScoreStatus,
)
from dashboard.jury.store import migration_files
from etl.semantic.analysis import LAUREATE_LEVELS

ENUMS: tuple[type[Labelled], ...] = (
    AuditAction,
    ConflictOrigin,
    ConflictStatus,
    Decision,
    HighlightKind,
    QueueState,
    ScoreStatus,
)


def _check_values(sql: str, column: str) -> set[str]:
    """The values a migration's CHECK constraint allows for ``column``."""
    found = re.findall(rf"{column} in \(([^)]*)\)", sql)
    assert found, column
    return set(re.findall(r"'([^']+)'", found[-1]))


def test_stored_values_are_the_ones_the_schema_accepts() -> None:
    sql = "\n".join(f.read_text(encoding="utf-8") for f in migration_files())
    assert {d.value for d in Decision} == _check_values(sql, "niveau")
    assert {s.value for s in ScoreStatus} == _check_values(sql, "statut")
    assert {o.value for o in ConflictOrigin} == _check_values(sql, "origine")
    assert {k.value for k in HighlightKind} == _check_values(sql, "type")
    assert set(LAUREATE_LEVELS) == {d.value for d in Decision if d.crowned}
    assert tuple(a.value for a in AuditAction) == audit.ACTIONS


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_code_has_a_french_label_that_is_not_a_code(enum: type[Labelled]) -> None:
    for member in enum:
        assert member.label and "_" not in member.label, member
        assert enum.label_of(member.value) == member.label
    assert enum.label_of("inconnu", "?") == "?"
    assert enum.label_of(None) == ""


def test_members_compare_and_bind_as_their_stored_string() -> None:
    con = duckdb.connect()
    con.execute("create table t (a varchar)")
    con.execute("insert into t values (?)", [Decision.LAUREAT])
    assert con.sql("select a from t").fetchall() == [("laureat",)]
    assert Decision("laureat") is Decision.LAUREAT
    assert f"{AuditAction.MISE_EN_AVANT}" == "mise_en_avant"

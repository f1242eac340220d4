"""docs/dictionnaire.md documents every column of every view of a real warehouse."""

from __future__ import annotations

from pathlib import Path

from etl import dictionary, editions, paths, warehouse

MINI = Path(__file__).parent / "data" / "etl" / "mini-2023.csv"


def test_dictionary_matches_the_real_schema(tmp_path: Path, reference_dir: Path) -> None:
    target = tmp_path / "warehouse.duckdb"
    warehouse.load_files([MINI], 2023, warehouse=target, ref_dir=reference_dir)
    expected = dictionary.dictionary_markdown(target, list(editions.load_editions().values()))
    committed = (paths.ROOT / "docs" / "dictionnaire.md").read_text(encoding="utf-8")
    assert committed == expected, (
        "docs/dictionnaire.md est à régénérer : uv run trophees dictionnaire"
    )


def test_every_view_is_in_the_dictionary() -> None:
    text = (paths.ROOT / "docs" / "dictionnaire.md").read_text(encoding="utf-8")
    for view in dictionary.VIEWS:
        assert f"## `{view}`" in text

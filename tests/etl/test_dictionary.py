"""docs/dictionnaire.md documents every column of every view of a real warehouse."""

from __future__ import annotations

from pathlib import Path

from etl import editions, paths, warehouse
from etl.warehouse import dictionary

MINI = Path(__file__).resolve().parents[1] / "data" / "etl" / "mini-2023.csv"


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


def test_every_view_and_table_the_notebooks_use_is_documented() -> None:
    import re

    import nbformat

    text = (paths.ROOT / "docs" / "dictionnaire.md").read_text(encoding="utf-8")
    non_tables = {
        "affichage_francais",
        "publier",
        "tableau_chiffres_cles",
        "types_structure",
    }
    helpers: set[str] = set()
    views: set[str] = set()
    for chemin in sorted((paths.ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(chemin, as_version=4)
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        helpers |= set(re.findall(r"analysis\.(\w+)\(", code))
        sql = "\n".join(
            line for line in code.splitlines() if not re.match(r"\s*from \S+ import", line)
        )
        views |= set(re.findall(r"\bfrom (\w+)", sql))
        assert "chiffres_cles(" not in code or "## `chiffres_cles(con, filtres).en_dict()`" in text
    assert {"candidatures", "territoires", "entonnoir"} <= helpers  # the scan found them
    for helper in helpers - non_tables:
        assert helper in dictionary.FRAMES, f"analyse.{helper} absent du dictionnaire"
        assert f"## `analyse.{helper}()`" in text
    assert {"candidatures", "communes_densite"} <= views
    for view in views:
        assert view in dictionary.VIEWS, f"vue {view} absente du dictionnaire"

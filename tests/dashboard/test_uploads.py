"""The French file chooser's style sheet: scoped to one widget, written from code only."""

from __future__ import annotations

import pytest

from dashboard import uploads


def test_the_style_names_the_widget_and_says_it_in_french() -> None:
    style = uploads.french_style("charger_fichier", ["csv", "xlsx"], 20)
    assert style.startswith("<style>") and style.endswith("</style>")
    assert ".st-key-charger_fichier " in style
    assert 'content: "Parcourir"' in style
    assert 'content: "20\u202fMo au plus par fichier · CSV, XLSX"' in style


@pytest.mark.parametrize("key", ["a b", 'x"} body {display:none', "</style>"])
def test_a_key_that_could_break_out_of_the_style_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="clé de widget"):
        uploads.french_style(key, ["csv"], 20)


def test_a_file_type_that_could_break_out_of_the_style_is_left_out() -> None:
    style = uploads.french_style("k", ["csv", 'x"; } body {'], 5)
    assert 'content: "5\u202fMo au plus par fichier · CSV"' in style

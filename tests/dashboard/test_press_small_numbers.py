"""Small-number suppression of territorial counts of people (pure rule, hand-made tables)."""

from __future__ import annotations

import itertools

import pytest

from dashboard.press import small_numbers
from dashboard.press.figures import PERSONNES, TableauTerritorial
from etl.semantic.key_figures import ChiffresCles, PartPublic


def deducible(values: list[int | None], hidden: tuple[bool, ...], total: int) -> bool:
    """Whether someone knowing the total and the visible cells can pin a hidden cell to
    fewer than 5 people: true when one cell is hidden alone, or the hidden ones add up to
    fewer than 5."""
    visible = sum(v or 0 for v, h in zip(values, hidden, strict=True) if not h)
    n_hidden = sum(hidden)
    return n_hidden == 1 or (n_hidden > 1 and total - visible < small_numbers.SEUIL)


def test_small_cell_is_hidden_with_its_smallest_sibling() -> None:
    mask = small_numbers.column_mask([3, 10, 20])
    assert mask.primaire == (True, False, False)
    assert mask.complementaire == (False, True, False)  # else 33 − 20 − 10 = 3 gives it away


def test_two_small_cells_adding_to_less_than_5_pull_a_third() -> None:
    mask = small_numbers.column_mask([1, 2, 50, 7])
    assert mask.primaire == (True, True, False, False)
    assert mask.complementaire == (False, False, False, True)


def test_two_small_cells_adding_to_5_or_more_are_enough() -> None:
    mask = small_numbers.column_mask([3, 4, 50])
    assert mask.cache == (True, True, False)
    assert not any(mask.complementaire)


def test_nothing_hidden_without_small_cells_and_missing_stays_missing() -> None:
    mask = small_numbers.column_mask([5, None, 120])
    assert mask.cache == (False, False, False)
    assert small_numbers.shown_count(None, False, False, "x") == small_numbers.NON_RENSEIGNE


@pytest.mark.parametrize("values", list(itertools.product([0, 1, 4, 5, 9, 30], repeat=3)))
def test_no_hidden_cell_can_be_deduced_from_the_total(values: tuple[int, ...]) -> None:
    column = list(values)
    mask = small_numbers.column_mask(column)
    total = sum(column)
    assert all(h for v, h in zip(column, mask.cache, strict=True) if v < small_numbers.SEUIL)
    if any(mask.cache) and total >= small_numbers.SEUIL:
        assert not deducible(column, mask.cache, total), (column, mask)


def test_shown_words() -> None:
    assert small_numbers.shown_count(3, True, False, "3") == "moins de 5"
    assert small_numbers.shown_count(12, False, True, "12") == "secret statistique"
    assert small_numbers.shown_count(12, False, False, "12") == "12"
    assert small_numbers.shown_total(4, "4") == "moins de 5"
    assert small_numbers.shown_total(40, "40") == "40"


def key_figures(participants: int, femmes: int, candidatures: int = 1) -> ChiffresCles:
    parts = tuple(
        PartPublic(col, libelle, "", femmes if col == "nb_femmes" else 0, participants, 1)
        for col, libelle in [
            ("nb_femmes", "Femmes"),
            ("nb_seniors", "Seniors"),
            ("nb_residents_qpv", "QPV"),
        ]
    )
    return ChiffresCles(
        candidatures=candidatures,
        structures=candidatures,
        heures=1000,
        heures_renseignees=1,
        participants=participants,
        participants_renseignes=1,
        marches_clauses=0,
        marches_renseignes=0,
        heures_avec_participants=1000,
        participants_avec_heures=participants,
        candidatures_heures_participants=1,
        parts=parts,
        population=None,
        perimetre_population="France",
    )


def test_territorial_table_shows_words_in_people_columns_only() -> None:
    femmes = (3, 40, 12)
    personnes = {c: (30, 300, 1200) for c in PERSONNES}
    personnes["nb_femmes"] = femmes
    table = TableauTerritorial(
        edition=2023,
        regions=(("53", "Bretagne"), ("11", "Île-de-France"), ("76", "Occitanie")),
        candidatures=(1, 2, 3),
        heures=(1000, 20000, 1234567),
        personnes=personnes,
        masques={c: small_numbers.column_mask(v) for c, v in personnes.items()},
        total=key_figures(1530, 55, candidatures=6),
    )
    shown = table.affichage()
    assert shown["Femmes"].to_list() == ["moins de 5", "40", "secret statistique", "55"]
    assert shown["Participants"].to_list()[-1] == "1\u202f530"
    assert shown["Heures d'insertion"].to_list()[2] == "1\u202f234\u202f567"
    sheet = table.tableur()
    assert sheet["Femmes"].to_list() == ["moins de 5", "40", "secret statistique", "55"]
    assert sheet["Heures d'insertion"].to_list()[2] == 1234567  # a number for the CSV

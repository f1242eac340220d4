"""French text for people: numbers, plurals, dates and accent folding, defined once."""

from __future__ import annotations

import functools
import struct
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.french import (
    NARROW_NBSP,
    agree,
    collation_key,
    fold_accents,
    format_datetime,
    format_decimal,
    format_hours,
    format_integer,
    format_long_date,
    format_number,
    format_ordinal,
    format_percent,
    format_share,
    format_size_mb,
    plural,
    sort_frame_by_name,
    sorted_by_name,
)

S = NARROW_NBSP


def test_numbers_use_the_narrow_no_break_space_and_a_decimal_comma() -> None:
    assert format_integer(29_000_000) == f"29{S}000{S}000"
    assert format_integer(-1234) == f"-1{S}234"
    assert format_decimal(1234.56, 1) == f"1{S}234,6"
    assert format_hours(29_000_000) == f"29{S}000{S}000{S}h"
    assert format_hours(28_038.4) == f"28{S}038,4{S}h"
    assert format_percent(12.5, 1) == f"12,5{S}%"
    assert format_share(0.125) == f"12,5{S}%"
    assert format_share(0.30) == f"30{S}%"
    assert format_size_mb(20 * 2**20) == f"20{S}Mo"
    assert format_size_mb(int(25.3 * 2**20)) == f"25,3{S}Mo"


def test_a_whole_rounded_number_loses_its_decimals() -> None:
    assert format_number(12.0) == "12"
    assert format_number(12.34) == "12,3"
    assert format_number(1234.96) == f"1{S}235"
    assert format_number(0.04, 1) == "0"


def test_plural_follows_the_french_rule_zero_and_one_singular() -> None:
    assert plural(0, "candidature") == "0 candidature"
    assert plural(1, "candidature") == "1 candidature"
    assert plural(2, "candidature") == "2 candidatures"
    assert plural(1234, "candidature") == f"1{S}234 candidatures"
    assert plural(1.5, "heure") == "1,5 heure"
    assert plural(3, "travail", "travaux") == "3 travaux"
    assert agree(0, "affecté") == "affecté" and agree(5, "affecté") == "affectés"


def test_dates_in_paris_time_and_in_words() -> None:
    assert format_datetime(datetime(2023, 11, 21, 7, 24, tzinfo=UTC)) == "21/11/2023 à 08:24"
    assert format_long_date(date(2023, 12, 1)) == "1er décembre 2023"
    assert format_long_date(datetime(2024, 11, 8, 16, 0), with_time=True) == (
        "8 novembre 2024 à 16 h 00"
    )


def test_accents_and_ligatures_are_folded_case_kept() -> None:
    assert fold_accents("Châlons-en-Champagne") == "Chalons-en-Champagne"
    assert fold_accents("Œuvre cœur") == "OEuvre coeur"
    assert fold_accents("L'Haÿ-les-Roses").upper() == "L'HAY-LES-ROSES"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_grouped_integers_read_back(n: int) -> None:
    text = format_integer(n)
    assert int(text.replace(S, "")) == n
    digits = text.lstrip("-").split(S)
    assert all(len(group) == 3 for group in digits[1:]) and 1 <= len(digits[0]) <= 3


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 4))
def test_decimals_read_back_within_rounding(x: float, places: int) -> None:
    text = format_decimal(x, places)
    back = float(text.replace(S, "").replace(",", "."))
    assert abs(back - x) <= 0.5 * 10**-places + 1e-6 * max(1.0, abs(x))
    assert "." not in text


def test_names_sort_the_french_way() -> None:
    regions = ["Occitanie", "Île-de-France", "Auvergne-Rhône-Alpes", "Hauts-de-France"]
    assert sorted_by_name(regions) == [
        "Auvergne-Rhône-Alpes",
        "Hauts-de-France",
        "Île-de-France",
        "Occitanie",
    ]
    # accents and case only break ties; ligatures sort as their letters
    assert sorted_by_name(["Eure", "Étampes", "écully", "Oise", "Œuvre"]) == [
        "écully",
        "Étampes",
        "Eure",
        "Œuvre",
        "Oise",
    ]
    assert collation_key(None) == collation_key("") < collation_key("A")
    frame = pl.DataFrame({"nom": ["Île-de-France", "Corse", "Bretagne"], "n": [1, 2, 3]})
    assert sort_frame_by_name(frame, "nom")["n"].to_list() == [3, 2, 1]


@given(st.lists(st.text(max_size=12), max_size=20))
def test_french_order_is_a_total_order(names: list[str]) -> None:
    once = sorted_by_name(names)
    assert sorted_by_name(once) == once
    assert sorted(once) == sorted(names)


@functools.cache
def reference_collator() -> Any:
    import pyuca

    return pyuca.Collator()  # (a second or so to build: once for the module)


@given(st.text(max_size=12), st.text(max_size=12))
def test_packed_keys_order_names_as_the_collation_algorithm_does(a: str, b: str) -> None:
    """The keys, computed per character for most names, are pyuca's weights exactly."""
    weights_a, weights_b = reference_collator().sort_key(a), reference_collator().sort_key(b)
    assert collation_key(a) == struct.pack(f">{len(weights_a)}H", *weights_a)
    assert (collation_key(a) < collation_key(b)) == (weights_a < weights_b)
    assert (collation_key(a) == collation_key(b)) == (weights_a == weights_b)


@pytest.mark.parametrize(
    "name",
    ["Châlons-en-Champagne", "L·lívia", "Œuvre", "ﬁn", "Ǆemal", "ก่อน", "Ελλάδα", "naïve café"],
)
def test_keys_of_names_with_contractions_or_compatibility_forms_are_pyucas(name: str) -> None:
    weights = reference_collator().sort_key(name)
    assert collation_key(name) == struct.pack(f">{len(weights)}H", *weights)


def test_ranks_as_french_ordinals() -> None:
    assert [format_ordinal(n) for n in (1, 2, 10, 1000)] == ["1er", "2e", "10e", f"1{S}000e"]
    assert format_ordinal(1, feminine=True) == "1re"


def test_a_value_kept_as_text_reads_the_french_way_when_it_is_a_number() -> None:
    from etl.french import format_if_number

    assert format_if_number("524925") == "524\u202f925"
    assert format_if_number("1234.5") == "1\u202f234,5"
    assert format_if_number("93066 Saint-Denis") == "93066 Saint-Denis"
    assert format_if_number(None) == "" and format_if_number(None, "vide") == "vide"


def test_frames_sort_by_names_then_by_codes_as_given() -> None:
    frame = pl.DataFrame(
        {
            "structure": ["Élan", "alpha", None, "Élan", "Zèbre", "élan", ""],
            "projet": ["b", "a", "x", "a", "a", "a", "y"],
            "id": ["7", "1", "3", "6", "2", "5", "4"],
        }
    )
    got = sort_frame_by_name(frame, "structure", "projet", then=["id"])
    # a missing name sorts first with the empty one; « élan » before « Élan » (case
    # breaks the tie), « a » before « b »; the id only orders what the names leave equal
    assert got["id"].to_list() == ["3", "4", "1", "5", "6", "7", "2"]
    assert sort_frame_by_name(frame)["id"].to_list() == frame["id"].to_list()

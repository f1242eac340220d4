"""Typed answers: the shortcuts taken for speed read exactly what the full readers read."""

from __future__ import annotations

import random

import polars as pl
import pytest

from etl import editions, rules
from etl import normalise as nz
from etl.normalise import nombre
from etl.reading import COLONNE_LIGNE


@pytest.mark.parametrize(
    "options",
    [
        {"entier": True},
        {"entier": False},
        {"entier": False, "milliers": True, "unites": nz.UNITES_HEURES},
        {"entier": True, "unites": nz.UNITES_EFFECTIFS},
    ],
)
def test_digits_alone_read_the_same_through_the_shortcut(options: dict[str, object]) -> None:
    rng = random.Random(2023)
    digits = ["0", "00", "007", "1234", "999999999999999", "100000000000000"]
    digits += ["".join(rng.choices("0123456789", k=rng.randint(1, 15))) for _ in range(500)]
    others = [" 12", "12 ", "1 234", "1.234", "12,5", "-3", "٣", "1234567890123456", "", None]
    frame = pl.DataFrame({"v": [*digits, *others]}, schema={"v": pl.String})
    lecture = nombre("v", **options)  # type: ignore[arg-type]
    assert lecture.raccourci is not None
    condition, direct = lecture.raccourci
    read = nz.normaliser(frame, {"x": lecture}).with_columns(
        condition.alias("simple"), direct.alias("direct")
    )
    simple = read.filter(pl.col("simple"))
    assert simple["v"].to_list() == digits  # and nothing else takes the shortcut
    assert simple["x"].to_list() == simple["direct"].to_list()
    assert simple["x__code"].null_count() == simple.height


def test_typed_answers_read_every_line_as_the_full_readers_do() -> None:
    """Each field is read per line, or once per distinct answer with the digits-alone
    shortcut: the result is the same as reading every line in full."""
    edition = editions.load_editions()[2023]
    rng = random.Random(7)
    n = 400
    numbers = ["12", "1 234", "12,5", "n/a", "", None, "15 %", "environ 300", "1.234", "-4"]
    numbers += [str(rng.randint(0, 5000)) for _ in range(20)]
    columns: dict[str, list[str | None]] = {COLONNE_LIGNE: [str(i + 2) for i in range(n)]}
    fields = [f for f in edition.champs if rules.field_reader(f, "x", f.libelle) is not None]
    for champ in edition.champs:
        if champ.type in ("entier", "decimal"):
            # repeated answers (read once each), except one field of unique answers (per line)
            unique = champ.nom == "heures_btp"
            values = [f"{i} h" if unique else rng.choice(numbers) for i in range(n)]
        elif champ.type == "booleen":
            values = [rng.choice(["Oui", "Non", "oui ", "peut-être", None]) for _ in range(n)]
        elif champ.type == "horodatage":
            values = [f"0{1 + i % 9}/11/2023 12:{i % 60:02d}:00" for i in range(n)]
        else:
            values = [rng.choice(["A", " b ", "N/A", None, "12", "Autre : x"]) for _ in range(n)]
        columns[champ.accepted_headers[0]] = values
    raw = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    mapping = rules.map_headers(raw.columns, edition, "essai.csv")
    typed = rules.typed_answers(raw, mapping, edition)
    for champ in fields:
        if champ.nom not in mapping.colonnes:
            continue
        reader = rules.field_reader(champ, champ.nom + rules.BRUT, mapping.colonnes[champ.nom])
        assert reader is not None
        alone = nz.normaliser(typed.select(champ.nom + rules.BRUT), {champ.nom: reader})
        # (« 15 % » for a count is then converted with its base: tested on its own)
        converted = alone[champ.nom + nz.SUFFIXE_CODE].eq_missing("pourcentage_pour_nombre")
        for column in alone.columns:
            got = typed[column].filter(~converted)
            assert got.to_list() == alone[column].filter(~converted).to_list(), column
    assert typed.height == n

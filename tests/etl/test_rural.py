"""The rural-prize test: thresholds, « ou », cas limites, unknown data, vectorised = scalar."""

from __future__ import annotations

import itertools

import polars as pl
import pytest

from etl.french import NARROW_NBSP, format_integer
from etl.rural import (
    RURAL_COLUMNS,
    RuralThresholds,
    RuralVerdict,
    rural_verdict,
    rural_verdicts,
)

SEUILS = RuralThresholds(commune_seuil=25_000, departement_seuil=350_000)
MILLESIME = "populations légales 2023"
LOIN_DEP = 1_000_000  # far above the département threshold: fails, never borderline
LOIN_COMMUNE = 100_000  # far above the commune threshold


def verdict(
    commune: int | None, departement: int | None, seuils: RuralThresholds = SEUILS
) -> RuralVerdict:
    return rural_verdict(commune, departement, seuils, millesime=MILLESIME)


@pytest.mark.parametrize(
    ("commune", "attendu"),
    [(24_999, True), (25_000, False), (25_001, False), (0, True), (3_000, True)],
)
def test_commune_threshold_is_strictly_below(commune: int, attendu: bool) -> None:
    v = verdict(commune, LOIN_DEP)
    assert v.commune_ok is attendu
    assert v.eligible is attendu


@pytest.mark.parametrize(
    ("departement", "attendu"), [(349_999, True), (350_000, False), (350_001, False)]
)
def test_departement_threshold_is_strictly_below(departement: int, attendu: bool) -> None:
    v = verdict(LOIN_COMMUNE, departement)
    assert v.departement_ok is attendu
    assert v.eligible is attendu


def test_operator_from_config_can_include_the_threshold() -> None:
    inclusif = RuralThresholds(25_000, 350_000, commune_operateur="<=")
    assert verdict(25_000, LOIN_DEP, inclusif).eligible is True
    assert verdict(25_001, LOIN_DEP, inclusif).eligible is False


def test_ou_needs_one_test_only() -> None:
    assert verdict(5_000, LOIN_DEP).eligible is True
    assert verdict(LOIN_COMMUNE, 200_000).eligible is True
    assert verdict(5_000, 200_000).eligible is True
    assert verdict(LOIN_COMMUNE, LOIN_DEP).eligible is False


def test_et_needs_both_tests() -> None:
    et = RuralThresholds(25_000, 350_000, combinaison="et")
    assert verdict(5_000, 200_000, et).eligible is True
    assert verdict(5_000, LOIN_DEP, et).eligible is False
    assert verdict(LOIN_COMMUNE, 200_000, et).eligible is False


def test_borderline_band_is_ten_percent_inclusive_on_both_sides() -> None:
    assert verdict(22_500, LOIN_DEP).commune_limite  # exactly −10 %
    assert verdict(27_500, LOIN_DEP).commune_limite  # exactly +10 %
    assert not verdict(22_499, LOIN_DEP).commune_limite
    assert not verdict(27_501, LOIN_DEP).commune_limite
    assert verdict(LOIN_COMMUNE, 315_000).departement_limite
    assert not verdict(LOIN_COMMUNE, 314_999).departement_limite


def test_cas_limite_below_the_threshold_when_it_carries_the_verdict() -> None:
    v = verdict(24_000, LOIN_DEP)
    assert v.eligible is True and v.cas_limite
    assert "cas limite" in v.explication_fr()


def test_cas_limite_above_the_threshold() -> None:
    v = verdict(26_000, LOIN_DEP)
    assert v.eligible is False and v.cas_limite


def test_no_cas_limite_when_the_other_test_settles_it() -> None:
    v = verdict(24_000, 200_000)
    assert v.commune_limite and not v.cas_limite
    assert "cas limite" not in v.explication_fr()


def test_zero_margin_disables_cas_limite() -> None:
    sans_marge = RuralThresholds(25_000, 350_000, marge_cas_limite_pct=0)
    assert not verdict(24_999, LOIN_DEP, sans_marge).cas_limite
    assert verdict(25_000, LOIN_DEP, sans_marge).commune_limite  # |x − S| = 0


def test_unknown_population_is_indetermine_never_guessed() -> None:
    v = verdict(None, LOIN_DEP)
    assert v.commune_ok is None and v.eligible is None
    assert v.statut == "indéterminé"
    assert v.raison_indetermine is not None and "commune" in v.raison_indetermine
    assert "indéterminée" in v.explication_fr()
    both = verdict(None, None)
    assert both.eligible is None and not both.cas_limite
    assert "commune et du département" in (both.raison_indetermine or "")


def test_unknown_commune_with_a_passing_departement_is_eligible() -> None:
    v = verdict(None, 120_000)
    assert v.eligible is True and v.raison_indetermine is None and not v.cas_limite
    assert verdict(None, 340_000).cas_limite  # passes, but only just


def test_negative_population_is_refused() -> None:
    with pytest.raises(ValueError, match="négative"):
        verdict(-1, 100)


def test_explanation_shows_figures_tests_outcome_and_vintage() -> None:
    v = rural_verdict(
        18_230,
        412_000,
        SEUILS,
        millesime=MILLESIME,
        commune_densite=45.23,
        commune_nom="Lodève",
    )
    texte = v.explication_fr()
    nb = NARROW_NBSP
    assert texte.startswith(f"Commune (Lodève) : 18{nb}230 habitants < 25{nb}000 → oui")
    assert f"département : 412{nb}000 habitants ≥ 350{nb}000 → non" in texte
    assert "éligible au prix rural (au moins un critère rempli)" in texte
    assert "densité de la commune : 45,2 hab./km²" in texte
    assert texte.endswith(f"— {MILLESIME}")


def test_format_entier_uses_narrow_no_break_spaces() -> None:
    assert format_integer(1_234_567) == "1\u202f234\u202f567"
    assert format_integer(999) == "999"
    assert format_integer(-25_000) == "-25\u202f000"


def test_thresholds_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        RuralThresholds(0, 350_000)
    with pytest.raises(ValueError):
        RuralThresholds(25_000, 350_000, marge_cas_limite_pct=80)


def _cases() -> list[tuple[int | None, int | None]]:
    communes = [None, 0, 1, 22_499, 22_500, 24_000, 24_999, 25_000, 25_001, 27_500, 27_501, 90_000]
    deps = [None, 10_000, 314_999, 315_000, 349_999, 350_000, 350_001, 385_000, 385_001, 2_000_000]
    return list(itertools.product(communes, deps))


@pytest.mark.parametrize(
    "seuils",
    [
        SEUILS,
        RuralThresholds(25_000, 350_000, combinaison="et"),
        RuralThresholds(25_000, 350_000, "<=", "<=", "ou", 5),
        RuralThresholds(25_000, 350_000, combinaison="et", marge_cas_limite_pct=0),
    ],
)
def test_vectorised_agrees_with_scalar(seuils: RuralThresholds) -> None:
    cases = _cases()
    frame = pl.DataFrame(
        {
            "commune_population": [c for c, _ in cases],
            "departement_population": [d for _, d in cases],
        },
        schema={"commune_population": pl.Int64, "departement_population": pl.Int64},
    )
    out = rural_verdicts(frame, seuils)
    assert set(RURAL_COLUMNS) <= set(out.columns)
    for row, (c, d) in zip(out.iter_rows(named=True), cases, strict=True):
        v = rural_verdict(c, d, seuils, millesime=MILLESIME)
        attendu = (
            v.commune_ok,
            v.departement_ok,
            v.eligible,
            v.commune_limite,
            v.departement_limite,
            v.cas_limite,
            v.statut,
        )
        assert tuple(row[col] for col in RURAL_COLUMNS) == attendu, (c, d)


def test_vectorised_requires_its_columns_and_keeps_the_others() -> None:
    with pytest.raises(ValueError, match="departement_population"):
        rural_verdicts(pl.DataFrame({"commune_population": [1]}), SEUILS)
    frame = pl.DataFrame(
        {"id": ["a"], "commune_population": [1_000], "departement_population": [900_000]}
    )
    out = rural_verdicts(frame, SEUILS)
    assert out["id"].to_list() == ["a"] and out["rural_eligible"].to_list() == [True]

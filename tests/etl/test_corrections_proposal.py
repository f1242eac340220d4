"""Each flagged row of « Qualité des données » is offered the correction that settles it."""

from __future__ import annotations

import pytest

from etl.corrections import Kind
from etl.corrections.proposal import Proposal, propose, territory_search
from etl.editions import load_editions

EDITION = load_editions()[2023]


@pytest.mark.parametrize(
    ("regle", "champ", "valeur", "expected"),
    [
        (
            "territoire_ambigu",
            "commune",
            "Saint-Denis / Non précisé",
            Proposal(Kind.TERRITOIRE, recherche="Saint-Denis"),
        ),
        (
            "territoire_inconnu",
            "commune",
            "Quartier Nord / 13",
            Proposal(Kind.TERRITOIRE, recherche="Quartier Nord"),
        ),
        (
            "valeur_implausible",
            "heures_insertion",
            "2800000",
            Proposal(Kind.EXCLUSION, "heures_insertion"),
        ),
        ("choix_inconnu", "structure_type", "Autre : GIP", Proposal(Kind.VALEUR, "structure_type")),
        (
            "public_superieur_participants",
            "nb_femmes",
            "90",
            Proposal(Kind.VALEUR, "nb_femmes"),
        ),
        ("hors_delai", "horodateur", "22/11/2023", Proposal(Kind.ELIGIBILITE)),
    ],
)
def test_the_fitting_correction_is_proposed(
    regle: str, champ: str, valeur: str, expected: Proposal
) -> None:
    assert propose(regle, champ, valeur, EDITION) == expected


@pytest.mark.parametrize(
    ("regle", "champ"),
    [
        ("doublon_identique", None),  # counted once already: nothing to decide
        ("version_remplacee", None),
        ("obligatoire_manquant", "projet_titre"),  # the line is rejected
        ("valeur_implausible", "contact_email"),  # personal data: never corrected
        ("choix_inconnu", "champ_qui_n_existe_pas"),
    ],
)
def test_no_correction_where_none_fits(regle: str, champ: str | None) -> None:
    assert propose(regle, champ, "x", EDITION) is None


def test_a_proposal_says_what_to_do_in_french() -> None:
    assert Proposal(Kind.TERRITOIRE).action == "Fixer le territoire"
    assert Proposal(Kind.EXCLUSION, "heures_insertion").action == "Exclure la valeur des totaux"


def test_the_commune_is_searched_by_the_typed_name() -> None:
    assert territory_search("Vienne / 38200 / 38 / CA Vienne Condrieu") == "Vienne"
    assert territory_search(None) == ""
    assert territory_search(" / 93") == "93"
